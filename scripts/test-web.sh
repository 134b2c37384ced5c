#!/usr/bin/env bash
# The server's web interface (tests/web): the JSON API, /metrics parsed by
# Prometheus's client, the pages over HTTP, bad HTTP, the Sleigh Monitor
# following a real sleigh, and the pages in headless Chromium driven by
# Selenium (screenshots under build-web/screenshots).  Run against the
# release server, then against the AddressSanitizer one (its exit status
# must be clean: no leak, no error).
#
# Uses build-python/venv-3.11 (left by scripts/test-python.sh, with nws
# installed); without it, makes build-web/venv and installs the binding.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PIP_DISABLE_PIP_VERSION_CHECK=1

for tool in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$tool" ] || { echo "test-web: $tool is missing (scripts/setup.sh installs chromium and chromium-driver)" >&2; exit 1; }
done

VENV=$ROOT/build-python/venv-3.11
if ! "$VENV/bin/python" -c 'import nws, pytest' 2>/dev/null; then
  VENV=$ROOT/build-web/venv
  if ! "$VENV/bin/python" -c 'import nws' 2>/dev/null; then
    echo "test-web: installing the Python binding into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q ./bindings/python pytest
  fi
fi
"$VENV/bin/pip" install -q selenium prometheus_client

servers=("$ROOT/build/core/nws-server")
[ -x "$ROOT/build-asan/core/nws-server" ] && servers+=("$ROOT/build-asan/core/nws-server")
for server in "${servers[@]}"; do
  echo "test-web: against $server"
  (cd tests/web && NWS_SERVER=$server "$VENV/bin/python" -m pytest -q -s -p no:cacheprovider .)
done
