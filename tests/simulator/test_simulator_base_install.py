"""The simulator's pytest fixture and `simulate()` work in an environment that installed the
toolkit alone, without the test extra, as docs/simulator.md promises."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The documentation's example test, as a user's project would hold it.
EXAMPLE_TEST = """
import requests


def test_an_invalid_number_is_reported(retarus_simulator):
    body = {"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600999999"}]}]}
    sent = requests.post(
        retarus_simulator.urls["eu"] + "/jobs", json=body, auth=retarus_simulator.auth
    )
    job_id = sent.json()["jobId"]
    retarus_simulator.advance(1)
    for data_center in ("de2", "de1"):
        reports = requests.get(
            retarus_simulator.urls[data_center] + "/sms",
            params={"jobId": job_id},
            auth=retarus_simulator.auth,
        )
        if reports.status_code != 404:
            break
    assert reports.json()[0]["status"] == "INVALID_DST"
"""

SIMULATE_SCRIPT = """
import importlib.util, requests
from retarus_connector.simulator.mock import simulate

assert importlib.util.find_spec("hypothesis") is None, "the test extra is installed"
with simulate(seed=1) as simulator:
    version = requests.get(simulator.urls["de2"] + "/version", auth=simulator.auth)
    print(version.status_code, version.json()["majorVersion"])
"""

# What a source install needs; everything else (caches, virtual environments, build output)
# stays behind, and the checkout itself is never written to.
_LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


def _run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    # The outer run's PYTHONPATH would import this checkout instead of the installed copy.
    environment = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(
        command,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
def test_the_fixture_and_simulate_work_with_the_base_install(
    tmp_path: Path, repository_root: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(repository_root, source, ignore=_LEFT_OUT)
    venv = tmp_path / "venv"
    # Without pip of its own (ensurepip alone takes a minute on a busy machine): this run's
    # pip installs into it with --python.
    created = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, 60)
    assert created.returncode == 0, created.stderr
    python = str(venv / ("Scripts" if os.name == "nt" else "bin") / "python")
    pip = [sys.executable, "-m", "pip", "--python", python]
    probe = _run(
        [*pip, "download", "--no-deps", "-q", "-d", str(tmp_path / "probe"), "click"],
        tmp_path,
        120,
    )
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"pip cannot reach a package index here: {reason}")
    # pytest is the user's test runner, not part of the toolkit's test extra
    installed = _run([*pip, "install", "-q", str(source), "pytest"], tmp_path, 300)
    assert installed.returncode == 0, installed.stderr
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_example.py").write_text(EXAMPLE_TEST, encoding="utf-8")
    tested = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, 120)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "1 passed" in tested.stdout
    simulated = _run([python, "-c", SIMULATE_SCRIPT], project, 60)
    assert simulated.returncode == 0, simulated.stderr
    assert simulated.stdout.split() == ["200", "1"]
