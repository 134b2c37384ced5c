#!/usr/bin/env bash
# What durability costs, beside Redis with the same guarantee: stores/s of
# 10-byte values into a durable nws-server (--fsync everysec, always)
# beside Redis with appendonly yes and appendfsync everysec, always, in one
# run; and how long a restart takes with a million values in the log.
#
#   bench/durable/run.sh [--rounds N] [--seconds S] [--conns C] [--values V]
#
# Builds what it needs into build-bench/ (like bench/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v redis-server >/dev/null || { echo "bench/durable: redis-server is missing (scripts/setup.sh installs it)" >&2; exit 1; }
BUILD=build-bench
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DNWS_BUILD_BENCH=ON -DNWS_BUILD_TESTS=OFF >/dev/null
fi
echo "bench/durable: building ($BUILD/)" >&2
cmake --build "$BUILD" -j "${NWS_JOBS:-2}" --target nws-server nws-bench-load >/dev/null
exec python3 bench/durable/run.py --build "$BUILD" "$@"
