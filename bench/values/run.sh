#!/usr/bin/env bash
# Moving a 10-million-element double vector between Python and R, in one
# run: as a portable value (numpy array -> R numeric vector and back),
# beside the same 80 MB as a raw binary value (the ceiling: bytes in, bytes
# out, no typing at either end), beside pickle within Python.  Each side
# times its own part (store, then fetch of a value already there), so the
# figures are store+fetch with every conversion, without process start-up.
#
#   bench/values/run.sh [ROUNDS]     (default 5; medians are printed)
#
# Uses what the test scripts installed: build-python/venv-3.11 (with numpy)
# and build-r/lib (scripts/lib/bindings.sh), and build/core/nws-server.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
N=${1:-5}
. scripts/lib/bindings.sh
PY=$NWS_PYTHON
export R_LIBS=$NWS_R_LIB
tmp=$(mktemp -d /tmp/nws-bench-values.XXXXXX)
. scripts/lib/server.sh
nws_start_server "$tmp/spool"
trap 'kill $NWS_SERVER_PID 2>/dev/null; rm -rf "$tmp"' EXIT
"$PY" -c 'import sys; from nws.client import NetWorkSpace
NetWorkSpace("bench_values", serverHost=sys.argv[1], serverPort=int(sys.argv[2]), persistent=True).close()' "$NWS_HOST" "$NWS_PORT"

py() { "$PY" bench/values/bench.py "$NWS_HOST" "$NWS_PORT" "$@"; }
r() { Rscript bench/values/bench.R "$NWS_HOST" "$NWS_PORT" "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# One direction: WRITER-store then READER-fetch, N values; prints the
# medians and MB/s of store+fetch.
row() {
  local label=$1 kind=$2 writer=$3 reader=$4 s f
  $writer store "$kind" "$N" >"$tmp/store"
  $reader fetch "$kind" "$N" >"$tmp/fetch"
  s=$(median <"$tmp/store"); f=$(median <"$tmp/fetch")
  awk -v l="$label" -v s="$s" -v f="$f" 'BEGIN { printf "%-34s store %7.1f ms  fetch %7.1f ms  %8.1f MB/s\n", l, s*1000, f*1000, 80/(s+f) }' |
    tee -a "$tmp/rows"
}

echo "10,000,000 doubles (80 MB), median of $N, $(nproc) cores"
row "portable  Python -> R" portable py r
row "raw bytes Python -> R" raw py r
row "portable  R -> Python" portable r py
row "raw bytes R -> Python" raw r py
p=$(py pickle "$N" | median)
awk -v p="$p" 'BEGIN { printf "%-34s store+fetch %7.1f ms  %8.1f MB/s\n", "pickle    Python -> Python", p*1000, 80/p }'
awk '/Python -> R/ { v[NR] = $(NF-1) } /R -> Python/ { w[NR] = $(NF-1) } END {
  printf "portable / raw: Python -> R %.2fx, R -> Python %.2fx (target >= 0.8x)\n", v[1] ? v[1]/v[2] : 0, w[3] ? w[3]/w[4] : 0 }' "$tmp/rows"
