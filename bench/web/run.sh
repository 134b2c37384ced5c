#!/usr/bin/env bash
# Does watching the server cost its clients?  NWS requests/s with the web
# interface's workspace page and /metrics each polled 10 times a second,
# beside the same load with nobody watching, in one run (alternating).
#
#   bench/web/run.sh                 # 31 pairs of 1.5 s runs, server and load pinned
#   bench/web/run.sh --repeats 9 --seconds 5 --conns 64
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=build-bench
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DNWS_BUILD_BENCH=ON -DNWS_BUILD_TESTS=OFF >/dev/null
fi
echo "bench: building ($BUILD/)" >&2
cmake --build "$BUILD" -j "${NWS_JOBS:-2}" --target nws-server nws-bench-load >/dev/null
exec python3 bench/web/driver.py --build "$BUILD" "$@"
