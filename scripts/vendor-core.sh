#!/usr/bin/env bash
# Copies the core into a package: the one way every package that carries
# the core gets it (the R package, the Perl distribution, the Ruby gem, the
# Python sdist).  What is copied is decided by core/cmake/vendor.cmake.
#
#   scripts/vendor-core.sh DEST
#
# DEST is emptied first.  Needs cmake and a C++ compiler (configure only:
# nothing is compiled here).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:?usage: scripts/vendor-core.sh DEST}
# A configure of its own each time: packages may be staged side by side.
work=$(mktemp -d "${TMPDIR:-/tmp}/nws-vendor.XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake -S "$repo/core" -B "$work" >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; exit 1; }
rm -rf "$dest"
cmake --install "$work" --component nws-core-sources --prefix "$dest" >/dev/null
