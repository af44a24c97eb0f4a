//! Where the command meets an operating system that differs: on Windows
//! the program expands its own wildcards and turns on the console's colour
//! handling. Everything else is the same on every system.

use std::ffi::OsString;

/// The command line's arguments, the program's name first. On Windows,
/// `*` and `?` in an unquoted argument are expanded to the names they
/// match, as a Unix shell would (cmd and PowerShell leave that to the
/// program); a pattern that matches nothing, and a quoted one, stay as
/// they are.
pub fn args_os() -> Vec<OsString> {
    #[cfg(windows)]
    {
        wild::args_os().collect()
    }
    #[cfg(not(windows))]
    {
        std::env::args_os().collect()
    }
}

/// Where colour goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Make the terminal behind `stream` show colour codes as colour, and say
/// whether it will: always on Unix; on a Windows console only once its
/// virtual-terminal processing is on (Windows 10 1511 and later can), and
/// on a terminal that is not a console (mintty) as it is.
pub fn colour_codes_work(stream: Stream) -> bool {
    #[cfg(windows)]
    {
        windows::enable_virtual_terminal(stream)
    }
    #[cfg(not(windows))]
    {
        let _ = stream;
        true
    }
}

#[cfg(windows)]
mod windows {
    use windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE;
    use windows_sys::Win32::System::Console::{
        GetConsoleMode, GetStdHandle, SetConsoleMode, ENABLE_VIRTUAL_TERMINAL_PROCESSING,
        STD_ERROR_HANDLE, STD_OUTPUT_HANDLE,
    };

    use super::Stream;

    pub fn enable_virtual_terminal(stream: Stream) -> bool {
        let which = match stream {
            Stream::Stdout => STD_OUTPUT_HANDLE,
            Stream::Stderr => STD_ERROR_HANDLE,
        };
        // SAFETY: plain call; the handle is the process's own and is not closed.
        let handle = unsafe { GetStdHandle(which) };
        if handle.is_null() || handle == INVALID_HANDLE_VALUE {
            return false;
        }
        let mut mode = 0;
        // SAFETY: `mode` is written by the call.
        if unsafe { GetConsoleMode(handle, &mut mode) } == 0 {
            // Not a console: a terminal emulator's pipe, which reads the
            // codes itself (std counts only those as terminals).
            return true;
        }
        if mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
            return true;
        }
        // SAFETY: plain call on the console handle above.
        unsafe { SetConsoleMode(handle, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0 }
    }
}
