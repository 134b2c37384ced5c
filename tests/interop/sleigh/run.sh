#!/usr/bin/env bash
# Cross-language sleighs, every ordered pair of the five languages: a master
# of language A (tests/interop/sleigh/<a>/master.*) opens a local sleigh of
# two workers of language B and runs B's `combine` by name over 20 elements
# with typed arguments (integer, real, string, list of strings), checking
# every result.  25 runs against one nws-server; each prints "ok ..." or
# "FAIL ...".  Ends with "N passed, M failed" and exits non-zero on any
# failure, or when a language's toolchain or binding is missing (never a
# skip).
#
#   tests/interop/sleigh/run.sh [MASTER_LANG [WORKER_LANG]]
#
# Uses what the binding scripts installed (scripts/lib/bindings.sh).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
LANGS=(python r java perl ruby)
only_master=${1:-}
only_worker=${2:-}
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ] && exit 0 || exit 1
}

tmp=$(mktemp -d /tmp/nws-sleigh-matrix.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

. "$ROOT/scripts/lib/bindings.sh"
use_installed_perl_ruby
# Each language's workers, as any master starts them (the core's default
# worker programs read these), with the matrix functions where they look.
export NWS_SLEIGH_PYTHON=$NWS_PYTHON
export PYTHONPATH=$HERE/python${PYTHONPATH:+:$PYTHONPATH}
export R_LIBS=$NWS_R_LIB
export PERL5LIB=$HERE/perl:$PERL5LIB
export RUBYLIB=$HERE/ruby${RUBYLIB:+:$RUBYLIB}
[ -x "$NWS_PYTHON" ] && "$NWS_PYTHON" -c 'import nws.sleigh' 2>/dev/null || { fail "Python: no $NWS_PYTHON with nws"; finish; }
Rscript -e 'library(nws)' >/dev/null 2>&1 || { fail "R: the nws package is not in $R_LIBS"; finish; }
perl -MNWS::Sleigh -e1 2>/dev/null || { fail "Perl: NWS::Sleigh not in $NWS_PERL_LIB"; finish; }
ruby -e 'require "nws"; require "nws/sleigh"' 2>/dev/null || { fail "Ruby: nws/sleigh not in $NWS_GEM_HOME"; finish; }
mkdir -p "$tmp/java"
if [ -f "$NWS_JAR" ] && javac -cp "$NWS_JAR" -d "$tmp/java" $(find "$HERE/java" -name '*.java') 2>"$tmp/javac.out"; then
  export NWS_SLEIGH_CLASSPATH=$NWS_JAR:$tmp/java
else
  fail "Java: $NWS_JAR or the matrix classes did not compile: $(cat "$tmp/javac.out" 2>/dev/null)"; finish
fi

. "$ROOT/scripts/lib/server.sh"
nws_start_server "$tmp/spool" || { fail "nws-server did not start"; finish; }
server_pid=$NWS_SERVER_PID

# command LANG WORKER_LANG: sets cmd to LANG's driver for workers of WORKER_LANG.
command_for() {
  local m=$1 w=$2
  cmd=()
  case $m in
    python) cmd=("$NWS_PYTHON" "$HERE/python/master.py") ;;
    r) cmd=(Rscript "$HERE/r/master.R") ;;
    java) cmd=(java -cp "$NWS_SLEIGH_CLASSPATH" org.networkspaces.matrix.MatrixMaster) ;;
    perl) cmd=(perl "$HERE/perl/master.pl") ;;
    ruby) cmd=(ruby "$HERE/ruby/master.rb") ;;
  esac
  cmd+=("$w")
  # R workers find `combine` in the file they source.
  [ "$w" = r ] && cmd+=("$HERE/r/matrix.R")
}

start=$SECONDS
for m in "${LANGS[@]}"; do
  [ -z "$only_master" ] || [ "$only_master" = "$m" ] || continue
  for w in "${LANGS[@]}"; do
    [ -z "$only_worker" ] || [ "$only_worker" = "$w" ] || continue
    t0=$SECONDS
    command_for "$m" "$w"
    (cd "$tmp" && timeout 180 "${cmd[@]}") >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" = 0 ] && grep -q "^ok $m -> $w: 20 results" "$tmp/out"; then
      pass "$m master -> $w workers ($((SECONDS - t0)) s)"
    else
      fail "$m master -> $w workers (exit $rc): $(tail -8 "$tmp/out")"
    fi
  done
done
echo "matrix: $((SECONDS - start)) s"
finish
