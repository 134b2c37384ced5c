#!/usr/bin/env bash
# The Java binding:
#   1. `mvn -q verify` in bindings/java, with the version from core/VERSION:
#      the classes generated from the core's tables, libnwsjni.so and
#      nws-server built by CMake into build-java/ (quietly), the JUnit 5
#      suite (against embedded servers, plus a scripted peer).  Prints
#      nothing unless something fails.
#   2. Every ```java block of bindings/java/README.md, run as a program by
#      the JDK's single-file source launcher (`java -cp nws.jar File.java`)
#      against one nws-server (tests/readme/run_snippets.py).
#   3. The jar smoke test: nws.jar alone in an empty directory, a small
#      program compiled against it that starts the embedded server
#      (NwsServer.startLocal) and does a store/fetch round trip, with no
#      nws-server anywhere: once loading the native library from the jar,
#      once from -Dnws.native.library.
# It leaves bindings/java/target/nws.jar, which the interop tests use.
#
#   scripts/test-java.sh
#
# Needs a JDK 17+, Maven 3.8+ (artifacts come from Maven Central), CMake,
# Ninja and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
for tool in java javac jar mvn cmake ninja python3; do
  command -v "$tool" >/dev/null || { echo "test-java: $tool not found" >&2; exit 1; }
done
VERSION=$(cat core/VERSION)
JAR=$ROOT/bindings/java/target/nws.jar
SERVER=$ROOT/build-java/nws-core/nws-server

echo "=== mvn verify (bindings/java, version $VERSION)"
mvn -q -B -f bindings/java -Drevision="$VERSION" verify
# The suite's count, from surefire's reports (mvn -q prints none).
python3 - "$ROOT/bindings/java/target/surefire-reports" <<'EOF'
import glob, sys, xml.etree.ElementTree as ET
n = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    s = ET.parse(f).getroot()
    n += int(s.get("tests")); skipped += int(s.get("skipped"))
    failed += int(s.get("failures")) + int(s.get("errors"))
if n == 0 or skipped:
    sys.exit("test-java: JUnit ran %d tests, skipped %d" % (n, skipped))
print("junit: %d passed, %d failed" % (n - failed, failed))
EOF

echo "=== README snippets (bindings/java/README.md)"
python3 tests/readme/run_snippets.py bindings/java/README.md --lang java --min 4 \
  --server "$SERVER" --run "java -cp $JAR {file}"

echo "=== jar smoke test"
[ -f "$JAR" ] || { echo "test-java: $JAR was not built" >&2; exit 1; }
lonely=$(mktemp -d)
trap 'rm -rf "$lonely"' EXIT
cp "$JAR" "$ROOT/bindings/java/smoke/SmokeApp.java" "$lonely/"
cd "$lonely"
javac -cp nws.jar -d classes SmokeApp.java
jar cf app.jar -C classes .
rm -r SmokeApp.java classes
# Nothing but the jar and the program: no libnwsjni.so, no nws-server.
[ "$(ls)" = "$(printf 'app.jar\nnws.jar')" ] || { echo "test-java: stray files in the smoke directory: $(ls)" >&2; exit 1; }
out=$(java -Xcheck:jni -cp nws.jar:app.jar SmokeApp)
echo "$out"
# The mapped library is the loader's extracted copy (a temporary nwsjni*
# directory), and the jar is the only place it can have come from.
[[ "$out" == *"mapped /"*"/nwsjni"*"/libnwsjni.so (jar resource jar:file:$lonely/nws.jar!/native/linux-x86_64/libnwsjni.so)"* ]] ||
  { echo "test-java: the native library was not loaded from the jar" >&2; exit 1; }

# The system property points at another copy.
cp "$ROOT/build-java/libnwsjni.so" "$lonely/other-copy.so"
out=$(java -Dnws.native.library="$lonely/other-copy.so" -cp nws.jar:app.jar SmokeApp)
echo "$out"
[[ "$out" == *"mapped $lonely/other-copy.so "* ]] ||
  { echo "test-java: nws.native.library was not honoured" >&2; exit 1; }

echo "test-java: all passed"
