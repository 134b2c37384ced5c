#!/usr/bin/env bash
# The sleigh benchmark (bench/sleigh/bench.py): one table, every peer in the
# same run, 2 local workers.  The peers come from PyPI into a venv of their
# own (build-sleigh/bench-venv: joblib, dask[distributed], ray), with the nws
# package installed from this tree.
#
#   bench/sleigh/run.sh [bench.py options: --workers N --repeat N --peers a,b]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=$ROOT/build-sleigh/bench-venv
PY=${NWS_BENCH_PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1 CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
"$VENV/bin/python" -c 'import joblib, dask.distributed, ray' 2>/dev/null ||
  "$VENV/bin/pip" install -q joblib "dask[distributed]" ray
# The package as this tree has it (a rebuild only when the sources changed).
"$VENV/bin/pip" install -q "$ROOT/bindings/python" --config-settings=build-dir="$ROOT/build-sleigh/wheel-bench"
cd "$ROOT/build-sleigh"  # not the source tree: `import nws` is the installed package
exec "$VENV/bin/python" "$ROOT/bench/sleigh/bench.py" "$@"
