#!/bin/sh
# Copies the core sources the R package compiles into src/nwscore/.
#
# The list of sources is not kept here: it is read from the nws_protocol and
# nws_client targets in core/CMakeLists.txt (the one list), plus every header
# of core/include/nws and of those two source folders.  Run from a repository
# checkout (configure does it when ../../core exists; scripts/test-r.sh does
# it before `R CMD build`), so the tarball carries its own copy and an
# install from it reads nothing outside the package directory.
set -eu
pkg=$(cd "$(dirname "$0")/.." && pwd)
core=${1:-$pkg/../../core}
[ -f "$core/CMakeLists.txt" ] || { echo "sync-core: no core at $core" >&2; exit 1; }
dest=$pkg/src/nwscore
rm -rf "$dest"
mkdir -p "$dest/include/nws" "$dest/src/protocol" "$dest/src/client"
# The .cpp lines of one add_library(<target> STATIC ...) block.
sources_of() {
  sed -n "/^add_library($1 STATIC/,/)/p" "$core/CMakeLists.txt" |
    grep -o 'src/[A-Za-z0-9_/]*\.cpp'
}
list=$( { sources_of nws_protocol; sources_of nws_client; } )
[ -n "$list" ] || { echo "sync-core: no sources found in $core/CMakeLists.txt" >&2; exit 1; }
for f in $list; do cp "$core/$f" "$dest/$f"; done
cp "$core"/include/nws/*.hpp "$dest/include/nws/"
cp "$core"/src/protocol/*.hpp "$dest/src/protocol/"
cp "$core"/src/client/*.hpp "$dest/src/client/"
echo "$list" > "$dest/SOURCES"
