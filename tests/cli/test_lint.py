"""`retarus-connector lint` through click's CliRunner: formats, exit codes, configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from retarus_connector.cli import main

CLEAN: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "T", "version": "1"},
    "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok"}}}}},
}
BROKEN = dict(CLEAN, paths={"/a/{id}": {"get": {"responses": {}}}})  # two structure errors


def package(folder: Path, swagger: Any, **companions: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(swagger, indent=2))
    for name, data in companions.items():
        (folder / name).write_bytes(data)
    return folder


def lint(*args: str, cwd: Path) -> Result:
    """Run with `cwd` as working folder (so the repository's pyproject.toml does not apply)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own findings cache, never the user's."""
    folder = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def test_the_cache_is_used_and_no_cache_skips_it(tmp_path: Path, private_cache: Path) -> None:
    package(tmp_path / "pkg", BROKEN)
    cached = lint(str(tmp_path / "pkg"), "--format", "json", cwd=tmp_path)
    assert list(private_cache.rglob("*.json"))
    again = lint(str(tmp_path / "pkg"), "--format", "json", cwd=tmp_path)
    assert again.output == cached.output
    entries = sorted(private_cache.rglob("*.json"))
    for entry in entries:
        entry.unlink()
    fresh = lint(str(tmp_path / "pkg"), "--format", "json", "--no-cache", cwd=tmp_path)
    assert fresh.output == cached.output
    assert not list(private_cache.rglob("*.json"))


@pytest.fixture
def work(tmp_path: Path) -> Path:
    package(tmp_path / "clean", CLEAN)
    package(tmp_path / "broken", BROKEN, **{"apiProperties.json": b'{"a": 1, "a": 2}'})
    return tmp_path


def test_exit_0_when_nothing_reaches_fail_on(work: Path) -> None:
    result = lint(str(work / "clean"), "--select", "structure,files", cwd=work)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("1 package, 1 file: 0 error, 0 warning, 0 info")


def test_exit_1_on_errors_and_fail_on_lowers_the_bar(work: Path) -> None:
    errors = lint(str(work / "broken"), "--select", "structure", cwd=work)
    assert errors.exit_code == 1
    assert "[path-parameters]" in errors.output
    warnings_only = ["--select", "json-duplicate-key"]
    assert lint(str(work / "broken"), *warnings_only, cwd=work).exit_code == 0
    assert (
        lint(str(work / "broken"), *warnings_only, "--fail-on", "warning", cwd=work).exit_code == 1
    )
    assert lint(str(work / "broken"), *warnings_only, "--fail-on", "info", cwd=work).exit_code == 1


def test_json_output(work: Path) -> None:
    result = lint(str(work), "--format", "json", "--select", "structure,files", cwd=work)
    document = json.loads(result.output)
    assert document["summary"]["packages"] == 2
    assert document["summary"]["files"] == 3
    files = {finding["file"] for finding in document["findings"]}
    assert files == {
        f"{work.as_posix()}/broken/apiDefinition.swagger.json",
        f"{work.as_posix()}/broken/apiProperties.json",
    }
    duplicate = next(f for f in document["findings"] if f["rule"] == "json-duplicate-key")
    assert (duplicate["pointer"], duplicate["line"], duplicate["column"]) == ("/a", 1, 10)


def test_sarif_and_github_output(work: Path) -> None:
    sarif = json.loads(lint(str(work), "--format", "sarif", cwd=work).output)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"]
    github = lint(str(work), "--format", "github", "--select", "structure", cwd=work).output
    assert github.startswith("::error file=")
    assert ",title=" in github


@pytest.mark.parametrize(
    "args",
    [
        ["--profile", "gold"],
        ["--fail-on", "fatal"],
        ["--format", "xml"],
        ["--select", "no-such-rule"],
        ["--ignore", "no-such-family"],
        ["--explain", "no-such-rule"],
        ["does/not/exist"],
    ],
)
def test_usage_errors_exit_2(work: Path, args: list[str]) -> None:
    result = (
        lint(str(work / "clean"), *args, cwd=work)
        if args[0].startswith("-")
        else lint(*args, cwd=work)
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_folder_without_packages_is_a_usage_error(tmp_path: Path) -> None:
    result = lint(str(tmp_path), cwd=tmp_path)
    assert result.exit_code == 2
    assert "no connector package found" in result.output


def test_explain_and_list_rules(work: Path) -> None:
    explained = lint("--explain", "ref-target", cwd=work)
    assert explained.exit_code == 0
    assert explained.output.startswith("ref-target (structure)\ndefault severity: error")
    assert "Fix:" in explained.output
    listed = lint("--list-rules", cwd=work)
    assert listed.exit_code == 0
    assert any(line.split()[:2] == ["ref-target", "error"] for line in listed.output.splitlines())


def test_pyproject_configuration_applies_and_the_command_line_wins(work: Path) -> None:
    (work / "pyproject.toml").write_text(
        '[tool.retarus-connector.lint]\nfail-on = "warning"\nselect = ["json-duplicate-key"]\n'
    )
    target = str(work / "broken")
    from_config = lint(target, cwd=work)
    overridden = lint(target, "--fail-on", "error", cwd=work)
    other_rules = lint(target, "--select", "path-parameters", cwd=work)
    assert from_config.exit_code == 1
    assert "[json-duplicate-key]" in from_config.output
    assert overridden.exit_code == 0
    assert "[path-parameters]" in other_rules.output
    assert "[json-duplicate-key]" not in other_rules.output


def test_bad_configuration_is_a_usage_error(work: Path) -> None:
    config = work / "lint.toml"
    config.write_text('[tool.retarus-connector.lint]\nprofile = "gold"\n')
    result = lint(str(work / "clean"), "--config", str(config), cwd=work)
    assert result.exit_code == 2
    assert "unknown profile 'gold'" in result.output


def test_unreadable_binary_and_truncated_files_are_findings_not_crashes(tmp_path: Path) -> None:
    package(
        tmp_path / "a", CLEAN, **{"apiProperties.json": b"\x00\x01\x02", "readme.md": b"\xff\xfe"}
    )
    cut = package(tmp_path / "b", CLEAN)
    (cut / "apiDefinition.swagger.json").write_bytes(json.dumps(CLEAN).encode()[:25])
    result = lint(str(tmp_path), "--format", "json", "--select", "files", cwd=tmp_path)
    assert result.exit_code == 1
    rules = sorted(finding["rule"] for finding in json.loads(result.output)["findings"])
    assert rules == ["file-binary", "file-encoding", "json-syntax"]


@pytest.mark.parametrize("output_format", ["text", "github", "json", "sarif"])
def test_a_lone_surrogate_in_a_key_is_printed_escaped_and_cached(
    tmp_path: Path, private_cache: Path, output_format: str
) -> None:
    # "\\ud800" is valid JSON for a lone surrogate, which has no UTF-8 bytes; it reaches the
    # findings through pointers (keys) and messages (values)
    folder = package(tmp_path / "pkg", CLEAN)
    swagger = folder / "apiDefinition.swagger.json"
    swagger.write_text(json.dumps(CLEAN).replace('"/a"', '"/a\\ud800"'), encoding="utf-8")
    first = lint(str(folder), "--format", output_format, cwd=tmp_path)
    assert first.exit_code == 1
    shown = first.output
    if output_format in ("json", "sarif"):
        # the escape is text in the JSON strings, not a JSON escape of a lone surrogate
        shown = json.dumps(json.loads(first.output), ensure_ascii=False).replace("\\\\", "\\")
        shown.encode("utf-8")
    assert "/a\\ud800" in shown or "~1a\\ud800" in shown
    assert list(private_cache.rglob("*.json"))
    again = lint(str(folder), "--format", output_format, cwd=tmp_path)
    assert again.output == first.output


def test_lints_the_whole_corpus_without_a_crash(corpus_dir: Path, tmp_path: Path) -> None:
    result = lint(str(corpus_dir), "--format", "json", cwd=tmp_path)
    assert result.exit_code in (0, 1), result.output[-2000:]
    document = json.loads(result.output)
    assert document["summary"]["packages"] == 75
    crashed = [f for f in document["findings"] if f["rule"] == "rule-crashed"]
    assert crashed == []
    syntax = {
        Path(f["file"]).parent.name for f in document["findings"] if f["rule"] == "json-syntax"
    }
    assert {"CognitiveServicesTextAnalytics", "ZohoSign"} <= syntax


def test_default_path_is_the_repository_root(repository_root: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["lint", "--format", "json", "--select", "files"])
    document = json.loads(result.output)
    assert document["summary"]["packages"] == 1
    assert (repository_root / "apiDefinition.swagger.json").is_file()


def test_lint_starts_without_heavy_libraries() -> None:
    code = (
        "import sys; from retarus_connector.cli import main; "
        "main(['lint', '--list-rules'], standalone_mode=False); "
        "print(sorted(m for m in ('PIL', 'requests', 'jsonschema', 'yaml') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip().splitlines()[-1] == "[]"


def test_the_garbage_collector_runs_again_after_the_command(work: Path) -> None:
    import gc

    assert gc.isenabled()
    lint(str(work / "clean"), cwd=work)
    assert gc.isenabled()


# usage defects ------------------------------------------------------------------------------


def test_an_empty_select_is_a_usage_error(work: Path) -> None:
    result = lint(str(work / "clean"), "--select", "", cwd=work)
    assert result.exit_code == 2
    assert "--select names no rule" in result.output


def test_select_and_ignore_of_the_same_rule_leaves_nothing_and_says_so(work: Path) -> None:
    result = lint(str(work / "clean"), "--select", "files", "--ignore", "files", cwd=work)
    assert result.exit_code == 2
    assert "no rule is selected" in result.output


def test_list_rules_shows_the_profile_severities_in_text_and_json(work: Path) -> None:
    from retarus_connector.lint import engine
    from retarus_connector.lint.model import Profile

    changed = next(rule for rule in engine.registry() if rule.profile_severities)
    profile, severity = changed.profile_severities[0]
    assert severity != changed.severity
    listed = lint("--list-rules", "--profile", profile.value, cwd=work).output.splitlines()
    line = next(line for line in listed if line.split()[0] == changed.id)
    assert line.split()[1] == severity.value
    data = json.loads(
        lint("--list-rules", "--format", "json", "--profile", profile.value, cwd=work).output
    )
    entry = next(item for item in data if item["id"] == changed.id)
    assert entry["severity"] == severity.value
    only_other = next(
        rule
        for rule in engine.registry()
        if rule.profiles and Profile.CERTIFIED not in rule.profiles
    )
    certified = json.loads(lint("--list-rules", "--format", "json", cwd=work).output)
    assert (
        next(i for i in certified if i["id"] == only_other.id)["severity"]
        == only_other.severity.value
    )
    under = json.loads(
        lint("--list-rules", "--format", "json", "--profile", "certified", cwd=work).output
    )
    assert next(i for i in under if i["id"] == only_other.id)["severity"] is None


def test_explain_takes_json_a_family_and_cites_public_pages(work: Path) -> None:
    data = json.loads(
        lint("--explain", "operation-summary-required", "--format", "json", cwd=work).output
    )
    assert data["id"] == "operation-summary-required"
    assert data["references"] == [
        "https://learn.microsoft.com/en-us/connectors/custom-connectors/connector-string-guidance"
    ]
    assert "OP-01" not in data["documentation"]
    family = lint("--explain", "files", cwd=work)
    assert family.exit_code == 0
    assert family.output.startswith("json-syntax (files)")
    assert "file-bom (files)" in family.output
    assert lint("--explain", "files", "--format", "sarif", cwd=work).exit_code == 2


def test_every_explanation_is_free_of_internal_reference_ids(work: Path) -> None:
    import re

    text = lint("--explain", "structure", cwd=work).output
    for family in {
        rule.family
        for rule in __import__("retarus_connector.lint.engine", fromlist=["registry"]).registry()
    }:
        text += lint("--explain", family, cwd=work).output
    assert not re.findall(r"\b(?:SW|OP|PRM|SCH|REF|AP|RM|CSX|ICON|MD|AI)-\d\d\b", text)
    assert "reference section" not in text
    assert "https://learn.microsoft.com/" in text


def test_configuration_comes_from_the_pyproject_nearest_each_package(tmp_path: Path) -> None:
    package(tmp_path / "a" / "pkg", BROKEN, **{"apiProperties.json": b'{"a": 1, "a": 2}'})
    package(tmp_path / "b" / "pkg", BROKEN, **{"apiProperties.json": b'{"a": 1, "a": 2}'})
    (tmp_path / "a" / "pyproject.toml").write_text(
        '[tool.retarus-connector.lint]\nselect = ["json-duplicate-key"]\nfail-on = "warning"\n'
    )
    # a pyproject.toml without the table is passed over, as ruff does
    (tmp_path / "b" / "pkg" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "b" / "pyproject.toml").write_text(
        '[tool.retarus-connector.lint]\nselect = ["path-parameters"]\n'
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = lint(str(tmp_path / "a"), str(tmp_path / "b"), "--format", "json", cwd=elsewhere)
    findings = json.loads(result.output)["findings"]
    by_package = {(Path(f["file"]).parent.parent.name, f["rule"]) for f in findings}
    assert by_package == {("a", "json-duplicate-key"), ("b", "path-parameters")}
    assert result.exit_code == 1  # a's warning reaches a's fail-on
    only_b = lint(str(tmp_path / "b"), "--select", "json-duplicate-key", cwd=elsewhere)
    assert only_b.exit_code == 0  # the command line wins; b fails on errors only


def test_a_bare_lint_outside_a_checkout_needs_a_path(tmp_path: Path) -> None:
    result = lint(cwd=tmp_path)
    assert result.exit_code == 2
    assert "give the package folder" in result.output
    package(tmp_path / "pkg", CLEAN)
    inside = lint("--select", "files", cwd=tmp_path / "pkg")
    assert inside.exit_code == 0
    assert "1 package, 1 file" in inside.output


# statistics, output, baselines ----------------------------------------------------------------


def test_statistics_count_each_rule_and_severity(work: Path) -> None:
    full = json.loads(lint(str(work), "--format", "json", cwd=work).output)
    stats = json.loads(lint(str(work), "--statistics", "--format", "json", cwd=work).output)
    expected: dict[tuple[str, str], int] = {}
    for finding in full["findings"]:
        key = (finding["rule"], finding["severity"])
        expected[key] = expected.get(key, 0) + 1
    assert {(s["rule"], s["severity"]): s["count"] for s in stats["statistics"]} == expected
    counts = [s["count"] for s in stats["statistics"]]
    assert counts == sorted(counts, reverse=True)
    assert stats["summary"] == full["summary"]
    text = lint(str(work), "--statistics", cwd=work).output.splitlines()
    first = stats["statistics"][0]
    assert text[0].split() == [str(first["count"]), first["rule"], first["severity"]]
    assert lint(str(work), "--statistics", "--format", "sarif", cwd=work).exit_code == 2


def test_output_writes_the_report_to_a_file(work: Path) -> None:
    target = work / "out" / "report.sarif"
    target.parent.mkdir()
    result = lint(str(work), "--format", "sarif", "--output", str(target), cwd=work)
    assert result.exit_code == 1
    assert result.output == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert [p.name for p in target.parent.iterdir()] == ["report.sarif"]
    missing = lint(str(work), "--output", str(work / "no" / "such" / "r.txt"), cwd=work)
    assert missing.exit_code == 2
    assert "r.txt" in missing.output


def test_a_baseline_hides_known_findings_but_not_new_ones(work: Path) -> None:
    baseline = work / "lint-baseline.json"
    written = lint(str(work), "--write-baseline", str(baseline), cwd=work)
    assert written.exit_code == 0
    before = json.loads(lint(str(work), "--format", "json", cwd=work).output)["findings"]
    assert before
    again = lint(str(work), "--format", "json", "--baseline", str(baseline), cwd=work)
    assert again.exit_code == 0
    assert json.loads(again.stdout)["findings"] == []
    assert f"{len(before)} findings suppressed by the baseline" in again.stderr
    # lines move: still known; one more duplicate key: exactly that one is new
    properties = work / "broken" / "apiProperties.json"
    properties.write_bytes(b'\n\n{"a": 1, "a": 2, "a": 3}')
    moved = lint(
        str(work / "broken"), "--format", "json", "--baseline", str(baseline), cwd=work / "broken"
    )
    new = json.loads(moved.stdout)["findings"]
    assert [(f["rule"], f["pointer"]) for f in new] == [("json-duplicate-key", "/a")]


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "does not exist"), (b"{", "not valid JSON"), (b'{"version": 9}', "not a version 1")],
)
def test_a_missing_or_corrupt_baseline_is_a_usage_error_naming_it(
    work: Path, content: bytes | None, message: str
) -> None:
    baseline = work / "base.json"
    if content is not None:
        baseline.write_bytes(content)
    result = lint(str(work), "--baseline", str(baseline), cwd=work)
    assert result.exit_code == 2
    assert str(baseline) in result.output
    assert message in result.output


def _bytes_output(*args: str, cwd: Path) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)
    return result.stdout_bytes


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_json_output_is_valid_utf8_for_a_folder_name_that_is_not(
    tmp_path: Path, output_format: str
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    try:
        os.mkdir(os.fsencode(tree) + b"/caf\xe9")  # Latin-1, as an old archive tool wrote it
    except OSError as error:  # pragma: no cover - a file system that insists on UTF-8 names
        pytest.skip(f"this file system refuses names that are not UTF-8 ({error})")
    (folder,) = tree.iterdir()
    package(folder, BROKEN)
    raw = _bytes_output("tree", "--format", output_format, cwd=tmp_path)
    document = json.loads(raw.decode("utf-8"))  # strict: no lone surrogates as bytes
    texts = json.dumps(document, ensure_ascii=False)
    texts.encode("utf-8")  # strict: no lone surrogates escaped in the JSON either
    if output_format == "json":
        files = {finding["file"] for finding in document["findings"]}
        assert "tree/caf\\xe9/apiDefinition.swagger.json" in files
        assert all(file.startswith("tree/caf\\xe9/") for file in files)
    else:
        uris = {
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for result in document["runs"][0]["results"]
        }
        assert "tree/caf%E9/apiDefinition.swagger.json" in uris


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_control_characters_in_a_folder_name_are_escaped_one_finding_a_line(
    tmp_path: Path, output_format: str
) -> None:
    tree = tmp_path / "tree"
    package(tree / "evil\nname\x1b[31m", BROKEN)
    output = lint("tree", "--format", output_format, cwd=tmp_path).output
    lines = output.splitlines()
    findings = lines[:-1]
    counted = json.loads(lint("tree", "--format", "json", cwd=tmp_path).output)["findings"]
    assert len(findings) == len(counted) > 1, output
    assert "\x1b" not in output
    for line in findings:
        assert "tree/evil\\nname\\x1b[31m/" in line
    assert lines[-1].startswith("1 package, 1 file:")


def test_a_folder_that_cannot_be_listed_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Denied by the operating system as a user would be: root reads every folder, so the
    # refusal is injected where the walk asks for the listing.
    tree = tmp_path / "tree"
    package(tree / "open", CLEAN)
    package(tree / "locked" / "inner", CLEAN)
    real_scandir = os.scandir
    locked = str(tree / "locked")

    def scandir(path: Any = ".") -> Any:
        if os.path.abspath(os.fspath(path)) == locked:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = lint("tree", "--format", "json", cwd=tmp_path)
    document = json.loads(result.output)
    unreadable = [f for f in document["findings"] if f["rule"] == "folder-unreadable"]
    assert [(f["file"], f["severity"]) for f in unreadable] == [("tree/locked/", "error")]
    assert "Permission denied" in unreadable[0]["message"]
    assert not any(f["rule"] == "package-missing-swagger" for f in document["findings"])
    assert document["summary"]["packages"] == 1
    assert result.exit_code == 1


def test_a_folder_without_permissions_is_a_finding(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    package(tree / "open", CLEAN)
    package(tree / "locked" / "inner", CLEAN)
    (tree / "locked").chmod(0)
    try:
        try:
            os.listdir(tree / "locked")
        except PermissionError:
            pass
        else:
            pytest.skip("this user lists folders without permission (root)")
        result = lint("tree", cwd=tmp_path)
    finally:
        (tree / "locked").chmod(0o755)
    assert result.exit_code == 1
    assert "tree/locked/: error [folder-unreadable] The folder cannot be listed" in result.output


def test_a_linted_path_that_cannot_be_listed_is_a_finding_not_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    package(tree / "inner", CLEAN)
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.path.abspath(os.fspath(path)) == str(tree):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = lint("tree", cwd=tmp_path)
    assert result.exit_code == 1
    assert "tree/: error [folder-unreadable]" in result.output
