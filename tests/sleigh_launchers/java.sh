#!/usr/bin/env bash
# The Java sleigh's launchers against real services: JUnit's
# SleighLaunchTest (bindings/java, tag "launchers": ssh and ssh with a
# reverse tunnel to $NWS_SLEIGH_SSH_NODE, sbatch from outside a SLURM
# allocation, srun steps inside one), with Java workers, checking results
# and that no worker process is left.  scripts/test-sleigh.sh runs it with
# the sshd (the ssh wrapper on PATH) and SLURM (SLURM_CONF) it started:
#
#   NWS_SLEIGH_ONLY=java scripts/test-sleigh.sh
#
# Maven builds what it needs (the JNI library incrementally in build-java/).
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
for v in NWS_SLEIGH_SSH_NODE SLURM_CONF; do
  [ -n "${!v:-}" ] || { echo "java launchers: $v is not set (run scripts/test-sleigh.sh)" >&2; exit 1; }
done
reports=$ROOT/bindings/java/target/surefire-reports
rm -f "$reports"/TEST-org.networkspaces.sleigh.SleighLaunchTest.xml
mvn -q -B -f bindings/java -Drevision="$(cat core/VERSION)" -Dnws.excluded.groups=python-workers \
  -Dgroups=launchers -Dsurefire.failIfNoSpecifiedTests=false test
# The count, from surefire's report (mvn -q prints none): all four ran.
python3 - "$reports/TEST-org.networkspaces.sleigh.SleighLaunchTest.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot()
n, skipped = int(s.get("tests")), int(s.get("skipped"))
failed = int(s.get("failures")) + int(s.get("errors"))
print("java launchers: %d passed, %d failed, %d skipped" % (n - failed - skipped, failed, skipped))
sys.exit(0 if n >= 4 and failed == 0 and skipped == 0 else 1)
PY
