"""`lint --fix`: each fix removes its rule's findings, keeps the file's meaning, and is refused
for a file that does not parse; `--fix --diff` shows the change without writing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from retarus_connector.cli import main
from retarus_connector.core.jsonfile import parse_json

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Café", "version": "1", "description": "Sends a 😀 or a “quote”."},
    "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok"}}}}},
}


def lint(*args: str, cwd: Path) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        patch.setenv("XDG_CACHE_HOME", str(cwd / ".cache"))
        return CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)


def write_package(folder: Path, swagger: bytes, **others: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_bytes(swagger)
    for name, data in others.items():
        (folder / name).write_bytes(data)
    return folder


FIXABLE = ("file-bom", "swagger-non-ascii", "file-line-endings")


def rules_found(folder: Path, cwd: Path) -> list[tuple[str, str]]:
    output = lint(str(folder), "--format", "json", "--select", ",".join(FIXABLE), cwd=cwd).stdout
    return sorted((Path(f["file"]).name, f["rule"]) for f in json.loads(output)["findings"])


@pytest.mark.parametrize(
    ("name", "raw", "rule"),
    [
        (
            "apiDefinition.swagger.json",
            b"\xef\xbb\xbf" + json.dumps(SWAGGER, ensure_ascii=True).encode(),
            "file-bom",
        ),
        (
            "apiDefinition.swagger.json",
            json.dumps(SWAGGER, ensure_ascii=False, indent=2).encode(),
            "swagger-non-ascii",
        ),
        ("readme.md", b"# Title\r\n\r\nText\nMore\r\n", "file-line-endings"),
        ("script.csx", b"\xef\xbb\xbfpublic class Script : ScriptBase {}\n", "file-bom"),
    ],
)
def test_a_fix_removes_its_findings_and_keeps_the_meaning(
    tmp_path: Path, name: str, raw: bytes, rule: str
) -> None:
    swagger = json.dumps(SWAGGER).encode()
    folder = write_package(tmp_path / "pkg", swagger, **{name: raw})
    before = (folder / name).read_bytes()
    assert (name, rule) in rules_found(folder, tmp_path)
    result = lint(str(folder), "--fix", "--select", rule, cwd=tmp_path)
    assert f"fixed {(folder / name).as_posix()}: {rule}" in result.stderr
    after = (folder / name).read_bytes()
    assert after != before
    assert (name, rule) not in rules_found(folder, tmp_path)
    if name.endswith(".json"):
        assert parse_json(after).data == parse_json(before).data
        assert after.isascii() or rule == "file-bom"


def test_fix_diff_previews_without_writing(tmp_path: Path) -> None:
    raw = json.dumps(SWAGGER, ensure_ascii=False).encode()
    folder = write_package(tmp_path / "pkg", raw)
    result = lint(str(folder), "--fix", "--diff", cwd=tmp_path)
    assert result.exit_code == 0
    assert (folder / "apiDefinition.swagger.json").read_bytes() == raw
    assert "--- a/" in result.stdout
    assert "+++ b/" in result.stdout
    assert "Caf\\u00e9" in result.stdout
    assert "\\ud83d\\ude00" in result.stdout
    assert "would fix" in result.stderr


def test_a_file_that_does_not_parse_is_never_rewritten(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(SWAGGER, ensure_ascii=False).encode()[:-1]
    folder = write_package(tmp_path / "pkg", raw)
    result = lint(str(folder), "--fix", cwd=tmp_path)
    assert (folder / "apiDefinition.swagger.json").read_bytes() == raw
    assert "does not parse as JSON" in result.stderr


def test_diff_needs_fix(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "pkg", json.dumps(SWAGGER).encode())
    assert lint(str(folder), "--diff", cwd=tmp_path).exit_code == 2


@pytest.mark.slow
def test_fix_over_a_copy_of_the_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(corpus_dir, copy)
    originals = {path: path.read_bytes() for path in copy.rglob("*") if path.is_file()}
    before = json.loads(lint(str(copy), "--format", "json", "--no-cache", cwd=tmp_path).stdout)
    fixable = [f for f in before["findings"] if f["rule"] in FIXABLE]
    assert fixable
    result = lint(str(copy), "--fix", "--no-cache", "--format", "json", cwd=tmp_path)
    after = json.loads(result.stdout)
    changed = [path for path, raw in originals.items() if path.read_bytes() != raw]
    assert changed
    for path in changed:
        if path.suffix == ".json":
            assert parse_json(path.read_bytes()).data == parse_json(originals[path]).data, path
    fixed_files = {Path(f["file"]) for f in fixable}
    left = [f for f in after["findings"] if f["rule"] in FIXABLE]
    # what is left is only in files that do not parse (never rewritten)
    for finding in left:
        assert not parse_json(Path(finding["file"]).read_bytes()).ok, finding
    others = lambda report: sorted(  # noqa: E731
        (f["rule"], f["file"], f["pointer"]) for f in report["findings"] if f["rule"] not in FIXABLE
    )
    assert others(after) == others(before)
    # only files with a fixable finding were touched
    assert set(changed) <= fixed_files


def test_a_finding_inside_an_archive_is_left_with_the_reason() -> None:
    from retarus_connector.lint import fix
    from retarus_connector.lint.engine import LintReport
    from retarus_connector.lint.model import Finding, Severity

    inside = "a.zip!/Connector/apiDefinition.swagger.json"
    report = LintReport([Finding("file-bom", Severity.WARNING, inside, "", "BOM", 1, 1)])
    planned = fix.plan(report, [])
    assert planned.fixes == []
    assert planned.skipped == [(inside, "is inside an archive; --fix rewrites plain files only")]
