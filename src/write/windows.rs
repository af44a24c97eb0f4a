//! Windows: a name is opened with FILE_FLAG_OPEN_REPARSE_POINT and looked
//! at through its attributes and reparse tag, so a symbolic link, junction
//! or mount point is seen and never resolved; a file is identified by its
//! volume serial number and file index; the temporary file is created with
//! CREATE_NEW; renames are MoveFileExW, with MOVEFILE_REPLACE_EXISTING only
//! when replacing is wanted. A writer is alive while OpenProcess finds it
//! and GetExitCodeProcess says STILL_ACTIVE; a file another program holds
//! open without delete sharing is told by a DELETE open that fails with a
//! sharing violation, and the Restart Manager names that program.

use std::ffi::c_void;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::path::Path;

use windows_sys::Win32::Foundation::{
    ERROR_ACCESS_DENIED, ERROR_MORE_DATA, ERROR_SHARING_VIOLATION,
};
use windows_sys::Win32::System::RestartManager::{
    RmEndSession, RmGetList, RmRegisterResources, RmStartSession, CCH_RM_SESSION_KEY,
    RM_PROCESS_INFO,
};
use windows_sys::Win32::System::Threading::{
    GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
};

use windows_sys::Win32::Storage::FileSystem::{
    FileAttributeTagInfo, GetFileInformationByHandle, GetFileInformationByHandleEx, MoveFileExW,
    BY_HANDLE_FILE_INFORMATION, DELETE, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_READONLY,
    FILE_ATTRIBUTE_REPARSE_POINT, FILE_ATTRIBUTE_TAG_INFO, FILE_FLAG_BACKUP_SEMANTICS,
    FILE_FLAG_OPEN_REPARSE_POINT, FILE_READ_ATTRIBUTES, FILE_SHARE_DELETE, FILE_SHARE_READ,
    FILE_SHARE_WRITE, MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH,
};

use super::{FileIdentity, Kind};

/// IO_REPARSE_TAG_SYMLINK (winnt.h).
const TAG_SYMLINK: u32 = 0xA000_000C;
/// IO_REPARSE_TAG_MOUNT_POINT (winnt.h): junctions and volume mount points.
const TAG_MOUNT_POINT: u32 = 0xA000_0003;
/// The bit IsReparseTagNameSurrogate tests (winnt.h): the reparse point
/// stands for another named entity, so opening the name would go there.
/// Other reparse points (OneDrive placeholders, deduplicated files) are
/// files a filter driver fills in, and are treated as the files they are.
const TAG_NAME_SURROGATE: u32 = 0x2000_0000;

/// What is at a name, from its attributes and reparse tag.
pub(super) struct Entry {
    pub(super) kind: Kind,
    pub(super) identity: FileIdentity,
    pub(super) read_only: bool,
}

/// Nothing is carried over to a replacement on Windows: the temporary file
/// got the security its folder gives new files, and a read-only file was
/// refused before.
pub(super) enum Kept {}

impl Entry {
    pub(super) fn kept_for_rewrite(&self) -> Option<Kept> {
        None
    }

    pub(super) fn kept_for_new(&self) -> Option<Kept> {
        None
    }
}

/// What is at `path` (`None`: nothing), without resolving a reparse point
/// there: the handle is the link itself, opened only to read attributes.
pub(super) fn inspect(path: &Path) -> io::Result<Option<Entry>> {
    let opened = OpenOptions::new()
        .access_mode(FILE_READ_ATTRIBUTES)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS)
        .open(path);
    let file = match opened {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let identity = identity_of(&file)?;
    let mut tag_info = FILE_ATTRIBUTE_TAG_INFO::default();
    // SAFETY: the handle is open for the whole call, and the buffer is a
    // FILE_ATTRIBUTE_TAG_INFO of the size passed, as FileAttributeTagInfo
    // requires.
    let ok = unsafe {
        GetFileInformationByHandleEx(
            file.as_raw_handle(),
            FileAttributeTagInfo,
            (&mut tag_info as *mut FILE_ATTRIBUTE_TAG_INFO).cast::<c_void>(),
            std::mem::size_of::<FILE_ATTRIBUTE_TAG_INFO>() as u32,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    let attributes = tag_info.FileAttributes;
    let is_reparse_point = attributes & FILE_ATTRIBUTE_REPARSE_POINT != 0;
    let kind = if is_reparse_point && tag_info.ReparseTag & TAG_NAME_SURROGATE != 0 {
        Kind::Link {
            what: match tag_info.ReparseTag {
                TAG_SYMLINK => "symbolic link",
                TAG_MOUNT_POINT => "junction",
                _ => "reparse point that redirects the name",
            },
        }
    } else if attributes & FILE_ATTRIBUTE_DIRECTORY != 0 {
        Kind::Other
    } else {
        Kind::File
    };
    Ok(Some(Entry {
        kind,
        identity,
        read_only: attributes & FILE_ATTRIBUTE_READONLY != 0,
    }))
}

/// The identity of an open file: its volume serial number and file index,
/// size and last write time.
pub(super) fn identity_of(file: &File) -> io::Result<FileIdentity> {
    let mut info = BY_HANDLE_FILE_INFORMATION::default();
    // SAFETY: the handle is open for the whole call, and `info` is the
    // structure the call fills.
    let ok = unsafe { GetFileInformationByHandle(file.as_raw_handle(), &mut info) };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    let high_low = |high: u32, low: u32| (u64::from(high) << 32) | u64::from(low);
    Ok(FileIdentity {
        volume: u64::from(info.dwVolumeSerialNumber),
        file: high_low(info.nFileIndexHigh, info.nFileIndexLow),
        size: high_low(info.nFileSizeHigh, info.nFileSizeLow),
        modified: i128::from(high_low(
            info.ftLastWriteTime.dwHighDateTime,
            info.ftLastWriteTime.dwLowDateTime,
        )),
    })
}

/// Create a new file with CREATE_NEW, which fails on any existing name;
/// FILE_FLAG_OPEN_REPARSE_POINT keeps a reparse point there from being
/// resolved. Windows has no mode bits: the file gets its folder's
/// inherited security, `private` or not.
pub(super) fn create_exclusive(path: &Path, _private: bool) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)
}

pub(super) fn apply(_file: &File, kept: &Kept) -> io::Result<()> {
    match *kept {}
}

/// MoveFileExW with MOVEFILE_REPLACE_EXISTING: replaces the name `to`.
pub(super) fn rename_replacing(from: &Path, to: &Path) -> io::Result<()> {
    move_file(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
}

/// MoveFileExW without MOVEFILE_REPLACE_EXISTING: fails if anything has
/// the name `to`, a dangling link included, in one step.
pub(super) fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    move_file(from, to, MOVEFILE_WRITE_THROUGH)
}

/// MOVEFILE_WRITE_THROUGH already waited for the rename to reach the disk.
pub(super) fn sync_folder(_dir: &Path) {}

fn move_file(from: &Path, to: &Path, flags: u32) -> io::Result<()> {
    let from = wide(from)?;
    let to = wide(to)?;
    // SAFETY: both are NUL-terminated UTF-16 strings that outlive the call.
    let ok = unsafe { MoveFileExW(from.as_ptr(), to.as_ptr(), flags) };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A path as the NUL-terminated UTF-16 string the W functions take.
fn wide(path: &Path) -> io::Result<Vec<u16>> {
    let mut wide: Vec<u16> = path.as_os_str().encode_wide().collect();
    if wide.contains(&0) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the name contains a NUL character",
        ));
    }
    wide.push(0);
    Ok(wide)
}

/// The exit code GetExitCodeProcess gives a process still running.
const STILL_ACTIVE: u32 = 259;

/// Whether the process `pid` is running. A process we may not query
/// (another user's) is taken as running; one that exited is not, even
/// while a handle keeps its process object (and pid) in being. One that
/// exited with code 259 looks running: its file is merely kept.
pub(super) fn process_alive(pid: u32) -> bool {
    // SAFETY: plain call; the handle it returns is owned below.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if handle.is_null() {
        // ERROR_INVALID_PARAMETER: no such process.
        return io::Error::last_os_error().raw_os_error() == Some(ERROR_ACCESS_DENIED as i32);
    }
    // SAFETY: `handle` is a process handle just opened, owned only here.
    let handle = unsafe { OwnedHandle::from_raw_handle(handle) };
    let mut code = 0u32;
    // SAFETY: the handle is open for the whole call; `code` is written.
    let ok = unsafe { GetExitCodeProcess(handle.as_raw_handle(), &mut code) };
    ok == 0 || code == STILL_ACTIVE
}

/// Whether a refused rename may succeed a moment later: "access denied"
/// or "sharing violation", which is what Windows says while another
/// program has the destination or the new file open (with or without
/// delete sharing), and also for a lasting lack of rights.
pub(super) fn may_pass(error: &io::Error) -> bool {
    [ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION]
        .iter()
        .any(|&code| error.raw_os_error() == Some(code as i32))
}

/// Whether another program holds `path` open without delete sharing:
/// opening it for DELETE (the access a rename over it needs) meets a
/// sharing violation.
pub(super) fn held_open(path: &Path) -> bool {
    let probe = OpenOptions::new()
        .access_mode(DELETE)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS)
        .open(path);
    matches!(probe, Err(e) if e.raw_os_error() == Some(ERROR_SHARING_VIOLATION as i32))
}

/// The names of the programs that have `path` open, as the Restart Manager
/// knows them; empty when it cannot tell (Wine's cannot).
pub(super) fn programs_using(path: &Path) -> Vec<String> {
    let Ok(name) = wide(path) else {
        return Vec::new();
    };
    let mut session = 0u32;
    let mut key = [0u16; CCH_RM_SESSION_KEY as usize + 1];
    // SAFETY: `key` has room for CCH_RM_SESSION_KEY characters and the NUL.
    if unsafe { RmStartSession(&mut session, 0, key.as_mut_ptr()) } != 0 {
        return Vec::new();
    }
    let names = programs_in_session(session, &name);
    // SAFETY: the session was started above and is ended once.
    unsafe { RmEndSession(session) };
    names
}

fn programs_in_session(session: u32, name: &[u16]) -> Vec<String> {
    let files = [name.as_ptr()];
    // SAFETY: one NUL-terminated file name that outlives the call; no
    // applications or services.
    let registered = unsafe {
        RmRegisterResources(
            session,
            1,
            files.as_ptr(),
            0,
            std::ptr::null(),
            0,
            std::ptr::null(),
        )
    };
    if registered != 0 {
        return Vec::new();
    }
    let mut infos: Vec<RM_PROCESS_INFO> = Vec::new();
    // Asked again if more programs opened the file between two calls.
    for _ in 0..3 {
        let mut needed = 0u32;
        let mut count = infos.len() as u32;
        let mut reasons = 0u32;
        // SAFETY: `infos` has room for `count` entries, as the call is told.
        let status = unsafe {
            RmGetList(
                session,
                &mut needed,
                &mut count,
                infos.as_mut_ptr(),
                &mut reasons,
            )
        };
        match status {
            0 => {
                return infos
                    .iter()
                    .take(count as usize)
                    .map(|info| {
                        let name = &info.strAppName;
                        let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
                        String::from_utf16_lossy(&name[..end])
                    })
                    .filter(|name| !name.is_empty())
                    .collect();
            }
            ERROR_MORE_DATA => infos.resize_with(needed as usize, RM_PROCESS_INFO::default),
            _ => return Vec::new(),
        }
    }
    Vec::new()
}
