#!/usr/bin/env bash
# The sleigh's launchers against real services, started here and stopped on
# exit: an sshd on 127.0.0.1 (a free port, a throwaway host key and user
# key, root login by key only) and a one-node SLURM (munged, slurmctld and
# slurmd, all in a private directory, on free ports).  Then pytest runs
# bindings/python/tests/sleigh_launchers (sshcmd, sshforwardcmd; sbatch
# from outside an allocation, srun steps inside one), and testthat runs
# bindings/r/tests/launchers (the same launchers with R workers), and
# tests/sleigh_launchers/{java,perl,ruby}.sh run the Java, Perl and Ruby
# sleighs' launcher tests in their own frameworks.
#
#   scripts/test-sleigh.sh
#   NWS_SLEIGH_ONLY=perl scripts/test-sleigh.sh   # one language's launchers
#
# Needs root (sshd and slurmd run as root here) and the Debian packages
# openssh-server, slurm-wlm and munge (scripts/setup.sh installs them).
# Python: $NWS_PYTHON if set, else build-python/venv-3.11 when it has the
# sleigh (scripts/test-python.sh leaves it), else a venv of its own in
# build-sleigh/ with the package installed.  R: the package scripts/test-r.sh
# installed into build-r/lib, else an installation of its own in
# build-sleigh/rlib.  A service that does not start
# is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

fail() { echo "test-sleigh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "must run as root (it starts sshd and slurmd)"
for prog in /usr/sbin/sshd /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd srun sbatch salloc squeue; do
  command -v "$prog" >/dev/null || fail "$prog is missing (apt-get install openssh-server slurm-wlm munge; scripts/setup.sh does)"
done

# only LANG: whether this run tests LANG's launchers (all unless NWS_SLEIGH_ONLY names one).
only() { [ -z "${NWS_SLEIGH_ONLY:-}" ] || [ "$NWS_SLEIGH_ONLY" = "$1" ]; }

# ---- Python with the package ----
py="${NWS_PYTHON:-}"
if [ -z "$py" ] && ! only python; then
  py=python3  # only for free ports
elif [ -z "$py" ]; then
  py=$ROOT/build-python/venv-3.11/bin/python
  if ! "$py" -c 'import nws.sleigh, pytest' >/dev/null 2>&1; then
    py=$ROOT/build-sleigh/venv-test/bin/python
    if ! "$py" -c 'import nws.sleigh, pytest' >/dev/null 2>&1; then
      echo "test-sleigh: installing the Python package into build-sleigh/venv-test"
      rm -rf "$ROOT/build-sleigh/venv-test"
      python3 -m venv "$ROOT/build-sleigh/venv-test"
      CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} PIP_DISABLE_PIP_VERSION_CHECK=1 \
        "$ROOT/build-sleigh/venv-test/bin/pip" install -q "$ROOT/bindings/python" pytest \
        --config-settings=build-dir="$ROOT/build-sleigh/wheel-test"
    fi
  fi
fi

# ---- R with the package ----
rlib=$ROOT/build-r/lib
if only r && [ ! -d "$rlib/nws" ]; then
  rlib=$ROOT/build-sleigh/rlib
  echo "test-sleigh: installing the R package into build-sleigh/rlib"
  rm -rf "$rlib" && mkdir -p "$rlib"
  bindings/r/tools/stage.sh >/dev/null
  MAKEFLAGS=${MAKEFLAGS:--j2} R CMD INSTALL -l "$rlib" bindings/r > "$ROOT/build-sleigh/rinstall.log" 2>&1 ||
    { cat "$ROOT/build-sleigh/rinstall.log"; fail "R CMD INSTALL failed"; }
fi

WORK=$(mktemp -d /tmp/nws-sleigh-test.XXXXXX)
chmod 755 "$WORK"
# The daemons run in the foreground as our children, so that we stop and
# reap them ourselves.
daemons=()
cleanup() {
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${daemons[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/run" "$WORK/log" "$WORK/bin"

free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- sshd on 127.0.0.1 ----
ssh_port=$(free_port)
ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/userkey"
cp "$WORK/userkey.pub" "$WORK/authorized_keys"
cat > "$WORK/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $ssh_port
HostKey $WORK/hostkey
PidFile $WORK/run/sshd.pid
AuthorizedKeysFile $WORK/authorized_keys
# Root (this test runs as root) by key only.
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding yes
X11Forwarding no
PrintMotd no
EOF
mkdir -p /run/sshd  # sshd's privilege separation directory
/usr/sbin/sshd -D -f "$WORK/sshd_config" -E "$WORK/log/sshd.log" > "$WORK/log/sshd.out" 2>&1 &
daemons+=($!)
cat > "$WORK/ssh_config" <<EOF
Host sleigh-node
  HostName 127.0.0.1
  Port $ssh_port
  User root
  IdentityFile $WORK/userkey
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  BatchMode yes
  LogLevel ERROR
EOF
# The sleigh runs plain `ssh host` (sshcmd); this ssh reads our config.
printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$WORK/ssh_config" > "$WORK/bin/ssh"
chmod +x "$WORK/bin/ssh"
export PATH="$WORK/bin:$PATH"
for _ in $(seq 100); do
  ssh -n sleigh-node true 2>/dev/null && break
  sleep 0.1
done
ssh -n sleigh-node true || fail "cannot ssh to the test sshd: $(cat "$WORK/log/sshd.log")"
echo "test-sleigh: sshd on 127.0.0.1:$ssh_port"

# ---- a one-node SLURM ----
node=$(hostname -s)
mkdir -p "$WORK/slurm/state" "$WORK/slurm/spool"
/usr/sbin/munged --foreground --force --socket="$WORK/run/munge.socket" --pid-file="$WORK/run/munged.pid" \
  --log-file="$WORK/log/munged.log" --seed-file="$WORK/run/munge.seed" > "$WORK/log/munged.out" 2>&1 &
daemons+=($!)
for _ in $(seq 100); do
  [ -S "$WORK/run/munge.socket" ] && break
  sleep 0.1
done
[ -S "$WORK/run/munge.socket" ] || fail "munged did not start: $(cat "$WORK/log/munged.log")"
ctld_port=$(free_port)
slurmd_port=$(free_port)
cat > "$WORK/slurm.conf" <<EOF
ClusterName=nwssleigh
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$WORK/run/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$WORK/slurm/state
SlurmdSpoolDir=$WORK/slurm/spool
SlurmctldPidFile=$WORK/run/slurmctld.pid
SlurmdPidFile=$WORK/run/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
# No cgroups here: plain process tracking.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
export SLURM_CONF=$WORK/slurm.conf
unset SLURM_JOB_ID
/usr/sbin/slurmctld -D -c > "$WORK/log/slurmctld.out" 2>&1 &
daemons+=($!)
/usr/sbin/slurmd -D > "$WORK/log/slurmd.out" 2>&1 &
daemons+=($!)
for _ in $(seq 300); do
  sinfo --noheader --format=%t 2>/dev/null | grep -qx idle && break
  sleep 0.1
done
sinfo --noheader --format=%t | grep -qx idle ||
  fail "the SLURM node is not idle: $(sinfo 2>&1); $(tail -5 "$WORK/log/slurmd.log")"
echo "test-sleigh: SLURM node $node idle (slurmctld :$ctld_port, slurmd :$slurmd_port)"

# ---- the tests ----
export NWS_SLEIGH_SSH_NODE=sleigh-node
tests=$ROOT/bindings/python/tests/sleigh_launchers
if only python; then
  (cd "$ROOT/build-sleigh" 2>/dev/null || cd "$WORK"; "$py" -m pytest -q -p no:cacheprovider \
    "$tests/launch_ssh.py" "$tests/launch_slurm.py")
fi

mkdir -p "$ROOT/build-sleigh"
export NWS_R_LAUNCHER_TESTS=$ROOT/bindings/r/tests/launchers
only r && (cd "$WORK" && R_LIBS="$rlib" Rscript -e '
  library(testthat); library(nws)
  res <- as.data.frame(test_dir(Sys.getenv("NWS_R_LAUNCHER_TESTS"), reporter = "summary", stop_on_failure = TRUE))
  cat(sprintf("R launchers: %d tests, %d expectations, %d failed, %d skipped, %d errors\n",
              nrow(res), sum(res$nb), sum(res$failed), sum(res$skipped), sum(res$error)))
  if (nrow(res) < 3 || sum(res$failed) || sum(res$skipped) || any(res$error)) quit(status = 1)')

# Java, Perl and Ruby: each language's launcher tests in its own framework,
# with this sshd (NWS_SLEIGH_SSH_NODE, the ssh wrapper on PATH) and SLURM
# (SLURM_CONF) in the environment.
export ROOT
for l in java perl ruby; do
  only "$l" || continue
  script=$ROOT/tests/sleigh_launchers/$l.sh
  [ -x "$script" ] || fail "$script is missing"
  echo "test-sleigh: $l launchers"
  "$script" || fail "the $l launcher tests failed"
done
echo "test-sleigh: all passed"
