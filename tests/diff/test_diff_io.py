"""Reading the versions to compare: swagger files, package folders, the apiProperties.json next
to a swagger, bad files, and git revisions."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from retarus_connector.diff.io import (
    DiffInputError,
    load_file,
    load_from_git,
    load_git_pair,
    load_version,
    load_version_from_git,
)

SWAGGER = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}
PROPERTIES = {"properties": {"connectionParameters": {}, "iconBrandColor": "#123456"}}


def git(folder: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), *arguments],
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
        },
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose first commit holds a swagger with one operation, and whose
    working file has none."""
    root = tmp_path / "repo"
    (root / "connector").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    committed = dict(SWAGGER, paths={"/a": {"get": {"operationId": "GetA", "responses": {}}}})
    swagger = root / "connector" / "apiDefinition.swagger.json"
    swagger.write_text(json.dumps(committed), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    swagger.write_text(json.dumps(SWAGGER), encoding="utf-8")
    return root


def test_loads_a_swagger_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(SWAGGER), encoding="utf-8")
    loaded = load_file(path)
    assert loaded.data == SWAGGER
    assert loaded.label == str(path)


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(SWAGGER).encode())
    assert load_file(path).data == SWAGGER


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{\n  "swagger": "2.0",\n  "paths": {,}\n}', "a.json is not valid JSON: "),
        (b'{"swagger": "2.0"', "a.json is not valid JSON: the text ends before"),
        (b"", "a.json is empty"),
        (b'{\x00"', "a.json holds NUL bytes"),
        (b"[1, 2]", "a.json is not a swagger: the document is not a JSON object"),
        (b"null", "a.json is not a swagger: the document is not a JSON object"),
        (b'{"openapi": "3.0.1"}', "a.json is not a Swagger 2.0 definition (openapi 3.0.1)"),
        (b"{}", "a.json is not a Swagger 2.0 definition"),
        (b"[" * 100_000, "a.json is nested too deeply"),
        (b'{"swagger": "2.0", "x": NaN}', "a.json is not valid JSON: NaN is not a JSON value"),
    ],
)
def test_bad_content_is_an_error_naming_the_file(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(content)
    with pytest.raises(DiffInputError) as caught:
        load_file(path, "a.json")
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("content", "line_and_column"),
    [
        (b'{\n  "swagger": "2.0",\n  "paths": {,}\n}', "line 3, column 13"),
        (b'{\n "a": 1', "line 2, column 8"),
    ],
    ids=["syntax error", "truncated"],
)
def test_invalid_json_names_line_and_column(
    tmp_path: Path, content: bytes, line_and_column: str
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(content)
    with pytest.raises(DiffInputError) as caught:
        load_file(path, "a.json")
    assert str(caught.value).startswith("a.json is not valid JSON")
    assert line_and_column in str(caught.value)


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{\n"swagger": "2.0",\n"x": "soft\xadhyphen"}')
    loaded = load_file(path, "a.json")
    assert loaded.data["x"] == "soft\ufffdhyphen"
    (warning,) = loaded.warnings
    assert warning.startswith("a.json is not valid UTF-8")
    assert "line 3, column 11" in warning
    assert warning.endswith("the invalid bytes were replaced")


def test_duplicate_keys_are_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"swagger": "2.0", "paths": {"/a": {}, "/a": {"get": {}}}}')
    loaded = load_file(path, "a.json")
    assert loaded.data["paths"] == {"/a": {"get": {}}}
    assert loaded.warnings == (
        "a.json has the key '/a' twice in the object at '/paths'; the last value counts",
    )


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DiffInputError, match=r"missing\.json does not exist$"):
        load_file(tmp_path / "missing.json")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(DiffInputError, match="is a folder"):
        load_file(tmp_path)


def test_loads_the_committed_version(repository: Path) -> None:
    swagger = repository / "connector" / "apiDefinition.swagger.json"
    loaded = load_from_git("HEAD", swagger, "connector/apiDefinition.swagger.json")
    assert "/a" in loaded.data["paths"]
    assert loaded.label == "HEAD:connector/apiDefinition.swagger.json"
    assert load_file(swagger).data["paths"] == {}


def test_unknown_revision(repository: Path) -> None:
    swagger = repository / "connector" / "apiDefinition.swagger.json"
    with pytest.raises(DiffInputError, match="no-such-branch is not a known git revision"):
        load_from_git("no-such-branch", swagger)


def test_option_like_revision_is_refused(repository: Path) -> None:
    swagger = repository / "connector" / "apiDefinition.swagger.json"
    with pytest.raises(DiffInputError, match="not a git revision"):
        load_from_git("--output=x", swagger)


def test_file_absent_at_revision(repository: Path) -> None:
    other = repository / "connector" / "other.json"
    with pytest.raises(
        DiffInputError, match=r"HEAD:other\.json does not exist: the file is not in revision HEAD"
    ):
        load_from_git("HEAD", other)


def test_a_path_below_a_file_names_the_file_as_no_folder(repository: Path) -> None:
    swagger = repository / "connector" / "apiDefinition.swagger.json"
    with pytest.raises(DiffInputError) as caught:
        load_from_git("HEAD", swagger / "x")
    assert str(caught.value) == f"{swagger} is not a folder, so x cannot be looked up in git"


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(DiffInputError, match="not inside a git repository"):
        load_from_git("HEAD", tmp_path / "plain" / "apiDefinition.swagger.json")


def test_invalid_json_at_revision_names_revision_and_line(repository: Path) -> None:
    swagger = repository / "connector" / "apiDefinition.swagger.json"
    swagger.write_text('{\n "swagger": "2.0",\n oops\n}', encoding="utf-8")
    git(repository, "commit", "-q", "-am", "broken")
    with pytest.raises(
        DiffInputError,
        match=r"HEAD:apiDefinition\.swagger\.json is not valid JSON: .*line 3, column 2",
    ):
        load_from_git("HEAD", swagger)


# package folders and apiProperties.json -------------------------------------------------------


def package(folder: Path, properties: object = PROPERTIES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(SWAGGER), encoding="utf-8")
    if properties is not None:
        (folder / "apiProperties.json").write_text(json.dumps(properties), encoding="utf-8")
    return folder


def test_a_folder_stands_for_its_package(tmp_path: Path) -> None:
    folder = package(tmp_path / "pkg")
    version = load_version(folder)
    assert version.swagger.label == str(folder / "apiDefinition.swagger.json")
    assert version.swagger.data == SWAGGER
    assert version.properties is not None
    assert version.properties.label == str(folder / "apiProperties.json")
    assert version.properties.data == PROPERTIES


def test_a_swagger_file_takes_the_properties_next_to_it(tmp_path: Path) -> None:
    folder = package(tmp_path / "pkg")
    version = load_version(folder / "apiDefinition.swagger.json", "pkg/apiDefinition.swagger.json")
    assert version.properties is not None
    assert version.properties.label == "pkg/apiProperties.json"


def test_no_properties_next_to_the_swagger(tmp_path: Path) -> None:
    folder = package(tmp_path / "pkg", properties=None)
    assert load_version(folder).properties is None


def test_properties_not_asked_for_are_not_read(tmp_path: Path) -> None:
    folder = package(tmp_path / "pkg", properties=None)
    (folder / "apiProperties.json").write_text("not json", encoding="utf-8")
    assert load_version(folder, with_properties=False).properties is None


def test_a_folder_without_a_swagger_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DiffInputError, match=r"apiDefinition\.swagger\.json does not exist$"):
        load_version(tmp_path)


def _load_within(seconds: float, path: Path) -> object:
    """load_version(path)'s result or error, or "hung" when it has not returned in time."""
    outcome: list[object] = ["hung"]

    def load() -> None:
        try:
            outcome[0] = load_version(path)
        except DiffInputError as error:
            outcome[0] = error

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(seconds)
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_folder_whose_swagger_is_a_named_pipe_is_an_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "apiDefinition.swagger.json")
    outcome = _load_within(10, tmp_path)
    assert isinstance(outcome, DiffInputError)
    assert str(outcome) == f"{tmp_path / 'apiDefinition.swagger.json'} is not a regular file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_given_as_the_swagger_is_read(tmp_path: Path) -> None:
    # what `diff <(git show REV:file) file` passes
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    def write() -> None:
        with pipe.open("wb") as stream:
            stream.write(json.dumps(SWAGGER).encode())

    threading.Thread(target=write, daemon=True).start()
    outcome = _load_within(10, pipe)
    assert not isinstance(outcome, (str, DiffInputError))
    assert outcome.swagger.data == SWAGGER  # type: ignore[attr-defined]


def test_a_file_larger_than_the_linter_reads_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("retarus_connector.diff.io.MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "big.json"
    path.write_bytes(json.dumps(dict(SWAGGER, x="a" * 1024 * 1024)).encode())
    with pytest.raises(DiffInputError, match=r"big\.json is larger than 1 MiB"):
        load_file(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"properties": {,}}', "is not valid JSON: "),
        (b"", "is empty"),
        (b"[1]", "is not an apiProperties file: the document is not a JSON object"),
        (b" null ", "is not an apiProperties file: the document is not a JSON object"),
        (b'{"connectionParameters": {}}', "is not an apiProperties file (no 'properties' object)"),
        (b'{"properties": []}', "is not an apiProperties file (no 'properties' object)"),
    ],
)
def test_bad_properties_are_an_error_naming_the_file(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    folder = package(tmp_path / "pkg", properties=None)
    (folder / "apiProperties.json").write_bytes(content)
    with pytest.raises(DiffInputError) as caught:
        load_version(folder)
    assert str(caught.value).startswith(f"{folder / 'apiProperties.json'} {expected}")


def test_properties_warnings_are_the_versions_warnings(tmp_path: Path) -> None:
    folder = package(tmp_path / "pkg", properties=None)
    (folder / "apiProperties.json").write_bytes(b'{"properties": {}, "properties": {"a": 1}}')
    version = load_version(folder)
    assert version.properties is not None
    assert version.properties.data == {"properties": {"a": 1}}
    (warning,) = version.warnings
    assert warning.startswith(f"{folder / 'apiProperties.json'} has the key 'properties' twice")


def test_loads_the_committed_properties(repository: Path) -> None:
    connector = repository / "connector"
    (connector / "apiProperties.json").write_text(json.dumps(PROPERTIES), encoding="utf-8")
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "properties")
    (connector / "apiProperties.json").write_text("{}", encoding="utf-8")
    version = load_version_from_git(
        "HEAD", connector / "apiDefinition.swagger.json", "connector/apiDefinition.swagger.json"
    )
    assert version.swagger.label == "HEAD:connector/apiDefinition.swagger.json"
    assert version.properties is not None
    assert version.properties.label == "HEAD:connector/apiProperties.json"
    assert version.properties.data == PROPERTIES


def test_properties_absent_at_revision(repository: Path) -> None:
    connector = repository / "connector"
    (connector / "apiProperties.json").write_text(json.dumps(PROPERTIES), encoding="utf-8")
    version = load_version_from_git("HEAD", connector / "apiDefinition.swagger.json")
    assert "/a" in version.swagger.data["paths"]
    assert version.properties is None


def test_broken_committed_properties_name_the_revision(repository: Path) -> None:
    connector = repository / "connector"
    (connector / "apiProperties.json").write_text('{\n "properties": ', encoding="utf-8")
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "broken properties")
    with pytest.raises(DiffInputError, match=r"^HEAD:apiProperties\.json is not valid JSON"):
        load_version_from_git("HEAD", connector / "apiDefinition.swagger.json")


def test_a_folder_at_revision_is_not_a_swagger(repository: Path) -> None:
    (repository / "connector" / "nested").mkdir()
    (repository / "connector" / "nested" / "x.json").write_text("{}", encoding="utf-8")
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "nested")
    with pytest.raises(DiffInputError, match=r"HEAD:nested is a folder in revision HEAD"):
        load_from_git("HEAD", repository / "connector" / "nested")


def test_a_git_pair_takes_a_package_folder_relative_to_the_repository(repository: Path) -> None:
    old, new = load_git_pair("HEAD", repository, Path("connector"), None)
    assert old.swagger.label == "HEAD:connector/apiDefinition.swagger.json"
    assert "/a" in old.swagger.data["paths"]
    assert new.swagger.label == "connector/apiDefinition.swagger.json"
    assert new.swagger.data["paths"] == {}


def test_a_git_pair_compares_with_the_new_file_given(repository: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "new.swagger.json"
    elsewhere.write_text(json.dumps(dict(SWAGGER, host="example.com")), encoding="utf-8")
    old, new = load_git_pair(
        "HEAD", repository, repository / "connector" / "apiDefinition.swagger.json", elsewhere
    )
    assert "/a" in old.swagger.data["paths"]
    assert (new.swagger.label, new.swagger.data["host"]) == (str(elsewhere), "example.com")


# the custom code, script.csx ------------------------------------------------------------------

CODE = b"public class Script : ScriptBase { }\r\n"


def test_a_package_reads_its_script_as_bytes(tmp_path: Path) -> None:
    folder = package(tmp_path / "pkg")
    (folder / "script.csx").write_bytes(CODE)
    version = load_version(folder)
    assert version.script is not None
    assert version.script.label == str(folder / "script.csx")
    assert version.script_bytes == CODE
    labelled = load_version(folder / "apiDefinition.swagger.json", "pkg/apiDefinition.swagger.json")
    assert labelled.script is not None
    assert labelled.script.label == "pkg/script.csx"


@pytest.mark.parametrize("properties", [None, PROPERTIES])
def test_a_script_is_read_only_with_the_properties(tmp_path: Path, properties: object) -> None:
    folder = package(tmp_path / "pkg", properties=properties)
    (folder / "script.csx").write_bytes(CODE)
    if properties is None:
        assert load_version(folder).script_bytes is None
    assert load_version(folder, with_properties=False).script_bytes is None


def test_a_package_without_a_script(tmp_path: Path) -> None:
    version = load_version(package(tmp_path / "pkg"))
    assert (version.script, version.script_bytes) == (None, None)


def test_loads_the_committed_script(repository: Path) -> None:
    connector = repository / "connector"
    (connector / "apiProperties.json").write_text(json.dumps(PROPERTIES), encoding="utf-8")
    (connector / "script.csx").write_bytes(CODE)
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "custom code")
    (connector / "script.csx").unlink()
    old, new = load_git_pair("HEAD", repository, Path("connector"), None)
    assert old.script is not None
    assert (old.script.label, old.script_bytes) == ("HEAD:connector/script.csx", CODE)
    assert new.properties is not None
    assert new.script is None


# the icon, icon.png -------------------------------------------------------------------------

# bytes a text reading would change: not UTF-8, a NUL, and a CRLF line ending
ICON = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"


def test_a_package_reads_its_icon_as_bytes(tmp_path: Path) -> None:
    folder = package(tmp_path / "pkg")
    (folder / "icon.png").write_bytes(ICON)
    version = load_version(folder)
    assert version.icon is not None
    assert (version.icon.label, version.icon_bytes) == (str(folder / "icon.png"), ICON)
    labelled = load_version(folder / "apiDefinition.swagger.json", "pkg/apiDefinition.swagger.json")
    assert labelled.icon is not None
    assert labelled.icon.label == "pkg/icon.png"
    assert load_version(folder, with_properties=False).icon_bytes is None
    assert load_version(package(tmp_path / "bare")).icon_bytes is None


def test_loads_the_committed_icon_byte_for_byte(repository: Path) -> None:
    connector = repository / "connector"
    (connector / "apiProperties.json").write_text(json.dumps(PROPERTIES), encoding="utf-8")
    (connector / "icon.png").write_bytes(ICON)
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "icon")
    old, new = load_git_pair("HEAD", repository, Path("connector"), None)
    assert old.icon is not None
    assert (old.icon.label, old.icon_bytes) == ("HEAD:connector/icon.png", ICON)
    assert new.icon_bytes == ICON
    (connector / "icon.png").unlink()
    old, new = load_git_pair("HEAD", repository, Path("connector"), None)
    assert (old.icon_bytes, new.icon) == (ICON, None)


@pytest.mark.parametrize("name", ["apiDefinition.swagger.json", "apiProperties.json", "icon.png"])
def test_a_committed_file_over_the_limit_is_refused_as_a_file_is(
    repository: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    folder = repository / "connector"
    big = json.dumps(dict(SWAGGER, x="a" * 1024 * 1024)).encode()
    (folder / name).write_bytes(big)
    if name != "apiDefinition.swagger.json":
        (folder / "apiDefinition.swagger.json").write_text(json.dumps(SWAGGER), "utf-8")
    if name == "icon.png":  # siblings are read only beside an apiProperties.json
        (folder / "apiProperties.json").write_text(json.dumps(PROPERTIES), "utf-8")
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "big")
    monkeypatch.setattr("retarus_connector.diff.io.MAX_FILE_BYTES", 1024 * 1024)
    swagger = "connector/apiDefinition.swagger.json"
    with pytest.raises(DiffInputError) as from_git:
        load_version_from_git("HEAD", repository / swagger, swagger)
    with pytest.raises(DiffInputError) as from_disk:
        load_version(repository / swagger, swagger)
    message = f"connector/{name} is larger than 1 MiB, more than a connector file"
    assert str(from_git.value) == f"HEAD:{message}"
    assert str(from_disk.value) == message


def test_a_committed_file_at_the_limit_is_read(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = repository / "connector"
    data = json.dumps(SWAGGER).encode()
    monkeypatch.setattr("retarus_connector.diff.io.MAX_FILE_BYTES", len(data))
    (folder / "apiDefinition.swagger.json").write_bytes(data)
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "exact")
    loaded = load_version_from_git("HEAD", folder / "apiDefinition.swagger.json")
    assert loaded.swagger.data == SWAGGER
