#!/usr/bin/env bash
# What TLS costs, beside Redis's TLS: small-value requests/s (scenario
# `pairs`) and 1 MiB values MB/s (scenario `large`) against nws-server and
# redis-server, each plain and with TLS, in one run (bench/README.md, "TLS").
#
#   bench/tls/run.sh [--repeats N] [--placements unpinned,pinned] [--quick]
#
# Builds what it needs into build-bench/ (like bench/run.sh); Debian's
# redis-server must be built with TLS (7.0 is).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v redis-server >/dev/null || { echo "bench/tls: redis-server is missing (scripts/setup.sh installs it)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "bench/tls: openssl is missing (it makes the test certificates)" >&2; exit 1; }
BUILD=build-bench
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DNWS_BUILD_BENCH=ON -DNWS_BUILD_TESTS=OFF >/dev/null
fi
echo "bench/tls: building ($BUILD/)" >&2
cmake --build "$BUILD" -j "${NWS_JOBS:-2}" --target nws-server nws-bench-load >/dev/null
exec python3 bench/tls/run.py --build "$BUILD" "$@"
