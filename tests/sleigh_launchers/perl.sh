#!/usr/bin/env bash
# The Perl sleigh's launcher tests (bindings/perl/xt/sleigh_launchers: ssh,
# sshforward, ssh with TLS and a token; sbatch and srun), run with prove by
# scripts/test-sleigh.sh once it has started an sshd ($NWS_SLEIGH_SSH_NODE,
# the ssh wrapper on PATH) and a one-node SLURM ($SLURM_CONF).  Uses the
# Perl distribution scripts/test-perl.sh installed into build-perl/inst.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
inst=$ROOT/build-perl/inst/lib/perl5
fail() { echo "sleigh_launchers/perl: $*" >&2; exit 1; }
[ -n "${NWS_SLEIGH_SSH_NODE:-}" ] || fail "NWS_SLEIGH_SSH_NODE is not set (run scripts/test-sleigh.sh)"
[ -n "${SLURM_CONF:-}" ] || fail "SLURM_CONF is not set (run scripts/test-sleigh.sh)"
export PERL5LIB=$inst${PERL5LIB:+:$PERL5LIB}
loaded=$(cd / && perl -MNWS::Sleigh -e 'print $INC{"NWS/Sleigh.pm"}' 2>/dev/null) || loaded=
case $loaded in "$inst"/*) ;; *) fail "no NWS::Sleigh in $inst (run scripts/test-perl.sh first)" ;; esac
# The nws-server the TLS test starts (NWSTestServer->standalone).
export NWS_SERVER_BINARY=${NWS_SERVER_BINARY:-$ROOT/build/core/nws-server}
cd "$ROOT/bindings/perl"
prove -v xt/sleigh_launchers/ssh.t xt/sleigh_launchers/slurm.t
