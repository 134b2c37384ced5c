#!/usr/bin/env bash
# docs/security.md's worked example, run end to end: a server with TLS and
# a users file; a Python producer that may only store into `jobs`; two R
# workers that may fetch from `jobs` and store into `results`; an admin who
# sets up the workspaces and checks every result.  Each program also shows
# that what the rules forbid is refused.  Exits non-zero if anything fails.
#
#   examples/security/run.sh [TASKS]
#
# Uses the bindings the repository's test scripts build and install
# (scripts/lib/bindings.sh); the server: $NWS_SERVER_BINARY or
# build/core/nws-server.  Certificates are made here with the openssl
# command (scripts/make-test-certs.sh); passwords are random, and reach the
# programs in their environment, never on a command line.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TASKS=${1:-20}
. "$ROOT/scripts/lib/bindings.sh"
. "$ROOT/scripts/lib/server.sh"
PY=$NWS_PYTHON
RLIB=$NWS_R_LIB
SERVER=${NWS_SERVER_BINARY:-$ROOT/build/core/nws-server}
die() { echo "security example: $*" >&2; exit 1; }
"$PY" -c 'import nws.client' 2>/dev/null || die "no Python binding at $PY (scripts/test-python.sh)"
R_LIBS=$RLIB Rscript -e 'library(nws)' >/dev/null 2>&1 || die "no R binding in $RLIB (scripts/test-r.sh)"

tmp=$(mktemp -d /tmp/nws-security.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Certificates, and the users file with each password's SCRAM secret.
bash "$ROOT/scripts/make-test-certs.sh" "$tmp/certs"
password() { head -c 18 /dev/urandom | base64; }
export ADMIN_PASSWORD=$(password) PRODUCER_PASSWORD=$(password)
W1_PASSWORD=$(password) W2_PASSWORD=$(password)
secret() { printf '%s\n' "$1" | "$SERVER" --hash-password; }
cat > "$tmp/users" <<USERS
# docs/security.md: who may do what
user admin    $(secret "$ADMIN_PASSWORD")
user producer $(secret "$PRODUCER_PASSWORD")
user worker1  $(secret "$W1_PASSWORD")
user worker2  $(secret "$W2_PASSWORD")
group workers worker1 worker2
allow producer store jobs
allow @workers fetch jobs
allow @workers store results
allow admin    all *
USERS

nws_start_server "$tmp/spool" --tls-cert "$tmp/certs/server.pem" --tls-key "$tmp/certs/server.key" \
  --users "$tmp/users" || die "the server did not start"
pids+=("$NWS_SERVER_PID")
ca=$tmp/certs/ca.pem
host=localhost  # the name the server's certificate carries

"$PY" "$HERE/admin.py" "$host" "$NWS_PORT" "$ca" setup
R_LIBS=$RLIB WORKER_PASSWORD=$W1_PASSWORD Rscript "$HERE/worker.R" "$host" "$NWS_PORT" "$ca" worker1 & w1=$!
R_LIBS=$RLIB WORKER_PASSWORD=$W2_PASSWORD Rscript "$HERE/worker.R" "$host" "$NWS_PORT" "$ca" worker2 & w2=$!
"$PY" "$HERE/producer.py" "$host" "$NWS_PORT" "$ca" "$TASKS" 2
status=0
"$PY" "$HERE/admin.py" "$host" "$NWS_PORT" "$ca" check "$TASKS" || status=1
wait "$w1" || { echo "security example: worker1 failed" >&2; status=1; }
wait "$w2" || { echo "security example: worker2 failed" >&2; status=1; }
[ "$status" = 0 ] && echo "security example: OK" || echo "security example: FAILED"
exit "$status"
