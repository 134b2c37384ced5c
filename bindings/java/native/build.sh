#!/usr/bin/env bash
# Builds libnwsjni.so and nws-server with CMake and Ninja (pom.xml runs this
# during generate-resources).  The CMake and compiler output goes to
# BUILD_DIR/build.log and is shown only when the build fails, so that
# `mvn -q` prints nothing when all is well.
#
#   build.sh BUILD_DIR JAVA_HOME JOBS
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1 java_home=$2 jobs=$3
mkdir -p "$build"
log=$build/build.log
if ! {
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNWS_JNI_INCLUDE="$java_home/include" &&
    cmake --build "$build" -j "$jobs" --target nwsjni nws-server
} >"$log" 2>&1; then
  cat "$log" >&2
  echo "native build failed; the output above is also in $log" >&2
  exit 1
fi
