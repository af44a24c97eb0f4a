#!/usr/bin/env bash
# Build mif.exe for Windows on Debian 12 and test it under Wine.
# See scripts/windows.sh --help, docs/windows.md, and the measured recipe in
# ../shared/docs/windows-build.md.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/windows.sh [build | test | --help]

  build   Build the release mif.exe for Windows and leave it, stripped, at
          target/windows/mif.exe (target/windows/win7/mif.exe with --win7).
          Rerunning it is incremental.
  test    Build the test binaries for Windows and run the whole test suite
          under Wine (--no-fail-fast), then run mif.exe end to end through
          `cmd /c` (new --temp, check with a wildcard, fmt in place, status).

Options:
  --win7  Build for x86_64-win7-windows-gnu (Windows 7 / Server 2008 R2 and
          later) instead of x86_64-pc-windows-gnu (Windows 10 / Server 2016
          and later, the build we ship).

What it needs, and installs when missing (as root, with apt-get):
  Debian 12 packages rustc-web, cargo-web, rust-web-src (Rust 1.96 as
  /usr/bin/rustc and /usr/bin/cargo, with the standard library's source for
  -Zbuild-std), gcc-mingw-w64-x86-64 (linker, strip) and wine64 (Wine 8).
  rustup's toolchain is not used for Windows and is left alone.

Where things go (all under target/, apart from the Linux build):
  target/windows-build/   cargo's target folder for the Windows builds
  target/windows-wine/    the Wine prefix the tests run in, with a stand-in
                          bcryptprimitives.dll (scripts/windows/processprng.c)
                          because Wine 8 lacks ProcessPrng; test harness only,
                          never shipped
  target/windows/mif.exe  the release build

Environment: MIF_WINDOWS_JOBS sets cargo's --jobs (default: all cores).
EOF
}

root=$(cd "$(dirname "$0")/.." && pwd)
target=x86_64-pc-windows-gnu
command=
for arg in "$@"; do
    case $arg in
        -h | --help) usage; exit 0 ;;
        --win7) target=x86_64-win7-windows-gnu ;;
        build | test)
            [[ -z $command ]] || { echo "windows.sh: one command at a time" >&2; exit 2; }
            command=$arg
            ;;
        *) echo "windows.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
    esac
done
[[ -n $command ]] || { usage >&2; exit 2; }

build_dir=$root/target/windows-build
wine_prefix=$root/target/windows-wine
wine=/usr/lib/wine/wine64
packages=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 wine64)

log() { echo "windows.sh: $*" >&2; }

# The Debian packages, installed only when one is missing.
ensure_packages() {
    local missing=() package
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$package")
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing ${missing[*]}"
    if [[ $(id -u) != 0 ]]; then
        log "needs root to install them (apt-get install ${missing[*]})"
        exit 2
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# The Debian toolchain, not rustup's (which cannot get the Windows standard
# library here): RUSTC_BOOTSTRAP lets the stable compiler take -Zbuild-std.
# Environment only, so the repository's files stay as they are.
cargo_windows() {
    local linker_var
    linker_var=CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_LINKER
    env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
        CARGO_TARGET_DIR="$build_dir" "$linker_var=x86_64-w64-mingw32-gcc" \
        /usr/bin/cargo "$@" --locked --target "$target" -Zbuild-std=std,panic_abort \
        ${MIF_WINDOWS_JOBS:+--jobs "$MIF_WINDOWS_JOBS"}
}

# Wine, quiet, in a prefix of our own; /usr/bin/wine looks for the absent
# 32-bit Wine and exits 53 without a word, so wine64 is called directly.
export WINEPREFIX=$wine_prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
run_wine() { "$wine" "$@"; }

# The prefix, and the ProcessPrng stand-in in its system32 (rebuilt when
# its source changes).
ensure_wine_prefix() {
    local system32=$wine_prefix/drive_c/windows/system32
    if [[ ! -d $system32 ]]; then
        log "creating the Wine prefix $wine_prefix"
        mkdir -p "$wine_prefix"
        run_wine wineboot --init >/dev/null 2>&1 || true
        /usr/lib/wine/wineserver -w
    fi
    [[ -d $system32 ]] || { log "wineboot did not create $system32"; exit 2; }
    local source=$root/scripts/windows/processprng.c dll=$system32/bcryptprimitives.dll
    if [[ ! -f $dll || $source -nt $dll ]]; then
        x86_64-w64-mingw32-gcc -O2 -shared -o "$dll" "$source" -ladvapi32
    fi
}

build() {
    ensure_packages
    local out=$root/target/windows
    [[ $target == x86_64-pc-windows-gnu ]] || out=$out/win7
    log "building mif.exe for $target (the first build takes about 15 minutes on 2 cores)"
    cargo_windows build --release --bin mif
    mkdir -p "$out"
    x86_64-w64-mingw32-strip -o "$out/mif.exe" "$build_dir/$target/release/mif.exe"
    ensure_wine_prefix
    log "built $out/mif.exe ($(stat -c %s "$out/mif.exe") bytes): $(run_wine "$out/mif.exe" --version | tr -d '\r')"
}

test_suite() {
    ensure_packages
    ensure_wine_prefix
    local runner_var
    runner_var=CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_RUNNER
    log "building the test binaries for $target and running them under Wine"
    # Doctests are left to the Linux run: they are platform-free examples,
    # and each would be a separate Windows program to link.
    # insta cannot start `cargo metadata` from inside Wine: it is told
    # where the snapshots are, and never writes new ones.
    # No debug info: the build links some twenty test programs, and
    # nothing reads their debug info under Wine.
    local status=0
    (
        export "$runner_var=$wine" INSTA_WORKSPACE_ROOT="$root" INSTA_UPDATE=no
        export CARGO_PROFILE_DEV_DEBUG=0
        cargo_windows test --no-fail-fast --lib --bins --tests
    ) || status=$?
    local exe=$build_dir/$target/debug/mif.exe
    if [[ -f $exe ]]; then
        end_to_end "$exe" || status=1
    else
        log "no $exe: the build failed, no end-to-end runs"
        status=1
    fi
    return "$status"
}

# mif.exe as a Windows user or an install script runs it: through cmd.
end_to_end() {
    local exe=$1 work
    work=$(mktemp -d "$root/target/windows-e2e.XXXXXX")
    cp "$exe" "$work/mif.exe"
    local passed=0 failed=0
    check() {
        local name=$1
        shift
        if "$@"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            log "end to end FAILED: $name"
        fi
    }
    # cmd /c in the work folder, which Wine sees as a Z: path.
    in_cmd() { (cd "$work" && run_wine cmd /c "$@" 2>&1 | tr -d '\r'); }
    exit_of() { (cd "$work" && run_wine cmd /c "$@" >/dev/null 2>&1; echo $?); }

    mkdir -p "$work/temp" "$work/mifs"
    # TEMP is set inside cmd: Wine gives a program the TEMP of its prefix,
    # whatever the Linux environment says.
    new_temp() {
        local temp='Z:'"${work//\//\\}"'\temp'
        (cd "$work" && run_wine cmd /c "set TEMP=$temp&& mif.exe new --status Failed -c Contoso -p Widget -v 1.0 -d broken --temp widget") \
            >/dev/null 2>&1 || return 1
        [[ -f $work/temp/widget.mif ]] && grep -q $'\r$' "$work/temp/widget.mif"
    }
    check "new --temp writes %TEMP%\\widget.mif with CRLF" new_temp
    check "status of the new file says Failed (exit 1)" \
        test "$(exit_of mif.exe status temp\\widget.mif)" = 1
    cp "$root/examples/kb166833-status.mif" "$work/mifs/kb166833.mif"
    cp "$work/temp/widget.mif" "$work/mifs/widget.mif" 2>/dev/null || true
    echo "not a MIF" >"$work/mifs/notes.txt"
    check "check with a wildcard reads the files it matches" \
        bash -c '[[ $1 == *"checked 2 files"* ]]' _ "$(in_cmd mif.exe check 'mifs\*.mif')"
    printf 'START COMPONENT\r\nNAME = "Messy"\r\nSTART GROUP\r\nNAME = "ComponentID"\r\nCLASS = "DMTF|ComponentID|1.0"\r\nSTART ATTRIBUTE\r\nNAME = "Manufacturer"\r\nID = 1\r\nVALUE = "Contoso"\r\nEND ATTRIBUTE\r\nEND GROUP\r\nEND COMPONENT\r\n' \
        >"$work/messy.mif"
    local before
    before=$(md5sum <"$work/messy.mif")
    fmt_in_place() {
        (cd "$work" && run_wine cmd /c mif.exe fmt messy.mif) >/dev/null 2>&1 || return 1
        [[ $(md5sum <"$work/messy.mif") != "$before" ]] || return 1
        ! compgen -G "$work/.messy.mif.*" >/dev/null
    }
    check "fmt rewrites a file in place and leaves no temporary file" fmt_in_place
    check "fmt --check is content afterwards (exit 0)" \
        test "$(exit_of mif.exe fmt --check messy.mif)" = 0
    check "--help calls the program mif, not mif.exe" \
        bash -c '[[ $1 == *"Usage: mif "* && $1 != *mif.exe* ]]' _ "$(in_cmd mif.exe --help)"
    echo "end-to-end: $passed passed, $failed failed"
    rm -rf "$work"
    ((failed == 0))
}

case $command in
    build) build ;;
    test) test_suite ;;
esac
