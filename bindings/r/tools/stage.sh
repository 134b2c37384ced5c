#!/bin/sh
# Makes bindings/r a complete R package, from a repository checkout:
#   * src/nwscore/   the core, by scripts/vendor-core.sh (the one way a
#                    package gets it);
#   * R/tables.R     the condition classes and constants, generated from
#                    the core's tables (core/tools/tables);
#   * DESCRIPTION    from DESCRIPTION.in, its Version from core/VERSION.
# All three are generated, never committed (see .gitignore); `R CMD build`
# then puts them in the tarball, which builds with nothing but R, Rcpp and
# a C++20 compiler.
#
#   bindings/r/tools/stage.sh
set -eu
pkg=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$pkg/../.." && pwd)
[ -x "$repo/scripts/vendor-core.sh" ] || { echo "stage: $repo is not a repository checkout" >&2; exit 1; }

core=$pkg/src/nwscore
"$repo/scripts/vendor-core.sh" "$core"
# Everything below reads the copy just made, so the package is one snapshot.
python3 "$core/tools/tables/generate.py" r "$pkg/R/tables.R" --core "$core"
version=$(cat "$core/VERSION")
# R wants two to four numbers separated by dots or dashes.
echo "$version" | grep -Eq '^[0-9]+([.-][0-9]+){1,3}$' ||
  { echo "stage: core/VERSION '$version' is not a version R accepts" >&2; exit 1; }
sed "s/@VERSION@/$version/" "$pkg/DESCRIPTION.in" > "$pkg/DESCRIPTION.tmp"
mv "$pkg/DESCRIPTION.tmp" "$pkg/DESCRIPTION"
echo "stage: bindings/r is the R package nws $version"
