#!/usr/bin/env bash
# The Java binding: `mvn verify` in bindings/java (CMake builds libnwsjni.so
# and nws-server into build-java/; the JUnit 5 suite runs against real
# servers on free loopback ports), then the jar smoke test: nws.jar copied
# into an empty directory, a small program compiled against it and run with
# `java -cp nws.jar:app.jar`, the native library loaded from inside the jar; and
# once more with -Dnws.native.library pointing at another copy.
#
#   scripts/test-java.sh
#
# Needs a JDK 17+ and Maven 3.8+ (dependencies come from Maven Central).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
for tool in java javac mvn cmake ninja; do
  command -v "$tool" >/dev/null || { echo "test-java: $tool not found" >&2; exit 1; }
done

echo "=== mvn verify (bindings/java)"
mvn -q -B -f bindings/java verify

echo "=== jar smoke test"
JAR=$ROOT/bindings/java/target/nws.jar
SERVER=$ROOT/build-java/nws-core/nws-server
[ -f "$JAR" ] || { echo "test-java: $JAR was not built" >&2; exit 1; }
lonely=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$lonely"
}
trap cleanup EXIT
cp "$JAR" "$lonely/"
cp "$ROOT/bindings/java/smoke/SmokeApp.java" "$lonely/"
mkdir "$lonely/spool"

# The server on a free loopback port; its first line names the port.
coproc SRV { exec "$SERVER" --bind 127.0.0.1 --port 0 --spool-dir "$lonely/spool" --log-level warn; }
server_pid=$SRV_PID
read -r -t 10 line <&"${SRV[0]}" || { echo "test-java: nws-server did not start" >&2; exit 1; }
port=${line##*:}
[[ "$port" =~ ^[0-9]+$ ]] || { echo "test-java: unexpected server line: $line" >&2; exit 1; }

cd "$lonely"
javac -cp nws.jar -d classes SmokeApp.java
jar cf app.jar -C classes .
rm -r SmokeApp.java classes
# Nothing but the jar and the program: no libnwsjni.so beside them.
if ls ./*.so >/dev/null 2>&1; then echo "test-java: a stray .so in the smoke directory" >&2; exit 1; fi
out=$(java -Xcheck:jni -cp nws.jar:app.jar SmokeApp "$port")
echo "$out"
# The mapped library is the loader's extracted copy (a temporary nwsjni*
# directory), and the jar is the only place it can have come from.
[[ "$out" == *"mapped /"*"/nwsjni"*"/libnwsjni.so (jar resource jar:file:$lonely/nws.jar!/native/linux-x86_64/libnwsjni.so)"* ]] ||
  { echo "test-java: the native library was not loaded from the jar" >&2; exit 1; }

# The system property points at another copy.
cp "$ROOT/build-java/libnwsjni.so" "$lonely/other-copy.so"
out=$(java -Dnws.native.library="$lonely/other-copy.so" -cp nws.jar:app.jar SmokeApp "$port")
echo "$out"
[[ "$out" == *"mapped $lonely/other-copy.so "* ]] ||
  { echo "test-java: nws.native.library was not honoured" >&2; exit 1; }

echo "test-java: all passed"
