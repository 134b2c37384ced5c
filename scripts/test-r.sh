#!/usr/bin/env bash
# The R binding (bindings/r): stage the package, build the tarball, check
# it, install it, run its testthat suite and its README's snippets, and
# show that the tarball alone gives a working system.
#
#   scripts/test-r.sh
#
# Steps (any failure fails the script):
#  1. R and the packages it needs, from Debian (installed if missing):
#     r-base-dev r-cran-rcpp r-cran-testthat r-cran-processx r-cran-withr,
#     and for the sleigh's foreach backend r-cran-foreach r-cran-iterators
#     r-cran-doparallel.  CRAN is not used.
#  2. bindings/r/tools/stage.sh: the core into src/nwscore (by
#     scripts/vendor-core.sh), R/tables.R from the core's tables, and
#     DESCRIPTION with core/VERSION's version.  Then R CMD build.
#  3. R CMD check --no-manual of the tarball, its tests included: an ERROR
#     or WARNING fails; NOTEs are printed.
#  4. R CMD INSTALL of the tarball into an empty library, build-r/lib (the
#     interop tests and examples/pipeline reuse it), then the testthat
#     suite from that installation (a failure, an error or a skip fails).
#  5. Every ```r block of bindings/r/README.md, each as one Rscript
#     program, against one nws-server (tests/readme/run_snippets.py sets
#     NWS_HOST/NWS_PORT, which the programs' default server follows).
#  6. In a fresh Rscript whose only added library is build-r/lib, with no
#     nws-server on PATH and no repository around: nwsStartServer() and a
#     store/fetch round trip.
#
# The testthat suite runs its own server inside R (nwsStartServer);
# tests/support/race_peer.py plays the server of the interrupt race tests.
# The README snippets use $NWS_SERVER_BINARY, else build/core/nws-server
# (scripts/setup.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/build-r
export NWS_SERVER_BINARY=${NWS_SERVER_BINARY:-$ROOT/build/core/nws-server}
export NWS_RACE_PEER=$ROOT/tests/support/race_peer.py
export NWS_SLEIGH_EXAMPLE_R=$ROOT/examples/sleigh/pi.R
export MAKEFLAGS=${MAKEFLAGS:--j2}
[ -x "$NWS_SERVER_BINARY" ] || { echo "test-r: no nws-server at $NWS_SERVER_BINARY (run scripts/setup.sh)" >&2; exit 1; }

echo "=== R and its packages"
need=()
command -v R >/dev/null 2>&1 || need+=(r-base-dev)
for p in r-cran-rcpp r-cran-testthat r-cran-processx r-cran-withr r-cran-foreach r-cran-iterators r-cran-doparallel; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-dev "${need[@]}" >/dev/null
fi
R --version | head -1

rm -rf "$WORK"
mkdir -p "$WORK/lib"

echo "=== stage and build"
bindings/r/tools/stage.sh
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

echo "=== README snippets"
python3 tests/readme/run_snippets.py bindings/r/README.md --lang r --run 'Rscript {file}' \
  --server "$NWS_SERVER_BINARY" --env "R_LIBS=$WORK/lib" --min 10

echo "=== the tarball alone: an embedded server, no nws-server anywhere"
alone=$(mktemp -d /tmp/nws-r-alone.XXXXXX)
trap 'rm -rf "$alone"' EXIT
(cd "$alone" && env -i HOME="$alone" PATH=/usr/bin:/bin R_LIBS="$WORK/lib" R_LIBS_USER="$alone/none" \
  Rscript --vanilla -e '
  stopifnot(!nzchar(Sys.which("nws-server")), !nzchar(Sys.getenv("NWS_SERVER_BINARY")))
  library(nws)
  stopifnot(normalizePath(dirname(find.package("nws"))) == normalizePath(Sys.getenv("R_LIBS")))
  srv <- nwsStartServer()
  ws <- netWorkSpace("alone", serverHost = srv$host, port = srv$port)
  nwsStore(ws, "seed", list(answer = 42, list = 1:3))
  stopifnot(identical(nwsFetch(ws, "seed", timeout = 10), list(answer = 42, list = 1:3)))
  nwsClose(ws)
  nwsStopServer(srv)
  cat(sprintf("nws %s from %s: embedded server on port %d, round trip ok\n",
              packageVersion("nws"), Sys.getenv("R_LIBS"), srv$port))')

echo "test-r: all passed"
