#!/usr/bin/env bash
# The sleigh benchmarks, 2 local workers, every peer in the same run: the
# Python sleigh against Python's pools (bench/sleigh/bench.py), then the R
# sleigh against R's (bench/sleigh/bench.R).  The Python peers come from
# PyPI into a venv of their own (build-sleigh/bench-venv: joblib,
# dask[distributed], ray), the R ones from Debian (parallel, foreach,
# doParallel: scripts/setup.sh); the nws packages are installed from this
# tree.  Then every language's sleigh on trivial tasks, side by side
# (bench/sleigh/languages.sh, with the packages the binding scripts installed).
#
#   bench/sleigh/run.sh [bench.py options: --workers N --repeat N --peers a,b]
#   bench/sleigh/run.sh --r-only [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=$ROOT/build-sleigh/bench-venv
PY=${NWS_BENCH_PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi

# The R package as this tree has it, in a library of its own.
run_r() {
  local rlib=$ROOT/build-sleigh/bench-rlib
  mkdir -p "$rlib"
  "$ROOT/bindings/r/tools/stage.sh" >/dev/null
  MAKEFLAGS=${MAKEFLAGS:--j2} R CMD INSTALL -l "$rlib" "$ROOT/bindings/r" >"$ROOT/build-sleigh/bench-rinstall.log" 2>&1 ||
    { cat "$ROOT/build-sleigh/bench-rinstall.log"; exit 1; }
  (cd "$ROOT/build-sleigh" && R_LIBS="$rlib" Rscript "$ROOT/bench/sleigh/bench.R" "$@")
}
if [ "${1:-}" = "--r-only" ]; then
  shift
  mkdir -p "$ROOT/build-sleigh"
  run_r "$@"
  exit
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1 CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
"$VENV/bin/python" -c 'import joblib, dask.distributed, ray' 2>/dev/null ||
  "$VENV/bin/pip" install -q joblib "dask[distributed]" ray
# The package as this tree has it (a rebuild only when the sources changed).
"$VENV/bin/pip" install -q "$ROOT/bindings/python" --config-settings=build-dir="$ROOT/build-sleigh/wheel-bench"
cd "$ROOT/build-sleigh"  # not the source tree: `import nws` is the installed package
"$VENV/bin/python" "$ROOT/bench/sleigh/bench.py" "$@"
echo
run_r
echo
"$ROOT/bench/sleigh/languages.sh"
