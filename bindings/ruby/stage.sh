#!/bin/sh
# Puts into this directory everything `gem build nws.gemspec` packs besides
# the hand-written files, so that the gem installs on a machine without
# SWIG, Python or this repository:
#   ext/nws_raw/nwscore/     the core (scripts/vendor-core.sh), built by
#                            extconf.rb through its Makefile (libnwscore.a)
#   ext/nws_raw/facade*.*    the SWIG facade (bindings/swig)
#   ext/nws_raw/nws_wrap.cxx the SWIG wrapper (swig -c++ -ruby, ruby.i)
#   lib/nws/tables.rb        error classes and constants (core/tools/tables)
# All of them are generated and gitignored.  Needs cmake (for the vendoring),
# swig and python3.  Run from anywhere: bindings/ruby/stage.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
ext=$here/ext/nws_raw
swig_dir=$repo/bindings/swig

for tool in cmake swig python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "stage.sh: $tool not found (scripts/setup.sh installs it)" >&2; exit 1; }
done

"$repo/scripts/vendor-core.sh" "$ext/nwscore"
cp "$swig_dir/facade.hpp" "$swig_dir/facade.cpp" "$swig_dir/facade_portable.hpp" "$swig_dir/facade_portable.cpp" \
  "$swig_dir/facade_sleigh.hpp" "$swig_dir/facade_sleigh.cpp" "$ext/"
swig -c++ -ruby -I"$swig_dir" -I"$ext/nwscore/include" -o "$ext/nws_wrap.cxx" "$swig_dir/ruby.i"
python3 "$repo/core/tools/tables/generate.py" ruby "$here/lib/nws/tables.rb"
echo "staged the core $(cat "$ext/nwscore/VERSION"), the facade, the SWIG wrapper and lib/nws/tables.rb"
