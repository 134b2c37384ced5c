#!/usr/bin/env bash
# The Python binding on Python 3.11 and 3.13 (the newest this machine has):
# for each, a new virtual environment, `pip install ./bindings/python`
# (build isolation on: pybind11 and scikit-build-core come from PyPI) plus
# pytest, then the suite in bindings/python/tests against the nws-server
# shipped in the installed package.
#
#   scripts/test-python.sh            # both versions
#   scripts/test-python.sh --sdist    # also: build the sdist, install it from
#                                     # an empty directory into a fresh venv,
#                                     # and run a smoke test (slower: a full build)
#
# A missing interpreter is a failure, not a skip.  Builds are cached per
# version under build-python/ (NWS_PY_CLEAN=1 starts from scratch).
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
  if ! "$venv/bin/pip" install -q "$ROOT/bindings/python" pytest \
        --config-settings=build-dir="$WORK/wheel-build-$v"; then
    failed+=("$v: install")
    continue
  fi
  echo "installed with $("$venv/bin/python" --version) in $((SECONDS - start)) s"
  # From the work directory, so `import nws` is the installed package.
  if ! (cd "$WORK" && "$venv/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/bindings/python/tests"); then
    failed+=("$v: tests")
  fi
done

if [ "$SDIST" = 1 ]; then
  echo "=== sdist: build, then install it on its own"
  py=$(find_python "${VERSIONS[0]}") || { echo "no Python ${VERSIONS[0]}" >&2; exit 1; }
  tools=$WORK/venv-sdist-tools
  fresh_venv "$py" "$tools"
  "$tools/bin/pip" install -q build
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
  if (cd "$lonely" && venv/bin/pip install -q ./nws-*.tar.gz &&
      venv/bin/python -c '
import nws.server
from nws.client import NetWorkSpace
with nws.server.local() as srv:
    ws = NetWorkSpace("test", serverHost=srv.host, serverPort=srv.port)
    ws.store("dict example", {"sdist": True})
    assert ws.fetch("dict example") == {"sdist": True}
    ws.close()
print("sdist smoke test passed")'); then :; else
    failed+=("sdist")
  fi
fi

if ((${#failed[@]})); then
  echo "test-python: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test-python: all passed (${VERSIONS[*]})"
