#!/usr/bin/env bash
# The Java sleigh's trivial-task throughput (SleighBench.java): compiled
# against the jar scripts/test-java.sh leaves (bindings/java/target/nws.jar),
# run on 2 local Java workers with a server inside the master unless
# $NWS_HOST/$NWS_PORT name one.  Prints two Markdown table rows.
#
#   bench/sleigh/java/run.sh [--tasks N] [--workers N] [--repeat N]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
JAR=$ROOT/bindings/java/target/nws.jar
[ -f "$JAR" ] || { echo "bench/sleigh/java: no $JAR (run scripts/test-java.sh)" >&2; exit 1; }
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
javac -cp "$JAR" -d "$classes" "$HERE/SleighBench.java"
java -cp "$JAR:$classes" org.networkspaces.bench.SleighBench "$@"
