#!/usr/bin/env bash
# Every language against every other through one nws-server:
#   1. each of Python, R, Java, Perl, Ruby stores the vectors of tests/vectors
#      (text as strings, binary as its bytes type) as <Lang>_<vector>, and one
#      value in its own serialisation as <Lang>_native;
#   2. each language reads what each language wrote (25 ordered pairs, the
#      same-language ones included) with find, and compares byte for byte;
#      a foreign <Lang>_native must raise the reader's serialisation error
#      naming the writer's language, its own must round-trip;
#   3. for each language L, L blocks in fetch (20 s timeout) and the next
#      language in the list stores the value once list vars shows L blocked;
#   4. every language stores every case of tests/interop/portable_cases.md as
#      a portable value, and every language reads every language's (25
#      pairs x every case), compared with the case built natively;
#   5. examples/pipeline/run.sh (one pipeline using all five languages).
#   6. examples/security/run.sh (docs/security.md's worked example: TLS,
#      users and per-workspace rules, a Python producer and R workers).
#   7. cross-language sleighs (tests/interop/sleigh/run.sh): a master of each
#      language runs a named function on two workers of each language (25
#      pairs), and examples/sleigh/predict_fuel.py (a Python master, an R
#      model on R workers).
# Ends with "N passed, M failed"; exits non-zero if anything failed or a
# language's toolchain or binding is missing (missing is a failure, never a
# skip).
#
# Reuses what the binding scripts built and installed: build-python/venv-3.11
# (scripts/test-python.sh), build-r/lib or build-r/nws_*.tar.gz
# (scripts/test-r.sh), bindings/java/target/nws.jar (scripts/test-java.sh),
# build-perl/inst (scripts/test-perl.sh), build-ruby/gems
# (scripts/test-ruby.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HERE=$ROOT/tests/interop
CACHE=$ROOT/build-interop
SERVER=${NWS_SERVER_BINARY:-$ROOT/build/core/nws-server}
LANGS=(Python R Java Perl Ruby)
start_time=$SECONDS
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() {
  echo "interop: $((SECONDS - start_time)) s"
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && exit 0 || exit 1
}

tmp=$(mktemp -d /tmp/nws-interop.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "=== toolchains and bindings"
[ -x "$SERVER" ] && pass "nws-server at $SERVER" || { fail "no nws-server at $SERVER (scripts/setup.sh)"; finish; }
. "$ROOT/scripts/lib/bindings.sh"
PY=$NWS_PYTHON
if [ -x "$PY" ] && "$PY" -c 'import nws.client' 2>/dev/null; then pass "Python binding ($PY)"
else fail "Python: no $PY with nws installed (run scripts/test-python.sh)"; fi

RLIB=$NWS_R_LIB
if command -v Rscript >/dev/null && ! R_LIBS=$RLIB Rscript -e 'library(nws)' >/dev/null 2>&1; then
  tarball=$(ls "$ROOT"/build-r/nws_*.tar.gz 2>/dev/null | head -1)
  RLIB=$CACHE/rlib
  if [ -n "$tarball" ] && ! R_LIBS=$RLIB Rscript -e 'library(nws)' >/dev/null 2>&1; then
    mkdir -p "$RLIB" && R CMD INSTALL -l "$RLIB" "$tarball" >"$tmp/r-install.log" 2>&1 || cat "$tmp/r-install.log"
  fi
fi
if command -v Rscript >/dev/null && R_LIBS=$RLIB Rscript -e 'library(nws)' >/dev/null 2>&1; then pass "R binding ($RLIB)"
else fail "R: Rscript or the nws package missing (run scripts/test-r.sh)"; fi

JAR=$NWS_JAR
if command -v java >/dev/null && command -v javac >/dev/null && [ -f "$JAR" ] &&
   mkdir -p "$tmp/java" && javac -cp "$JAR" -d "$tmp/java" "$HERE/Interop.java"; then pass "Java binding ($JAR)"
else fail "Java: java/javac or $JAR missing (run scripts/test-java.sh)"; fi

. "$ROOT/scripts/lib/bindings.sh"
use_installed_perl_ruby
perl -MNWS -e1 2>/dev/null && pass "Perl binding ($NWS_PERL_LIB)" || fail "Perl: NWS not installed in $NWS_PERL_LIB (run scripts/test-perl.sh)"
ruby -e 'gem "nws"; require "nws"' 2>/dev/null && pass "Ruby binding ($NWS_GEM_HOME)" ||
  fail "Ruby: the nws gem not installed in $NWS_GEM_HOME (run scripts/test-ruby.sh)"
[ "$failed" = 0 ] || finish

# lang PROGRAM-ARGS...: runs the interop program of language $1.
lang() {
  local l=$1; shift
  case $l in
    Python) "$PY" "$HERE/interop.py" "$@" ;;
    R) R_LIBS=$RLIB Rscript "$HERE/interop.R" "$@" ;;
    Java) java -cp "$JAR:$tmp/java" Interop "$@" ;;
    Perl) perl "$HERE/interop.pl" "$@" ;;
    Ruby) ruby "$HERE/interop.rb" "$@" ;;
  esac
}
# tally FILE WHAT RC: counts the ok/FAIL lines a program printed; a non-zero
# exit or no lines at all is a failure too.
tally() {
  local n_ok n_fail
  n_ok=$(grep -c '^ok ' "$1"); n_fail=$(grep -c '^FAIL ' "$1")
  passed=$((passed + n_ok)); failed=$((failed + n_fail))
  grep '^FAIL ' "$1"
  if [ "$3" != 0 ] || [ $((n_ok + n_fail)) = 0 ]; then fail "$2 exited with status $3: $(tail -5 "$1")"; fi
  echo "$2: $n_ok ok, $n_fail failed"
}

echo "=== vectors"
VEC=$ROOT/tests/vectors
"$PY" "$VEC/make_large.py" "$tmp/large.bin" && cmp -s "$tmp/large.bin" "$VEC/large.bin" &&
  pass "large.bin matches make_large.py" || fail "large.bin differs from make_large.py's output"

echo "=== server"
. "$ROOT/scripts/lib/server.sh"
NWS_SERVER_BINARY=$SERVER nws_start_server "$tmp/spool" || { fail "server did not start"; finish; }
server_pid=$NWS_SERVER_PID
port=$NWS_PORT
echo "port $port"
WS=interop
# A persistent workspace, so it outlives every program's connection.
"$PY" -c 'import sys; from nws.client import NetWorkSpace
NetWorkSpace(sys.argv[2], serverHost="127.0.0.1", serverPort=int(sys.argv[1]), persistent=True).close()' "$port" "$WS" ||
  { fail "creating the workspace"; finish; }

echo "=== writers"
for w in "${LANGS[@]}"; do
  if lang "$w" "$port" "$WS" write "$VEC" >"$tmp/out" 2>&1; then pass "$w wrote the vectors and a native value"
  else fail "$w writer: $(tail -5 "$tmp/out")"; fi
done

echo "=== readers (every writer x every reader)"
for r in "${LANGS[@]}"; do
  for w in "${LANGS[@]}"; do
    lang "$r" "$port" "$WS" read "$VEC" "$w" >"$tmp/out" 2>&1
    tally "$tmp/out" "$r reads $w" $?
  done
done

echo "=== portable values: every writer x every reader x every case of portable_cases.md"
CASES=$HERE/portable_cases.md
for w in "${LANGS[@]}"; do
  if lang "$w" "$port" "$WS" pwrite "$CASES" >"$tmp/out" 2>&1; then pass "$w wrote the portable cases"
  else fail "$w portable writer: $(tail -5 "$tmp/out")"; fi
done
for r in "${LANGS[@]}"; do
  for w in "${LANGS[@]}"; do
    lang "$r" "$port" "$WS" pread "$w" "$CASES" >"$tmp/out" 2>&1
    tally "$tmp/out" "$r reads $w's portable values" $?
  done
done

echo "=== a blocked fetch released by another language"
n=${#LANGS[@]}
for i in "${!LANGS[@]}"; do
  l=${LANGS[$i]}; s=${LANGS[$(((i + 1) % n))]}; var="blocked_$l"
  lang "$l" "$port" "$WS" block "$var" "released by $s" >"$tmp/block.out" 2>&1 &
  bpid=$!
  if "$PY" "$HERE/interop.py" "$port" "$WS" fetchers "$var" >"$tmp/wait.out" 2>&1; then
    lang "$s" "$port" "$WS" store "$var" "released by $s" >"$tmp/store.out" 2>&1 || fail "$s store: $(cat "$tmp/store.out")"
  else
    fail "$l never seen blocked on $var: $(cat "$tmp/wait.out")"
  fi
  wait "$bpid"
  tally "$tmp/block.out" "$l fetch released by $s" $?
done

kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=

if [ -x "$ROOT/examples/pipeline/run.sh" ]; then
  echo "=== examples/pipeline"
  if "$ROOT/examples/pipeline/run.sh" >"$tmp/pipeline.out" 2>&1; then pass "examples/pipeline/run.sh"; tail -3 "$tmp/pipeline.out"
  else fail "examples/pipeline/run.sh: $(tail -20 "$tmp/pipeline.out")"; fi
fi
echo "=== examples/security (docs/security.md's worked example)"
if "$ROOT/examples/security/run.sh" >"$tmp/security.out" 2>&1; then pass "examples/security/run.sh"; tail -4 "$tmp/security.out"
else fail "examples/security/run.sh: $(tail -20 "$tmp/security.out")"; fi

echo "=== cross-language sleighs: a master of every language, workers of every language"
"$HERE/sleigh/run.sh" >"$tmp/matrix.out" 2>&1
tally "$tmp/matrix.out" "sleigh matrix" $?
grep '^matrix: ' "$tmp/matrix.out"
echo "=== examples/sleigh/predict_fuel.py (a Python master, an R model on R workers)"
# No server named: the example starts one inside itself.
if (cd "$tmp" && env -u NWS_HOST -u NWS_PORT R_LIBS="$RLIB" "$PY" "$ROOT/examples/sleigh/predict_fuel.py") \
    >"$tmp/fuel.out" 2>&1; then pass "examples/sleigh/predict_fuel.py"; tail -1 "$tmp/fuel.out"
else fail "examples/sleigh/predict_fuel.py: $(tail -20 "$tmp/fuel.out")"; fi
finish
