# Starting an nws-server for a script: sourced, never run.
#
#   . scripts/lib/server.sh
#   nws_start_server SPOOL_DIR [nws-server options...]
#
# Starts $NWS_SERVER_BINARY (default build/core/nws-server) on 127.0.0.1 and
# a free port (its web interface on another), with its spool under SPOOL_DIR, and waits until it listens.
# Sets NWS_SERVER_PID, and exports NWS_HOST and NWS_PORT, which every
# binding's client uses when a program names no server.  Returns non-zero,
# with the server's output on stderr, if it does not start.  The caller stops
# it (kill "$NWS_SERVER_PID").

nws_start_server() {
  local spool=$1; shift
  local root binary out line
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  binary=${NWS_SERVER_BINARY:-$root/build/core/nws-server}
  [ -x "$binary" ] || { echo "no nws-server at $binary (run scripts/setup.sh)" >&2; return 1; }
  mkdir -p "$spool"
  out=$spool/server.out
  # Free ports only, the web interface's too (its default 8766 may be taken).
  "$binary" --bind 127.0.0.1 --port 0 --web-port 0 --spool-dir "$spool" --log-level warn "$@" >"$out" 2>&1 &
  NWS_SERVER_PID=$!
  # The first line says where it listens: wait for it, not for a guessed delay.
  for _ in $(seq 1 1000); do
    line=$(head -1 "$out")
    if [[ "$line" =~ ^nws-server\ listening\ on\ ([^ ]+):([0-9]+)$ ]]; then
      export NWS_HOST=${BASH_REMATCH[1]} NWS_PORT=${BASH_REMATCH[2]}
      return 0
    fi
    kill -0 "$NWS_SERVER_PID" 2>/dev/null || break
    sleep 0.01
  done
  echo "nws-server did not start: $(cat "$out")" >&2
  kill "$NWS_SERVER_PID" 2>/dev/null
  return 1
}
