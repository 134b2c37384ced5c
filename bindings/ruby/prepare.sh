#!/bin/sh
# Copies the C++ core the extension needs (client, protocol codec, public
# headers) and the SWIG facade into ext/nws_raw/nwscore, so the gem built
# from here is self-contained.  Run before `gem build nws.gemspec`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo="$here/../.."
dst="$here/ext/nws_raw/nwscore"
rm -rf "$dst"
mkdir -p "$dst/include/nws" "$dst/src/client" "$dst/src/protocol" "$dst/facade"
cp "$repo"/core/include/nws/*.hpp "$dst/include/nws/"
cp "$repo"/core/src/client/*.cpp "$repo"/core/src/client/*.hpp "$dst/src/client/"
cp "$repo"/core/src/protocol/*.cpp "$repo"/core/src/protocol/*.hpp "$dst/src/protocol/"
cp "$repo"/bindings/swig/nws_flat.hpp "$repo"/bindings/swig/nws_flat.cpp "$dst/facade/"
