#!/usr/bin/env bash
# One pipeline, five languages, one workspace:
#   Python produces work items (strings) -> two R workers compute a statistic
#   -> Java aggregates -> Perl writes the report lines; Ruby watches progress
#   with find; Python finally checks the report.  Exits non-zero if any part
#   fails or the report is wrong.
#
#   examples/pipeline/run.sh [ITEMS]
#
# Uses the bindings the repository's test scripts build and install
# (scripts/lib/bindings.sh says where).  The server: $NWS_SERVER_BINARY or
# build/core/nws-server.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ITEMS=${1:-12}
. "$ROOT/scripts/lib/bindings.sh"
. "$ROOT/scripts/lib/server.sh"
PY=$NWS_PYTHON
RLIB=$NWS_R_LIB
JAR=$NWS_JAR
die() { echo "pipeline: $*" >&2; exit 1; }

"$PY" -c 'import nws.client' 2>/dev/null || die "no Python binding at $PY (scripts/test-python.sh)"
R_LIBS=$RLIB Rscript -e 'library(nws)' >/dev/null 2>&1 || die "no R binding in $RLIB (scripts/test-r.sh)"
command -v javac >/dev/null && [ -f "$JAR" ] || die "javac or $JAR missing (scripts/test-java.sh)"
command -v perl >/dev/null && command -v ruby >/dev/null || die "perl or ruby missing"
use_installed_perl_ruby
perl -MNWS -e1 2>/dev/null || die "no Perl binding in $NWS_PERL_LIB (scripts/test-perl.sh)"
ruby -e 'gem "nws"; require "nws"' 2>/dev/null || die "no Ruby gem in $NWS_GEM_HOME (scripts/test-ruby.sh)"

tmp=$(mktemp -d /tmp/nws-pipeline.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
javac -cp "$JAR" -d "$tmp" "$HERE/Aggregator.java"

nws_start_server "$tmp/spool" || die "the server did not start"
pids+=("$NWS_SERVER_PID")
port=$NWS_PORT
WS=pipeline
"$PY" -c 'import sys; from nws.client import NetWorkSpace
NetWorkSpace(sys.argv[2], serverHost="127.0.0.1", serverPort=int(sys.argv[1]), persistent=True).close()' "$port" "$WS"

# Everyone but the producer starts first and waits in a blocking fetch/find.
ruby "$HERE/watch.rb" "$port" "$WS" & watcher=$!
R_LIBS=$RLIB Rscript "$HERE/worker.R" "$port" "$WS" 1 & w1=$!
R_LIBS=$RLIB Rscript "$HERE/worker.R" "$port" "$WS" 2 & w2=$!
java -cp "$JAR:$tmp" Aggregator "$port" "$WS" "$ITEMS" & agg=$!
perl "$HERE/report.pl" "$port" "$WS" & rep=$!
"$PY" "$HERE/producer.py" "$port" "$WS" produce "$ITEMS" 2

status=0
"$PY" "$HERE/producer.py" "$port" "$WS" check "$ITEMS" || status=1
for p in "$watcher" "$w1" "$w2" "$agg" "$rep"; do wait "$p" || { echo "pipeline: a stage (pid $p) failed" >&2; status=1; }; done
[ "$status" = 0 ] && echo "pipeline: OK" || echo "pipeline: FAILED"
exit "$status"
