#!/usr/bin/env bash
# The main job: set up, build, start nws-server, and show a client using it.
#   scripts/run.sh [--port N] [--demo-only]
# The server stays in the foreground after the demo (Ctrl-C stops it);
# --demo-only stops it after the demo instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=8765
DEMO_ONLY=0
while (($#)); do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --demo-only) DEMO_ONLY=1; shift ;;
    *) echo "usage: scripts/run.sh [--port N] [--demo-only]" >&2; exit 2 ;;
  esac
done

scripts/setup.sh

out=$(mktemp)
build/core/nws-server --port "$PORT" >"$out" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$out"' EXIT
# Wait for the "listening" line rather than guessing a delay.
for _ in $(seq 1 200); do
  grep -q "listening on" "$out" && break
  kill -0 $server 2>/dev/null || { echo "nws-server failed to start" >&2; exit 1; }
  sleep 0.05
done
cat "$out"
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out")

echo "--- demo: a C++ client stores and fetches through the server"
build/examples/hello 127.0.0.1 "$port"

if [ "$DEMO_ONLY" = 1 ]; then
  kill -TERM $server
  wait $server
  exit 0
fi
web=$(grep -o 'http://[^ ]*' "$out" || true)
echo "--- nws-server is running on 127.0.0.1:$port${web:+; watch it at $web (workspaces, connections, the Sleigh Monitor, /metrics)}"
echo "--- press Ctrl-C to stop it"
trap 'rm -f "$out"' EXIT
wait $server
