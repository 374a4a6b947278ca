"""docs/call.md's examples call all five operations against the
simulator, and work as written: the shell block against a real simulator server (on a free
port instead of 8080), the Python block against the in-process one."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.server import SimulatorServer
from retarus_connector.simulator.state import SimulatorState

OPERATIONS = ("SendSmsJob", "ListJobs", "GetJobStatus", "GetRecipientStatuses", "GetVersionInfo")
README_SIMULATOR_URL = "http://127.0.0.1:8080"


def section_blocks(repository_root: Path, language: str) -> list[str]:
    section = (repository_root / "docs" / "call.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="the page's shell example needs bash")
def test_shell_example_calls_every_operation(repository_root: Path, tmp_path: Path) -> None:
    (block,) = section_blocks(repository_root, "sh")
    assert all(f"call {operation}" in block for operation in OPERATIONS)
    assert README_SIMULATOR_URL in block
    with SimulatorServer(SimulatorApp(SimulatorState(seed=1, delivery_seconds=0))) as server:
        script = block.replace(README_SIMULATOR_URL, server.url)
        # The console script and python of this environment, as an activated venv provides.
        bin_dir = str(Path(sys.executable).parent)
        environment = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        environment.pop("RETARUS_USERNAME", None)
        environment.pop("RETARUS_PASSWORD", None)
        completed = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=repository_root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    outputs = [json.loads(document) for document in _json_documents(completed.stdout)]
    first_read, job_report, recipient_reports, jobs, version = outputs
    # the de2 read: the report, or the 404 after which the example turns to de1
    assert first_read == job_report or first_read["code"] == 404
    assert job_report["jobId"].startswith("J.")
    assert [report["status"] for report in recipient_reports] == ["SUC_ACC"]
    assert {"jobId": job_report["jobId"]} in jobs
    assert "versionInfo" in version
    assert "Authorization: Basic ***" in completed.stderr + completed.stdout
    assert "demo:demo" not in completed.stdout + completed.stderr


def _json_documents(text: str) -> list[str]:
    """The JSON documents the commands printed, one after another (each pretty-printed)."""
    decoder = json.JSONDecoder()
    documents, position = [], 0
    while True:
        start = min(
            (i for i in (text.find("{", position), text.find("[", position)) if i >= 0), default=-1
        )
        if start < 0:
            return documents
        _, end = decoder.raw_decode(text, start)
        documents.append(text[start:end])
        position = end


def test_python_example_calls_every_operation(
    repository_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (block,) = section_blocks(repository_root, "python")
    assert all(f'operation("{operation}")' in block for operation in OPERATIONS)
    monkeypatch.chdir(repository_root)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, "docs/call.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[0] in ("de2 200 ()", "de2 404 ()")
    if lines[0] == "de2 404 ()":
        assert lines.pop(1) == "de1 200 ()"
    assert lines[1] == "['SUC_ACC']"
    assert lines[2].startswith("[{'jobId': 'J.20250106-080000.000-")
    assert "simulator" in lines[3]
    assert len(lines) == 4
