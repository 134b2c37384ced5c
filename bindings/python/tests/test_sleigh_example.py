"""examples/sleigh/pi.py, run as a user would run it: a program of its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "sleigh" / "pi.py"


def test_monte_carlo_pi_example(server, tmp_path):
    env = dict(os.environ, NWS_HOST=server.host, NWS_PORT=str(server.port))
    out = subprocess.run([sys.executable, str(EXAMPLE), "--workers", "2", "--tasks", "40", "--darts", "5000"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    m = re.match(r"pi ~ (\d\.\d+) \(\+/- (\d\.\d+)\) from 200000 darts on 2 workers", out.stdout)
    assert m, out.stdout
    assert abs(float(m.group(1)) - 3.14159) < 5 * float(m.group(2))


def test_the_example_starts_its_own_server_when_there_is_none(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("NWS_HOST", "NWS_PORT")}
    env["NWS_PORT"] = ""  # empty: not set
    out = subprocess.run([sys.executable, str(EXAMPLE), "--workers", "2", "--tasks", "8", "--darts", "1000"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "on 2 workers" in out.stdout
