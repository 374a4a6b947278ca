"""benchmarks/load_simulator.py runs end to end with a tiny budget and reports its figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "load_simulator.py"


def test_the_load_script_sends_its_requests_and_reports_the_figures() -> None:
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "--requests", "12", "--threads", "2", "--seconds", "30"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = finished.stdout
    assert finished.returncode == 0, output + finished.stderr
    assert re.search(r"^requests: 12 in [0-9.]+ s from 2 threads; errors: 0$", output, re.M)
    assert re.search(r"^throughput: \d+ requests/s$", output, re.M)
    assert re.search(r"^latency: p50 [0-9.]+ ms, p99 [0-9.]+ ms, max [0-9.]+ ms$", output, re.M)
    assert re.search(r"^simulator peak RSS: ([0-9.]+ MiB|n/a) ", output, re.M)


def test_the_load_script_refuses_an_unbounded_run() -> None:
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "--seconds", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 2
    assert "--seconds" in finished.stderr
