#!/usr/bin/env bash
# The R binding (bindings/r): build the tarball, check it, install it, run
# its testthat suite against the repository's nws-server, and exchange
# strings with the Python binding.
#
#   scripts/test-r.sh
#
# Steps (any failure fails the script):
#  1. R and the packages it needs, from Debian (installed if missing):
#     r-base-dev r-cran-rcpp r-cran-testthat (r-cran-processx comes with
#     testthat).  CRAN is not used.
#  2. bindings/r/tools/sync-core.sh copies the core sources into the package
#     (the list is core/CMakeLists.txt's nws_protocol and nws_client).
#  3. R CMD build, then R CMD check --no-manual of the tarball: an ERROR or
#     WARNING fails; NOTEs are printed.
#  4. R CMD INSTALL of the tarball into a temporary library, then the
#     testthat suite from that installation.
#  5. bindings/r/interop/exchange.R with a Python venv holding
#     bindings/python (build-python/venv-3.11 when scripts/test-python.sh
#     made it, else a venv of our own under build-r/).
#
# The server: $NWS_SERVER_BINARY, else build/core/nws-server (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/build-r
export NWS_SERVER_BINARY=${NWS_SERVER_BINARY:-$ROOT/build/core/nws-server}
export MAKEFLAGS=${MAKEFLAGS:--j2}
[ -x "$NWS_SERVER_BINARY" ] || { echo "test-r: no nws-server at $NWS_SERVER_BINARY (run scripts/setup.sh)" >&2; exit 1; }

echo "=== R and its packages"
need=()
command -v R >/dev/null 2>&1 || need+=(r-base-dev)
for p in r-cran-rcpp r-cran-testthat r-cran-processx; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-dev "${need[@]}" >/dev/null
fi
R --version | head -1

rm -rf "$WORK"
mkdir -p "$WORK/lib"

echo "=== build"
sh bindings/r/tools/sync-core.sh
(cd "$WORK" && R CMD build "$ROOT/bindings/r" >build.log 2>&1) || { cat "$WORK/build.log"; exit 1; }
tarball=$(ls "$WORK"/nws_*.tar.gz)
echo "built $(basename "$tarball")"

echo "=== check"
(cd "$WORK" && _R_CHECK_FORCE_SUGGESTS_=true R CMD check --no-manual "$tarball" >check.log 2>&1) || true
cat "$WORK/check.log"
if grep -Eq '^Status: .*(ERROR|WARNING)' "$WORK/check.log" || ! grep -q '^Status: ' "$WORK/check.log"; then
  echo "test-r: R CMD check reported errors or warnings (see above)" >&2
  exit 1
fi

echo "=== install the tarball and run the suite"
R CMD INSTALL -l "$WORK/lib" "$tarball" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; exit 1; }
(cd "$ROOT/bindings/r/tests" && R_LIBS="$WORK/lib" Rscript -e '
  library(testthat); library(nws, lib.loc = Sys.getenv("R_LIBS"))
  res <- as.data.frame(test_dir("testthat", reporter = "summary", stop_on_failure = TRUE))
  cat(sprintf("testthat: %d tests, %d expectations, %d failed, %d skipped, %d errors\n",
              nrow(res), sum(res$nb), sum(res$failed), sum(res$skipped), sum(res$error)))
  if (sum(res$failed) || sum(res$skipped) || any(res$error)) quit(status = 1)')

echo "=== R <-> Python"
py=$ROOT/build-python/venv-3.11/bin/python
if ! [ -x "$py" ] || ! "$py" -c 'import nws.client' >/dev/null 2>&1; then
  py3=$(command -v python3.11 || command -v python3)
  "$py3" -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q "$ROOT/bindings/python" --config-settings=build-dir="$ROOT/build-python/wheel-build-r"
  py=$WORK/venv/bin/python
fi
R_LIBS="$WORK/lib" Rscript bindings/r/interop/exchange.R "$py" "$NWS_SERVER_BINARY"

echo "test-r: all passed"
