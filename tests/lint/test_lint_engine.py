"""The lint engine: discovery, selection, profiles, crash containment, ordering, processes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lint_packages import make_package

from retarus_connector.lint import engine, parallel
from retarus_connector.lint.engine import LintOptions, LintUsageError
from retarus_connector.lint.model import (
    FileKind,
    Package,
    Problem,
    Profile,
    Severity,
    rule,
)
from retarus_connector.lint.rules import FAMILIES

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/a/{id}": {"get": {"operationId": "A", "responses": {"200": {"description": "ok"}}}}
    },
}


def write_package(folder: Path, swagger: Any = SWAGGER, **companions: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(swagger, indent=4))
    for name, data in companions.items():
        (folder / name.replace("_", ".")).write_bytes(data)
    return folder


def test_registry_ids_are_unique_kebab_case_and_documented() -> None:
    rules = engine.registry()
    assert len({r.id for r in rules}) == len(rules)
    for candidate in rules:
        assert candidate.doc.strip(), f"{candidate.id} has no documentation"
        assert candidate.summary != candidate.id
    assert {r.family for r in rules} >= {"files", "structure", "engine"}


def test_registry_is_the_families_tuple_plus_the_engine_rule() -> None:
    from_families = [r.id for family in FAMILIES for r in family.RULES]
    assert [r.id for r in engine.registry()] == [*from_families, "rule-crashed"]


def test_discover_a_package_folder_with_companions_in_any_letter_case(tmp_path: Path) -> None:
    write_package(tmp_path, apiProperties_json=b"{}", README_MD=b"# T", icon_png=b"png")
    (source,) = engine.discover(tmp_path, "pkg")
    assert set(source.files) == {
        FileKind.SWAGGER,
        FileKind.PROPERTIES,
        FileKind.README,
        FileKind.ICON,
    }
    assert source.files[FileKind.README][1] == "pkg/README.MD"
    assert not source.single_file


def test_discover_a_tree_finds_every_package_and_skips_hidden_folders(tmp_path: Path) -> None:
    write_package(tmp_path / "certified" / "B")
    write_package(tmp_path / "certified" / "A")
    write_package(tmp_path / ".git" / "C")
    (tmp_path / "orphan").mkdir()
    (tmp_path / "orphan" / "apiProperties.json").write_text("{}")
    shown = [source.display_root for source in engine.discover(tmp_path, "corpus")]
    assert shown == ["corpus/certified/A", "corpus/certified/B", "corpus/orphan"]


def test_a_package_folder_is_not_searched_below(tmp_path: Path) -> None:
    write_package(tmp_path)
    write_package(tmp_path / "tests" / "fixture")
    assert [s.root for s in engine.discover(tmp_path)] == [tmp_path]


def test_discover_a_single_file(tmp_path: Path) -> None:
    write_package(tmp_path)
    (tmp_path / "old.swagger.json").write_text("{}")
    (tmp_path / "apiProperties.deploy.json").write_text("{}")
    (swagger,) = engine.discover(tmp_path / "old.swagger.json")
    (properties,) = engine.discover(tmp_path / "apiProperties.deploy.json")
    assert set(swagger.files) == {FileKind.SWAGGER}
    assert set(properties.files) == {FileKind.PROPERTIES}
    assert swagger.single_file


def test_discover_rejects_what_is_no_package(tmp_path: Path) -> None:
    with pytest.raises(LintUsageError, match="no such file"):
        engine.discover(tmp_path / "missing")
    with pytest.raises(LintUsageError, match="no connector package"):
        engine.discover(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(LintUsageError, match="not a connector file"):
        engine.discover(tmp_path / "notes.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_discover_names_a_path_that_is_neither_file_nor_folder(tmp_path: Path) -> None:
    # what `lint <(command)` passes: the pipe exists, it is no missing file
    os.mkfifo(tmp_path / "apiDefinition.swagger.json")
    with pytest.raises(LintUsageError, match=r"swagger\.json: not a regular file or a folder$"):
        engine.discover(tmp_path / "apiDefinition.swagger.json")


def test_findings_show_the_path_as_given_and_are_sorted(tmp_path: Path) -> None:
    broken = dict(SWAGGER, paths={"/b/{x}": {"get": {}}, "/a": {"get": {}}})
    write_package(tmp_path / "pkg", broken)
    report = engine.lint([tmp_path / "pkg"], LintOptions(select=("structure",)))
    assert report.findings == sorted(report.findings, key=engine.sort_key)
    assert {f.file for f in report.findings} == {
        f"{tmp_path.as_posix()}/pkg/apiDefinition.swagger.json"
    }
    assert all(f.line is not None for f in report.findings)
    assert (report.packages, report.files) == (1, 1)


def test_a_display_name_replaces_the_path_as_given(tmp_path: Path) -> None:
    broken = dict(SWAGGER, paths={"/b/{x}": {"get": {}}})
    write_package(tmp_path / "pkg", broken)
    report = engine.lint([tmp_path / "pkg"], LintOptions(select=("structure",)), display="x.zip/P")
    assert report.findings
    assert {f.file for f in report.findings} == {"x.zip/P/apiDefinition.swagger.json"}
    with pytest.raises(ValueError, match="exactly one path"):
        engine.lint([tmp_path / "pkg", tmp_path], display="x.zip/P")


def test_the_same_package_named_twice_is_linted_once(tmp_path: Path) -> None:
    write_package(tmp_path)
    report = engine.lint([tmp_path, tmp_path / "."], LintOptions(select=("files",)))
    assert report.packages == 1


def test_two_single_files_of_one_folder_are_two_packages(tmp_path: Path) -> None:
    (tmp_path / "old.swagger.json").write_text(json.dumps(SWAGGER))
    (tmp_path / "new.swagger.json").write_text("[]")
    report = engine.lint(
        [tmp_path / "old.swagger.json", tmp_path / "new.swagger.json"],
        LintOptions(select=("files",)),
    )
    assert report.packages == 2
    assert [f.file for f in report.findings] == [f"{tmp_path.as_posix()}/new.swagger.json"]


def test_select_and_ignore_take_ids_and_families() -> None:
    chosen = engine.enabled_rules(LintOptions(select=("structure",), ignore=("ref-target",)))
    assert chosen
    assert {r.family for r in chosen} == {"structure"}
    assert "ref-target" not in {r.id for r in chosen}
    with pytest.raises(LintUsageError, match="unknown rule or family 'nope'"):
        engine.enabled_rules(LintOptions(select=("nope",)))


@rule("test-profile-rule", Severity.ERROR, severities={Profile.CUSTOM: Severity.INFO})
def _profiled(package: Package) -> Iterator[Problem]:
    """A rule whose severity depends on the profile."""
    yield Problem("always", "/info")


@rule("test-ip-only", Severity.WARNING, profiles=[Profile.INDEPENDENT_PUBLISHER])
def _ip_only(package: Package) -> Iterator[Problem]:
    """A rule only the independent-publisher profile runs."""
    yield Problem("ip", "")


@rule("test-crashing", Severity.ERROR)
def _crashing(package: Package) -> Iterator[Problem]:
    """A rule with a bug."""
    yield Problem("before", "")
    raise KeyError("oops")


def _package(profile: Profile) -> Package:
    result: Package = make_package(SWAGGER, profile=profile)
    return result


def test_profiles_change_severities_and_enable_profile_only_rules() -> None:
    rules = [_profiled, _ip_only]
    certified = engine.check_package(_package(Profile.CERTIFIED), rules)
    custom = engine.check_package(_package(Profile.CUSTOM), rules)
    publisher = engine.check_package(_package(Profile.INDEPENDENT_PUBLISHER), rules)
    assert [(f.rule, f.severity) for f in certified] == [("test-profile-rule", Severity.ERROR)]
    assert [(f.rule, f.severity) for f in custom] == [("test-profile-rule", Severity.INFO)]
    assert {f.rule for f in publisher} == {"test-profile-rule", "test-ip-only"}


def test_a_crashing_rule_becomes_a_finding_and_the_run_goes_on() -> None:
    findings = engine.check_package(
        _package(Profile.CERTIFIED), [_crashing, _profiled, engine.rule_crashed]
    )
    rules = [f.rule for f in findings]
    assert rules == ["test-crashing", "test-profile-rule", "rule-crashed"]
    crash = findings[2]
    assert "test-crashing failed: KeyError" in crash.message
    assert crash.file == "pkg/apiDefinition.swagger.json"


def test_findings_carry_line_and_column_of_their_pointer() -> None:
    (finding,) = engine.check_package(_package(Profile.CERTIFIED), [_profiled])
    assert (finding.line, finding.column) == (3, 5)  # "info" in json.dumps(..., indent=4)


def test_reaches_compares_with_the_fail_on_threshold(tmp_path: Path) -> None:
    report = engine.LintReport(
        findings=[engine.Finding("r", Severity.WARNING, "f", "", "m")], packages=1, files=1
    )
    assert report.reaches(Severity.WARNING)
    assert report.reaches(Severity.INFO)
    assert not report.reaches(Severity.ERROR)
    assert report.counts() == {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 0}


def test_processes_find_exactly_what_one_process_finds(tmp_path: Path, forks: list[int]) -> None:
    for index in range(9):
        broken = dict(SWAGGER, paths={f"/p{index}/{{x}}": {"get": {}}, "bad": {}})
        write_package(tmp_path / f"pkg{index}", broken, apiProperties_json=b'{"a": 1, "a": 2}')
    alone = engine.lint([tmp_path], LintOptions(jobs=1))
    shared = engine.lint([tmp_path], LintOptions(jobs=3))
    assert len(forks) == 2  # two worker processes; this one is the third
    assert shared == alone
    assert alone.packages == 9
    assert len(alone.findings) > 9


def test_more_packages_than_the_queue_holds_are_each_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(9):
        broken = dict(SWAGGER, paths={f"/p{index}/{{x}}": {"get": {}}})
        write_package(tmp_path / f"pkg{index}", broken)
    alone = engine.lint([tmp_path], LintOptions(jobs=1))
    monkeypatch.setattr(parallel, "_QUEUE_SLOTS", 3)  # each number stands for a run of three
    assert engine.lint([tmp_path], LintOptions(jobs=2)) == alone


@pytest.mark.parametrize("forks_allowed", [0, 1])
def test_a_run_that_cannot_fork_every_worker_checks_every_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks_allowed: int
) -> None:
    for index in range(12):
        broken = dict(SWAGGER, paths={f"/p{index}/{{x}}": {"get": {}}})
        write_package(tmp_path / f"pkg{index}", broken)
    alone = engine.lint([tmp_path], LintOptions(jobs=1))
    real_fork = os.fork
    forked: list[int] = []

    def limited_fork() -> int:
        if len(forked) >= forks_allowed:
            raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN
        pid = real_fork()
        forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", limited_fork)
    assert engine.lint([tmp_path], LintOptions(jobs=3)) == alone
    for pid in forked:
        with pytest.raises(ChildProcessError):  # collected: nothing left to wait for
            os.waitpid(pid, os.WNOHANG)


def test_an_interrupted_run_leaves_no_worker_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    for index in range(8):
        write_package(tmp_path / f"pkg{index}", SWAGGER)
    this_process = os.getpid()
    real_check = engine.check_package
    checked_here: list[int] = []

    def interrupted_here(package: Package, rules: Any) -> Any:
        if os.getpid() == this_process:
            checked_here.append(1)
            if len(checked_here) == 2:  # the first is checked before the workers start
                raise KeyboardInterrupt
        return real_check(package, rules)

    monkeypatch.setattr(parallel, "check_package", interrupted_here)
    with pytest.raises(KeyboardInterrupt):
        engine.lint([tmp_path], LintOptions(jobs=3))
    assert len(forks) == 2
    for pid in forks:
        with pytest.raises(ChildProcessError):  # stopped and reaped: nothing left to wait for
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.parametrize("hard", [False, True], ids=["exits", "dies"])
def test_packages_of_a_process_that_dies_are_checked_by_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard: bool
) -> None:
    import os

    for index in range(12):
        broken = dict(SWAGGER, paths={f"/p{index}/{{x}}": {"get": {}}})
        write_package(tmp_path / f"pkg{index}", broken)
    alone = engine.lint([tmp_path], LintOptions(jobs=1))
    this_process = os.getpid()
    real_check = engine.check_package

    def dying_elsewhere(package: Package, rules: Any) -> Any:
        if os.getpid() != this_process:
            if hard:
                os._exit(3)  # the worker vanishes: the pool breaks
            raise SystemExit(3)  # the worker stops in the middle of its packages
        return real_check(package, rules)

    monkeypatch.setattr(parallel, "check_package", dying_elsewhere)
    shared = engine.lint([tmp_path], LintOptions(jobs=2))
    assert shared == alone
    assert {finding.file.split("/")[-2] for finding in shared.findings} == {
        f"pkg{index}" for index in range(12)
    }
