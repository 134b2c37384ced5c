#!/usr/bin/env bash
# The Python binding on Python 3.11 and 3.13 (the newest this machine has):
# for each, a new virtual environment, `pip install ./bindings/python`
# (build isolation on: pybind11 and scikit-build-core come from PyPI) plus
# pytest, then the suite in bindings/python/tests (against the package's
# embedded server, and its shipped nws-server where a test needs a server
# process), then every ```python block of bindings/python/README.md
# (tests/readme/run_snippets.py, with that venv's python).
#
#   scripts/test-python.sh            # both versions
#   scripts/test-python.sh --sdist    # also: stage the core (vendor-core.sh),
#                                     # build the sdist, install it alone from
#                                     # an empty directory into a fresh venv,
#                                     # and run the seed example against an
#                                     # embedded server (slower: a full build)
#
# A missing interpreter is a failure, not a skip.  Builds are cached per
# version under build-python/ (NWS_PY_CLEAN=1 starts from scratch).
# build-python/venv-3.11 is left with nws installed (the interop tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/build-python
VERSIONS=(3.11 3.13)
SDIST=0
for arg in "$@"; do
  case "$arg" in
    --sdist) SDIST=1 ;;
    *) echo "usage: scripts/test-python.sh [--sdist]" >&2; exit 2 ;;
  esac
done
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
mkdir -p "$WORK"
[ "${NWS_PY_CLEAN:-0}" = 1 ] && rm -rf "$WORK"/wheel-build-*

# python X.Y: on PATH if it runs (a pyenv shim may exist without working),
# else a pyenv installation.
find_python() {
  local v="$1" c
  for c in "python$v" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin/"python$v" "/usr/bin/python$v" \
           "/usr/local/bin/python$v"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys, venv' >/dev/null 2>&1; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

# A fresh venv at $2 for interpreter $1.
fresh_venv() {
  rm -rf "$2"
  "$1" -m venv "$2"
}

failed=()
for v in "${VERSIONS[@]}"; do
  echo "=== Python $v"
  if ! py=$(find_python "$v"); then
    echo "test-python: Python $v not found (PATH, \$PYENV_ROOT/versions)" >&2
    failed+=("$v: no interpreter")
    continue
  fi
  venv=$WORK/venv-$v
  fresh_venv "$py" "$venv"
  start=$SECONDS
  if ! "$venv/bin/pip" install -q "$ROOT/bindings/python" pytest numpy pandas \
        --config-settings=build-dir="$WORK/wheel-build-$v"; then
    failed+=("$v: install")
    continue
  fi
  echo "installed with $("$venv/bin/python" --version) in $((SECONDS - start)) s"
  # From the work directory, so `import nws` is the installed package.
  if ! (cd "$WORK" && "$venv/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/bindings/python/tests"); then
    failed+=("$v: tests")
  fi
  # The README's snippets, each a program of its own, against the package's
  # nws-server (NWS_HOST/NWS_PORT point them at it).
  if ! (cd "$WORK" && server=$("$venv/bin/python" -c 'import nws.server; print(nws.server.binary())') &&
        "$venv/bin/python" "$ROOT/tests/readme/run_snippets.py" "$ROOT/bindings/python/README.md" \
          --lang python --run "$venv/bin/python {file}" --server "$server" --min 5); then
    failed+=("$v: README snippets")
  fi
done

if [ "$SDIST" = 1 ]; then
  echo "=== sdist: stage the core, build, then install it on its own"
  py=$(find_python "${VERSIONS[0]}") || { echo "no Python ${VERSIONS[0]}" >&2; exit 1; }
  tools=$WORK/venv-sdist-tools
  fresh_venv "$py" "$tools"
  "$tools/bin/pip" install -q build
  # The one way the core gets into the sdist (vendor/ is ignored by git).
  "$ROOT/scripts/vendor-core.sh" "$ROOT/bindings/python/vendor/core"
  rm -rf "$WORK/dist"
  if ! "$tools/bin/python" -m build --sdist --outdir "$WORK/dist" "$ROOT/bindings/python" >"$WORK/sdist.log" 2>&1; then
    cat "$WORK/sdist.log" >&2
    echo "test-python: building the sdist failed" >&2
    exit 1
  fi
  lonely=$(mktemp -d)  # nothing but the sdist: it must not read outside itself
  trap 'rm -rf "$lonely"' EXIT
  cp "$WORK"/dist/nws-*.tar.gz "$lonely/"
  fresh_venv "$py" "$lonely/venv"
  # No nws-server program (the copy in this throwaway venv is removed) and no
  # repository on the way: the embedded server alone runs the seed example.
  if (cd "$lonely" && env -u PYTHONPATH venv/bin/pip install -q ./nws-*.tar.gz &&
      rm "$(env -u NWS_SERVER_BINARY venv/bin/python -I -c 'import nws.server; print(nws.server.binary())')" &&
      env -u NWS_SERVER_BINARY -u NWS_HOST -u NWS_PORT -u PYTHONPATH PATH=/usr/bin:/bin \
        venv/bin/python -I -c '
import sys
import nws, nws.server
from nws.client import NetWorkSpace
assert nws.__version__ == sys.argv[1], (nws.__version__, sys.argv[1])
with nws.server.local() as srv:
    ws = NetWorkSpace("test", serverHost=srv.host, serverPort=srv.port)
    ws.store("dict example", {"answer": 42, "list": [1, 2, 3]})
    assert ws.fetch("dict example") == {"answer": 42, "list": [1, 2, 3]}
    ws.close()
print("sdist: installed alone, nws %s ran the seed example on its embedded server" % nws.__version__)' \
        "$(cat "$ROOT/core/VERSION")"); then :; else
    failed+=("sdist")
  fi
fi

if ((${#failed[@]})); then
  echo "test-python: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test-python: all passed (${VERSIONS[*]})"
