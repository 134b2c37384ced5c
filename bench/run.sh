#!/usr/bin/env bash
# Builds the benchmarks (build-bench/, Release -O2) and runs every scenario
# against nws-server, redis-server and the raw TCP floor; prints one table.
#
#   bench/run.sh            # full run, both placements, ~8 minutes
#   bench/run.sh --quick    # smoke run, about a minute
#   bench/run.sh --only 1,3@64 --placements pinned --repeats 5
#
# Other options are passed to bench/driver.py (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v taskset >/dev/null || need+=(util-linux)
command -v cmake >/dev/null || need+=(cmake)
command -v ninja >/dev/null || need+=(ninja-build)
if ((${#need[@]})); then
  echo "bench: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

BUILD=build-bench
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DNWS_BUILD_BENCH=ON -DNWS_BUILD_TESTS=OFF >/dev/null
fi
echo "bench: building ($BUILD/)" >&2
cmake --build "$BUILD" -j "${NWS_JOBS:-2}" --target nws-server nws-bench-load nws-bench-floor >/dev/null

exec python3 bench/driver.py --build "$BUILD" "$@"
