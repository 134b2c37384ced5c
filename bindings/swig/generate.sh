#!/bin/sh
# Regenerates the SWIG wrappers committed in the packages, so users of the
# packages need no SWIG.  Run after editing nws.i or nws_flat.hpp.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v swig >/dev/null || { echo "generate.sh: swig not found (apt-get install swig)" >&2; exit 1; }
inc="-I$here -I$here/../../core/include"
# Perl: bindings/perl/nws_wrap.cxx + lib/NWS/Raw.pm
swig -c++ -perl5 $inc -o "$here/../perl/nws_wrap.cxx" -outdir "$here/../perl/lib/NWS" "$here/perl.i"
# Ruby: bindings/ruby/ext/nws_raw/nws_wrap.cxx (module NWS::Raw as extension nws_raw)
if [ -f "$here/ruby.i" ]; then
  mkdir -p "$here/../ruby/ext/nws_raw"
  swig -c++ -ruby $inc -o "$here/../ruby/ext/nws_raw/nws_wrap.cxx" "$here/ruby.i"
fi
