#!/usr/bin/env bash
# Runs every C++ and Python code block of the top-level README.md as a
# program against a fresh nws-server (tests/readme/run_snippets.py), so the
# README cannot rot.  Each binding's README is run by that binding's script.
#
#   scripts/test-readme.sh
#
# Needs build/ (scripts/setup.sh) and the Python venv that
# scripts/test-python.sh leaves in build-python/venv-3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SERVER=$ROOT/build/core/nws-server
PY=$ROOT/build-python/venv-3.11/bin/python
[ -x "$SERVER" ] || { echo "test-readme: no $SERVER (run scripts/setup.sh)" >&2; exit 1; }
[ -x "$PY" ] || { echo "test-readme: no $PY (run scripts/test-python.sh)" >&2; exit 1; }

# C++: each block a program, compiled against the core's public headers and
# libraries only.
libs="$ROOT/build/core/libnws_client.a $ROOT/build/core/libnws_server_lib.a"
libs="$libs $ROOT/build/core/libnws_engine.a $ROOT/build/core/libnws_security.a $ROOT/build/core/libnws_protocol.a"
python3 tests/readme/run_snippets.py README.md --lang cpp --server "$SERVER" --min 4 \
  --run "g++ -std=c++20 -I$ROOT/core/include {file} -o {file}.bin $libs -lssl -lcrypto -lz -pthread && {file}.bin"
python3 tests/readme/run_snippets.py README.md --lang python --server "$SERVER" --run "$PY {file}"
