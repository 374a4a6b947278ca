"""benchmarks/recall.py on a tiny git repository made in the test: a fix the linter flags
before it counts as caught, one it does not see counts as missed, and a commit that adds a
connector is not judged."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

RECALL = Path(__file__).resolve().parents[2] / "benchmarks" / "recall.py"
FOLDER = "certified-connectors/Contoso"


@pytest.fixture(scope="module")
def recall() -> ModuleType:
    spec = importlib.util.spec_from_file_location("recall_benchmark", RECALL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _git(repository: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repository), *arguments], check=True, capture_output=True, text=True
    ).stdout.strip()


def _commit(repository: Path, files: dict[str, Any], message: str) -> str:
    for name, content in files.items():
        path = repository / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    _git(repository, "add", "-A")
    _git(repository, "commit", "-q", "-m", message)
    return _git(repository, "rev-parse", "HEAD")


def _swagger(title: str, description: str) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": title, "description": description, "version": "1.0"},
        "host": "api.contoso.example",
        "basePath": "/",
        "schemes": ["https"],
        "paths": {},
    }


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository whose connector gets a version in its title, loses it, then has its
    description reworded (nothing the linter flags)."""
    repository = tmp_path / "repo"
    repository.mkdir()
    _git(repository, "init", "-q")
    _git(repository, "config", "user.email", "test@example.invalid")
    _git(repository, "config", "user.name", "Test")
    swagger = _swagger("Contoso 1.2", "Send and track text messages through Contoso.")
    revisions = {
        "added": _commit(repository, {f"{FOLDER}/apiDefinition.swagger.json": swagger}, "add")
    }
    swagger["info"]["title"] = "Contoso Messages"
    revisions["fixed"] = _commit(
        repository,
        {f"{FOLDER}/apiDefinition.swagger.json": swagger, "README.md": "outside"},
        "fix review comments",
    )
    swagger["info"]["description"] = "Send and track text messages through the Contoso service."
    revisions["reworded"] = _commit(
        repository, {f"{FOLDER}/apiDefinition.swagger.json": swagger}, "reword"
    )
    return repository, revisions


def test_a_flagged_fix_is_caught(recall: ModuleType, history: tuple[Path, dict[str, str]]) -> None:
    repository, revisions = history
    assert recall.touched_folders(repository, revisions["fixed"]) == [FOLDER]
    outcome = recall.judge(repository, "local/repo", revisions["fixed"])
    assert outcome.folders == [FOLDER]
    assert outcome.caught
    assert ("info-title-version", "apiDefinition.swagger.json", "/info/title") in outcome.removed


def test_an_unflagged_change_is_missed_and_a_new_connector_is_not_judged(
    recall: ModuleType, history: tuple[Path, dict[str, str]]
) -> None:
    repository, revisions = history
    reworded = recall.judge(repository, "local/repo", revisions["reworded"])
    assert reworded.folders == [FOLDER]
    assert not reworded.caught
    assert not reworded.skipped
    added = recall.judge(repository, "local/repo", revisions["added"])
    assert added.skipped  # no parent commit, no version before
    assert recall.summary([reworded, added]) == {
        "commits": 2,
        "judged": 1,
        "caught": 0,
        "recall": 0.0,
    }


def test_the_command_reads_a_list_and_reports_json(
    recall: ModuleType,
    history: tuple[Path, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repository, revisions = history
    fixes = tmp_path / "fixes.json"
    fixes.write_text(
        json.dumps(
            {
                "fixes": [
                    {"repository": "local/repo", "revision": revisions["fixed"]},
                    {"repository": "local/repo", "revision": revisions["reworded"]},
                    {"repository": "elsewhere/unknown", "revision": revisions["fixed"]},
                ]
            }
        )
    )
    assert recall.main([str(fixes), "--clone", f"local/repo={repository}", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"commits": 3, "judged": 2, "caught": 1, "recall": 0.5}
    assert "no local clone" in report["outcomes"][2]["skipped"]
    assert recall.profile_of(FOLDER).value == "certified"
