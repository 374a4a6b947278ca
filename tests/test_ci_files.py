"""The GitHub workflow and the pre-commit hook definition are valid and run what they promise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from retarus_connector.cli import COMMAND_MODULES


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _run_lines(workflow: dict[str, Any]) -> list[str]:
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    return [step["run"] for step in steps if "run" in step]


def test_workflow_is_valid_yaml_with_the_promised_steps(repository_root: Path) -> None:
    workflow = _load(repository_root / ".github" / "workflows" / "ci.yml")
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1)
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"push", "pull_request"}
    runs = _run_lines(workflow)
    assert "retarus-connector build --check" in runs
    assert any(run.startswith("retarus-connector lint") and "--format sarif" in run for run in runs)
    assert any(run.startswith("retarus-connector diff --git") for run in runs)
    assert "python -m pytest" in runs
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)


def test_workflow_diff_runs_only_on_pull_requests(repository_root: Path) -> None:
    workflow = _load(repository_root / ".github" / "workflows" / "ci.yml")
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    diff_step = next(s for s in steps if s.get("run", "").startswith("retarus-connector diff"))
    assert diff_step["if"] == "github.event_name == 'pull_request'"


def test_pre_commit_hook_runs_an_existing_command(repository_root: Path) -> None:
    hooks = _load(repository_root / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    (hook,) = hooks
    assert {"id", "name", "entry", "language"} <= set(hook)
    program, command = hook["entry"].split()[:2]
    assert program == "retarus-connector"
    assert command in COMMAND_MODULES
    pattern = re.compile(hook["files"])
    assert pattern.search("certified-connectors/Foo/apiDefinition.swagger.json")
    assert pattern.search("Foo/README.md")
    assert not pattern.search("tools/retarus_connector/cli/lint.py")


def _readme_workflows(repository_root: Path) -> list[dict[str, Any]]:
    page = (repository_root / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", page, re.S)
    documents = [yaml.safe_load(block) for block in blocks]
    return [doc for doc in documents if isinstance(doc, dict) and "jobs" in doc]


def _workflows(repository_root: Path) -> dict[str, dict[str, Any]]:
    found = {"ci.yml": _load(repository_root / ".github" / "workflows" / "ci.yml")}
    for number, workflow in enumerate(_readme_workflows(repository_root)):
        found[f"docs/ci.md workflow {number + 1} ({workflow['name']})"] = workflow
    return found


def test_sarif_upload_is_skipped_for_pull_requests_from_forks(repository_root: Path) -> None:
    # a pull request from a fork runs with a read-only token: upload-sarif fails there and
    # would turn the check red whatever the findings, so it must not run for forks, and the
    # findings must reach the pull request another way (annotations)
    checked = 0
    for name, workflow in _workflows(repository_root).items():
        triggers = workflow.get("on", workflow.get(True))
        steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
        uploads = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/")]
        if "pull_request" not in triggers or not uploads:
            continue
        checked += 1
        for upload in uploads:
            condition = upload.get("if", "")
            assert "github.event.pull_request.head.repo.full_name == github.repository" in (
                condition
            ), f"{name}: upload-sarif runs for forks: if {condition!r}"
        fallbacks = [
            s
            for s in steps
            if "--format github" in s.get("run", "")
            and "github.event.pull_request.head.repo.full_name != github.repository"
            in s.get("if", "")
        ]
        assert fallbacks, f"{name}: a fork's pull request gets no lint findings"
    assert checked >= 2  # ci.yml and the workflow docs/ci.md suggests to other repositories
