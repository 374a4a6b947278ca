"""The findings cache: reused only for the same files, settings and linter; never changes results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from retarus_connector.lint import engine, parallel
from retarus_connector.lint.cache import FindingCache, linter_fingerprint
from retarus_connector.lint.engine import LintOptions
from retarus_connector.lint.model import Profile

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "T", "version": "1"},
    "paths": {"/a/{id}": {"get": {"responses": {}}}},
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("one", "two"):
        folder = tmp_path / "tree" / name
        folder.mkdir(parents=True)
        (folder / "apiDefinition.swagger.json").write_text(json.dumps(SWAGGER, indent=2))
        (folder / "README.md").write_text(f"# {name}\n")
    return tmp_path / "tree"


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The packages actually checked (not served from the cache)."""
    checked: list[str] = []
    real = engine.check_package

    def counting(package: Any, rules: Any) -> Any:
        checked.append(package.display_root)
        return real(package, rules)

    monkeypatch.setattr(parallel, "check_package", counting)
    return checked


def test_a_second_run_reuses_the_findings(tree: Path, tmp_path: Path, checks: list[str]) -> None:
    options = LintOptions(cache=tmp_path / "cache", jobs=1)
    first = engine.lint([tree], options)
    assert len(checks) == 2
    second = engine.lint([tree], options)
    assert len(checks) == 2  # nothing checked again
    assert second == first
    assert first == engine.lint([tree], LintOptions(jobs=1))  # same as without a cache
    assert first.findings


def test_a_changed_file_a_profile_or_a_rule_selection_is_checked_again(
    tree: Path, tmp_path: Path, checks: list[str]
) -> None:
    cache = tmp_path / "cache"
    engine.lint([tree], LintOptions(cache=cache, jobs=1))
    (tree / "two" / "README.md").write_text("# two, changed\n")
    engine.lint([tree], LintOptions(cache=cache, jobs=1))
    assert checks[2:] == [f"{tree.as_posix()}/two"]
    engine.lint([tree], LintOptions(cache=cache, jobs=1, profile=Profile.CUSTOM))
    engine.lint([tree], LintOptions(cache=cache, jobs=1, ignore=("path-parameters",)))
    assert len(checks) == 3 + 2 + 2


def test_findings_follow_the_path_the_package_is_reached_by(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: list[str]
) -> None:
    options = LintOptions(cache=tmp_path / "cache", jobs=1)
    engine.lint([tree / "one"], options)
    monkeypatch.chdir(tree)
    again = engine.lint([Path("one")], options)
    assert len(checks) == 1  # served from the cache
    assert {finding.file for finding in again.findings} == {
        "one/apiDefinition.swagger.json",
        "one/README.md",
    }


def test_a_damaged_entry_is_a_miss(tree: Path, tmp_path: Path, checks: list[str]) -> None:
    cache = tmp_path / "cache"
    first = engine.lint([tree], LintOptions(cache=cache, jobs=1))
    for entry in cache.rglob("*.json"):
        entry.write_text('{"findings": [["broken"]]}')
    assert engine.lint([tree], LintOptions(cache=cache, jobs=1)) == first
    assert len(checks) == 4


def test_an_unwritable_cache_changes_nothing(tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    report = engine.lint([tree], LintOptions(cache=blocker / "cache", jobs=1))
    assert report == engine.lint([tree], LintOptions(jobs=1))


def test_identical_packages_share_an_entry(tree: Path, tmp_path: Path, checks: list[str]) -> None:
    (tree / "two" / "README.md").write_text("# one\n")
    engine.lint([tree / "one"], LintOptions(cache=tmp_path / "cache", jobs=1))
    report = engine.lint([tree], LintOptions(cache=tmp_path / "cache", jobs=1))
    assert len(checks) == 1  # "two" holds the same files as "one"
    assert {Path(finding.file).parent.name for finding in report.findings} == {"one", "two"}


def test_keys_and_fingerprint(tmp_path: Path) -> None:
    cache = FindingCache(tmp_path)
    assert cache.key([b"a", b"b"]) != cache.key([b"ab"])  # parts are length-prefixed
    assert len(linter_fingerprint()) == 40
    assert linter_fingerprint() == linter_fingerprint()


def test_a_run_the_cache_answers_for_starts_no_worker_process(
    tmp_path: Path, forks: list[int]
) -> None:
    for index in range(10):
        folder = tmp_path / "many" / f"pkg{index}"
        folder.mkdir(parents=True)
        swagger = {"swagger": "2.0", "info": {"title": f"T{index}"}, "paths": {}}
        (folder / "apiDefinition.swagger.json").write_text(json.dumps(swagger))
    options = LintOptions(cache=tmp_path / "cache", jobs=2)
    first = engine.lint([tmp_path / "many"], options)  # shared with a worker process
    forked = len(forks)
    second = engine.lint([tmp_path / "many"], options)
    assert len(forks) == forked  # the second run started no process
    assert second == first
    assert first.findings
