"""File hygiene rules: each with a file that breaks it and one that passes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from lint_packages import make_package, run_rule

from retarus_connector.core.jsonfile import MAX_FILE_BYTES
from retarus_connector.lint import engine
from retarus_connector.lint.model import FileKind, Package, Profile
from retarus_connector.lint.rules import files

GOOD_SWAGGER = json.dumps({"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}})


def package_on_disk(folder: Path, contents: dict[str, bytes]) -> Package:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    (source,) = engine.discover(folder)
    return engine.load_package(source, Profile.CERTIFIED)


def test_json_syntax_reports_line_and_column(tmp_path: Path) -> None:
    broken = b'{\n  "swagger": "2.0",\n  "info": {"title": "T"\n  "paths": {}\n}\n'
    problems = run_rule(
        files.json_syntax, package_on_disk(tmp_path, {"apiDefinition.swagger.json": broken})
    )
    (problem,) = problems
    assert problem.file == FileKind.SWAGGER
    assert (problem.line, problem.column) == (4, 3)
    assert "Expecting ',' delimiter" in problem.message


def test_json_syntax_calls_a_cut_off_file_truncated(tmp_path: Path) -> None:
    cut = GOOD_SWAGGER.encode()[:-7]
    (problem,) = run_rule(
        files.json_syntax, package_on_disk(tmp_path, {"apiDefinition.swagger.json": cut})
    )
    assert "ends before the JSON value does" in problem.message


def test_json_syntax_reports_nesting_too_deep_to_parse(tmp_path: Path) -> None:
    deep = b"[" * 200_000 + b"]" * 200_000
    (problem,) = run_rule(
        files.json_syntax, package_on_disk(tmp_path, {"apiProperties.json": deep})
    )
    assert "nested too deeply" in problem.message


def test_json_syntax_reports_a_number_too_long_to_convert(tmp_path: Path) -> None:
    long = b"1" * 10_000
    (problem,) = run_rule(
        files.json_syntax,
        package_on_disk(tmp_path, {"apiDefinition.swagger.json": b'{"a": ' + long + b"}"}),
    )
    assert "a number of 10000 digits" in problem.message
    assert (problem.line, problem.column) == (1, 7)


def test_json_syntax_reports_nan_and_infinity(tmp_path: Path) -> None:
    (problem,) = run_rule(
        files.json_syntax, package_on_disk(tmp_path, {"apiProperties.json": b'{"a": [NaN]}'})
    )
    assert "NaN is not a JSON value" in problem.message


def test_json_syntax_passes_valid_json(tmp_path: Path) -> None:
    package = package_on_disk(tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    assert run_rule(files.json_syntax, package) == []


def test_file_empty(tmp_path: Path) -> None:
    package = package_on_disk(
        tmp_path,
        {
            "apiDefinition.swagger.json": GOOD_SWAGGER.encode(),
            "readme.md": b"  \n",
            "icon.png": b"",
        },
    )
    assert sorted(p.file for p in run_rule(files.file_empty, package)) == [
        FileKind.ICON,
        FileKind.README,
    ]
    good = package_on_disk(
        tmp_path / "good",
        {"apiDefinition.swagger.json": GOOD_SWAGGER.encode(), "readme.md": b"# T"},
    )
    assert run_rule(files.file_empty, good) == []


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads all")
def test_file_unreadable_by_permissions(tmp_path: Path) -> None:
    package_on_disk(tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    (tmp_path / "apiDefinition.swagger.json").chmod(0)
    (source,) = engine.discover(tmp_path)
    package = engine.load_package(source, Profile.CERTIFIED)
    (problem,) = run_rule(files.file_unreadable, package)
    assert "cannot be read" in problem.message


def test_file_unreadable_when_the_system_refuses_even_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI runs as root, for whom chmod 000 changes nothing: the refusal is injected instead.
    package_on_disk(tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    locked = tmp_path / "apiDefinition.swagger.json"
    real_open = Path.open

    def refusing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    (source,) = engine.discover(tmp_path)
    package = engine.load_package(source, Profile.CERTIFIED)
    (problem,) = run_rule(files.file_unreadable, package)
    assert problem.message == "The file cannot be read: Permission denied."


def test_folder_unreadable_only_for_a_folder_that_could_not_be_listed(tmp_path: Path) -> None:
    unlisted = Package(tmp_path, "tree/locked", unlisted="Permission denied")
    (problem,) = run_rule(files.folder_unreadable, unlisted)
    assert "cannot be listed (Permission denied)" in problem.message
    assert run_rule(files.package_missing_swagger, unlisted) == []
    listed = package_on_disk(tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    assert run_rule(files.folder_unreadable, listed) == []


def test_file_unreadable_when_a_folder_has_a_file_name(tmp_path: Path) -> None:
    package_on_disk(tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    (tmp_path / "script.csx").mkdir()
    (source,) = engine.discover(tmp_path)
    assert FileKind.SCRIPT not in source.files  # a folder is not a package file
    package = engine.load_package(source, Profile.CERTIFIED)
    assert run_rule(files.file_unreadable, package) == []


def test_file_unreadable_for_a_dangling_link(tmp_path: Path) -> None:
    package_on_disk(tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    (tmp_path / "readme.md").symlink_to(tmp_path / "nowhere.md")
    (source,) = engine.discover(tmp_path)
    package = engine.load_package(source, Profile.CERTIFIED)
    (problem,) = run_rule(files.file_unreadable, package)
    assert problem.file == FileKind.README


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_file_unreadable_for_a_named_pipe_without_waiting(tmp_path: Path) -> None:
    package_on_disk(tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    os.mkfifo(tmp_path / "readme.md")
    (source,) = engine.discover(tmp_path)
    package = engine.load_package(source, Profile.CERTIFIED)
    (problem,) = run_rule(files.file_unreadable, package)
    assert "not a regular file" in problem.message


def test_file_too_large(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    package_on_disk(folder, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    with (folder / "apiProperties.json").open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: no real disk used
    (source,) = engine.discover(folder)
    package = engine.load_package(source, Profile.CERTIFIED)
    (problem,) = run_rule(files.file_too_large, package)
    assert problem.file == FileKind.PROPERTIES
    small = package_on_disk(tmp_path / "small", {"apiProperties.json": b"{}"})
    assert run_rule(files.file_too_large, small) == []


def test_file_binary(tmp_path: Path) -> None:
    utf16 = GOOD_SWAGGER.encode("utf-16")
    package = package_on_disk(tmp_path, {"apiDefinition.swagger.json": utf16})
    (problem,) = run_rule(files.file_binary, package)
    assert "NUL" in problem.message
    good = package_on_disk(tmp_path / "g", {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    assert run_rule(files.file_binary, good) == []


def test_file_encoding_points_at_the_bad_byte_and_goes_on(tmp_path: Path) -> None:
    text = GOOD_SWAGGER.replace('"T"', '"Caf\\u00e9"').encode()
    bad = text.replace(b"Caf\\u00e9", b"Caf\xe9")
    package = package_on_disk(tmp_path, {"apiDefinition.swagger.json": b"\n" + bad})
    (problem,) = run_rule(files.file_encoding, package)
    assert problem.line == 2
    assert "0xe9" in problem.message
    assert package.swagger["info"]["title"] == "Caf\ufffd"  # still parsed, so rules still run
    good = package_on_disk(tmp_path / "g", {"apiDefinition.swagger.json": text})
    assert run_rule(files.file_encoding, good) == []


def test_file_bom(tmp_path: Path) -> None:
    package = package_on_disk(
        tmp_path, {"apiDefinition.swagger.json": b"\xef\xbb\xbf" + GOOD_SWAGGER.encode()}
    )
    (problem,) = run_rule(files.file_bom, package)
    assert (problem.line, problem.column) == (1, 1)
    assert package.swagger is not None  # parsed all the same
    good = package_on_disk(tmp_path / "g", {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    assert run_rule(files.file_bom, good) == []


def test_json_duplicate_key_points_at_the_object_member(tmp_path: Path) -> None:
    text = b'{"swagger": "2.0", "info": {"title": "A", "version": "1", "title": "B"}, "paths": {}}'
    package = package_on_disk(tmp_path, {"apiDefinition.swagger.json": text})
    (problem,) = run_rule(files.json_duplicate_key, package)
    assert problem.pointer == "/info/title"
    assert "'title'" in problem.message
    assert package.swagger["info"]["title"] == "B"
    good = package_on_disk(tmp_path / "g", {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    assert run_rule(files.json_duplicate_key, good) == []


def test_json_root_object(tmp_path: Path) -> None:
    package = package_on_disk(
        tmp_path, {"apiDefinition.swagger.json": b"[1, 2]", "apiProperties.json": b"null"}
    )
    messages = {p.file: p.message for p in run_rule(files.json_root_object, package)}
    assert "not an array" in messages[FileKind.SWAGGER]
    assert "not null" in messages[FileKind.PROPERTIES]
    assert package.swagger is None  # rules that need a swagger object are skipped
    good = package_on_disk(tmp_path / "g", {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    assert run_rule(files.json_root_object, good) == []


def test_properties_non_ascii_finds_escaped_and_literal_characters() -> None:
    package = make_package(
        properties={"properties": {"publisher": "Jørgen", "stackOwner": "Contoso", "caf\u00e9": 1}}
    )
    problems = run_rule(files.properties_non_ascii, package)
    assert {p.pointer for p in problems} == {"/properties/publisher", "/properties/caf\u00e9"}
    assert all(p.file == FileKind.PROPERTIES for p in problems)
    assert "U+00F8" in next(p.message for p in problems if p.pointer.endswith("publisher"))
    ascii_only = make_package(properties={"properties": {"publisher": "Jorgen"}})
    assert run_rule(files.properties_non_ascii, ascii_only) == []


@pytest.mark.parametrize(
    ("swagger", "place", "fragment"),
    [
        ('{"info": {"title": "Caf\u00e9"}}', (1, 24), "1 non-ASCII character written"),
        # the count covers the file, the place is the first character
        ('{\n  "a": "x\u2019y",\n  "b": "\u044f"\n}', (2, 10), "2 non-ASCII characters"),
    ],
)
def test_swagger_non_ascii_reports_the_first_literal_character(
    tmp_path: Path, swagger: str, place: tuple[int, int], fragment: str
) -> None:
    package = package_on_disk(tmp_path, {"apiDefinition.swagger.json": swagger.encode()})
    (problem,) = run_rule(files.swagger_non_ascii, package)
    assert problem.file == FileKind.SWAGGER
    assert (problem.line, problem.column) == place
    assert fragment in problem.message


@pytest.mark.parametrize(
    "swagger",
    [
        b'{"info": {"title": "Caf\\u00e9"}}',  # escaped: the same text on every system
        b'\xef\xbb\xbf{"info": {"title": "Cafe"}}',  # a BOM is file-bom's finding
        b'{"info": {"title": "Caf\xe9"}}',  # invalid UTF-8 is file-encoding's finding
    ],
)
def test_swagger_non_ascii_passes_escapes_and_leaves_other_findings(
    tmp_path: Path, swagger: bytes
) -> None:
    package = package_on_disk(tmp_path, {"apiDefinition.swagger.json": swagger})
    assert run_rule(files.swagger_non_ascii, package) == []


def test_package_missing_swagger(tmp_path: Path) -> None:
    package = package_on_disk(tmp_path, {"apiProperties.json": b'{"properties": {}}'})
    (problem,) = run_rule(files.package_missing_swagger, package)
    assert problem.file == FileKind.SWAGGER
    good = package_on_disk(tmp_path / "g", {"apiDefinition.swagger.json": GOOD_SWAGGER.encode()})
    assert run_rule(files.package_missing_swagger, good) == []
    # a single apiProperties file given on its own is not a package that lost its swagger
    (single,) = engine.discover(tmp_path / "apiProperties.json")
    assert (
        run_rule(files.package_missing_swagger, engine.load_package(single, Profile.CERTIFIED))
        == []
    )


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in files.RULES} == {
        "json-syntax": "error",
        "file-empty": "error",
        "file-unreadable": "error",
        "folder-unreadable": "error",
        "file-too-large": "error",
        "file-binary": "error",
        "file-encoding": "error",
        "file-bom": "warning",
        "json-duplicate-key": "warning",
        "json-root-object": "error",
        "properties-non-ascii": "warning",
        "swagger-non-ascii": "warning",
        "file-line-endings": "info",
        "package-missing-swagger": "error",
    }


@pytest.mark.parametrize(
    ("raw", "line"),
    [(b"a\r\nb\nc\r\n", 2), (b"a\nb\nc\r\nd\n", 3), (b"a\nb\r\n", 2)],
)
def test_file_line_endings_reports_a_mix_at_the_first_odd_line(
    tmp_path: Path, raw: bytes, line: int
) -> None:
    package = package_on_disk(
        tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode(), "readme.md": raw}
    )
    (problem,) = run_rule(files.file_line_endings, package)
    assert (problem.file, problem.line) == (FileKind.README, line)


@pytest.mark.parametrize("raw", [b"a\r\nb\r\n", b"a\nb\n", b"a", b"a\r\nb"])
def test_file_line_endings_accepts_one_kind_throughout(tmp_path: Path, raw: bytes) -> None:
    package = package_on_disk(
        tmp_path, {"apiDefinition.swagger.json": GOOD_SWAGGER.encode(), "readme.md": raw}
    )
    assert run_rule(files.file_line_endings, package) == []
