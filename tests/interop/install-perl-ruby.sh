#!/usr/bin/env bash
# Builds the Perl module and the Ruby gem from copies of bindings/perl and
# bindings/ruby and installs them under $1 (perl: $1/perl, ruby gems:
# $1/gems), without writing into bindings/.  $1 must be a directory directly
# inside the repository (e.g. build-interop): Perl's Makefile.PL finds the
# core at ../.. from its copy and refreshes its nwscore/ from there.  The
# Ruby copy gets its nwscore/ from the core here (what prepare.sh does).
# Used by scripts/test-interop.sh and examples/pipeline/run.sh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dest=$1
export MAKEFLAGS=${MAKEFLAGS:--j2}
mkdir -p "$dest"
[ "$(cd "$dest/.." && pwd)" = "$repo" ] || { echo "$0: $dest must be directly inside $repo" >&2; exit 1; }
rm -rf "$dest/perl-src" "$dest/perl" "$dest/ruby-src" "$dest/gems"
mkdir -p "$dest"
cp -r "$repo/bindings/perl" "$dest/perl-src"
(cd "$dest/perl-src" && perl Makefile.PL INSTALL_BASE="$dest/perl" >/dev/null && make >/dev/null && make install >/dev/null)
cp -r "$repo/bindings/ruby" "$dest/ruby-src"
core=$dest/ruby-src/ext/nws_raw/nwscore
rm -rf "$core" && mkdir -p "$core/include/nws" "$core/src/client" "$core/src/protocol" "$core/facade"
cp "$repo"/core/include/nws/*.hpp "$core/include/nws/"
cp "$repo"/core/src/client/*.cpp "$repo"/core/src/client/*.hpp "$core/src/client/"
cp "$repo"/core/src/protocol/*.cpp "$repo"/core/src/protocol/*.hpp "$core/src/protocol/"
cp "$repo"/bindings/swig/nws_flat.hpp "$repo"/bindings/swig/nws_flat.cpp "$core/facade/"
(cd "$dest/ruby-src" && gem build nws.gemspec --output "$dest/nws.gem" >/dev/null &&
  gem install --local --no-document --install-dir "$dest/gems" "$dest/nws.gem" >/dev/null)
touch "$dest/installed"
