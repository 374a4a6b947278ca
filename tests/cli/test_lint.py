"""`retarus-connector lint` through click's CliRunner: formats, exit codes, configuration."""

from __future__ import annotations

import json
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
    assert "/a\\ud800" in first.output or "~1a\\ud800" in first.output
    assert list(private_cache.rglob("*.json"))
    again = lint(str(folder), "--format", output_format, cwd=tmp_path)
    assert again.output == first.output
    if output_format in ("json", "sarif"):
        json.loads(first.output)


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
