"""`retarus-connector diff`: exit codes, both formats, --all, --git, package folders with their
apiProperties.json, and bad input."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from retarus_connector.cli import main
from sarif_schema import sarif_errors

OLD: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Contoso", "version": "1.0"},
    "paths": {
        "/jobs": {
            "post": {
                "operationId": "SendSms",
                "parameters": [{"name": "X-Trace", "in": "header", "type": "string"}],
                "responses": {"201": {"description": "Accepted."}},
            },
            "get": {
                "operationId": "ListJobs",
                "parameters": [{"name": "limit", "in": "query", "type": "integer"}],
                "responses": {"200": {"description": "Jobs."}},
            },
        }
    },
}


def write(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, indent=4), encoding="utf-8")
    return path


def without_list_jobs() -> dict[str, Any]:
    new = copy.deepcopy(OLD)
    del new["paths"]["/jobs"]["get"]
    return new


def with_optional_parameter() -> dict[str, Any]:
    new = copy.deepcopy(OLD)
    new["paths"]["/jobs"]["get"]["parameters"].append({"name": "offset", "in": "query"})
    return new


def run(*arguments: str | Path) -> Result:
    return CliRunner().invoke(main, ["diff", *map(str, arguments)])


def test_identical_files_exit_0(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", OLD)
    result = run(old, old)
    assert result.exit_code == 0, result.output
    assert "No breaking changes" in result.stdout
    assert "0 non-breaking changes" in result.stdout


def test_breaking_change_exits_1_and_names_the_operation(tmp_path: Path) -> None:
    result = run(write(tmp_path, "old.json", OLD), write(tmp_path, "new.json", without_list_jobs()))
    assert result.exit_code == 1, result.output
    first, summary = result.stdout.splitlines()
    assert first.startswith("breaking: ListJobs: OperationDeleted: The operation has been deleted")
    assert first.endswith("(" + str(tmp_path / "old.json") + "#/paths/~1jobs/get)")
    assert summary.startswith("1 breaking change and 0 non-breaking changes")


def test_non_breaking_changes_are_listed_only_with_all(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", OLD)
    new = write(tmp_path, "new.json", with_optional_parameter())
    quiet = run(old, new)
    assert quiet.exit_code == 0
    assert quiet.stdout.splitlines() == [
        f"No breaking changes from {old} to {new}; 1 non-breaking change (--all lists them)."
    ]
    listed = run(old, new, "--all")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0].startswith(
        "non-breaking: ListJobs: OptionalParameterAdded: The optional parameter 'offset' (query)"
    )
    assert "--all lists them" not in listed.stdout


def test_json_lists_every_change_with_its_severity(tmp_path: Path) -> None:
    new_document = without_list_jobs()
    new_document["paths"]["/jobs"]["post"]["parameters"].append({"name": "q", "in": "query"})
    old, new = write(tmp_path, "old.json", OLD), write(tmp_path, "new.json", new_document)
    result = run(old, new, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["old"] == str(old)
    assert report["new"] == str(new)
    # no apiProperties.json next to either swagger
    assert report["oldProperties"] is None
    assert report["newProperties"] is None
    assert report["summary"] == {"breaking": 1, "nonBreaking": 1}
    assert report["changes"] == [
        {
            "kind": "OptionalParameterAdded",
            "severity": "non-breaking",
            "breaking": False,
            "operationId": "SendSms",
            "side": "new",
            "document": "swagger",
            "pointer": "/paths/~1jobs/post/parameters/1",
            "message": "The optional parameter 'q' (query) has been added.",
        },
        {
            "kind": "OperationDeleted",
            "severity": "breaking",
            "breaking": True,
            "operationId": "ListJobs",
            "side": "old",
            "document": "swagger",
            "pointer": "/paths/~1jobs/get",
            "message": report["changes"][1]["message"],
        },
    ]


def test_json_without_breaking_changes_exits_0(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", OLD)
    result = run(old, write(tmp_path, "new.json", with_optional_parameter()), "--format", "json")
    assert result.exit_code == 0
    assert [c["breaking"] for c in json.loads(result.stdout)["changes"]] == [False]


def test_connector_changes_name_no_operation(tmp_path: Path) -> None:
    """A changed authentication and host belong to no operation: text leaves the operation out,
    json gives null, and they come before the operations' changes."""
    old_document = copy.deepcopy(OLD)
    old_document.update(
        host="sms.contoso.example",
        securityDefinitions={"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    )
    new_document = copy.deepcopy(old_document)
    new_document.update(host="sms.fabrikam.example", securityDefinitions={"key": {"type": "basic"}})
    new_document["paths"]["/jobs"]["get"]["parameters"].append({"name": "q", "in": "query"})
    old, new = write(tmp_path, "old.json", old_document), write(tmp_path, "new.json", new_document)

    text = run(old, new, "--all")
    assert text.exit_code == 1, text.output
    lines = text.stdout.splitlines()
    assert lines[0].startswith("non-breaking: HostChanged: The host has changed:")
    assert lines[0].endswith(f"({new}#/host)")
    assert lines[1].startswith("breaking: SecurityTypeChanged: The authentication type of 'key'")
    assert lines[1].endswith(f"({new}#/securityDefinitions/key/type)")
    assert lines[2].startswith("non-breaking: ListJobs: OptionalParameterAdded:")
    assert lines[3].startswith("1 breaking change and 2 non-breaking changes")

    report = json.loads(run(old, new, "--format", "json").stdout)
    assert [(c["kind"], c["operationId"]) for c in report["changes"]] == [
        ("HostChanged", None),
        ("SecurityTypeChanged", None),
        ("OptionalParameterAdded", "ListJobs"),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("old.json",), "Give OLD and NEW"),
        (("old.json", "old.json", "old.json"), "Give OLD and NEW"),
        (("old.json", "old.json", "--path", "x.json"), "--path applies only with --git"),
        (("--git", "HEAD", "old.json", "old.json"), "at most one file"),
        (("old.json", "old.json", "--format", "xml"), "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: tuple[str, ...], message: str
) -> None:
    write(tmp_path, "old.json", OLD)
    monkeypatch.chdir(tmp_path)
    result = run(*arguments)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    result = run(write(tmp_path, "old.json", OLD), tmp_path / "gone.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(f"\nError: {tmp_path / 'gone.json'} does not exist\n")


def test_invalid_json_exits_2_with_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n    "swagger": "2.0",\n    "paths": {\n        ]\n}\n', encoding="utf-8")
    result = run(write(tmp_path, "old.json", OLD), broken)
    assert result.exit_code == 2
    message = result.stderr.split("\nError: ", 1)[1]
    assert message.startswith(f"{broken} is not valid JSON: ")
    assert "line 4, column 9" in message
    assert message.count("\n") == 1
    assert "Traceback" not in result.output


def test_invalid_utf8_is_a_warning_not_an_error(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", OLD)
    new = tmp_path / "new.json"
    new.write_bytes(old.read_bytes().replace(b'"1.0"', b'"1.0\xff"'))
    result = run(old, new)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"warning: {new} is not valid UTF-8")
    assert "line 5, column 24" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "No breaking changes" in result.stdout


# --git -------------------------------------------------------------------------------------


def git(folder: Path, *arguments: str) -> None:
    identity = {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(
        ["git", "-C", str(folder), *arguments],
        check=True,
        capture_output=True,
        env={**os.environ, **identity},
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout of a connector project (what `repository_root()` recognises) whose committed
    swagger has ListJobs and whose working swagger has not; the working directory is a
    subfolder, as when the command runs from anywhere inside the checkout."""
    root = tmp_path / "project"
    (root / "tools" / "retarus_connector").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    write(root, "apiDefinition.swagger.json", OLD)
    (root / "variants").mkdir()
    write(root / "variants", "dev.swagger.json", OLD)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    write(root, "apiDefinition.swagger.json", without_list_jobs())
    monkeypatch.chdir(root / "tools")
    return root


def test_git_compares_the_committed_file_with_the_working_file(project: Path) -> None:
    result = run("--git", "HEAD")
    assert result.exit_code == 1, result.output
    assert "breaking: ListJobs: OperationDeleted" in result.stdout
    assert "(HEAD:apiDefinition.swagger.json#/paths/~1jobs/get)" in result.stdout


def test_git_with_new_file(project: Path, tmp_path: Path) -> None:
    new = write(tmp_path, "new.json", OLD)
    result = run("--git", "HEAD", new, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["old"] == "HEAD:apiDefinition.swagger.json"
    assert report["new"] == str(new)
    assert report["changes"] == []


def test_git_with_path(project: Path) -> None:
    result = run("--git", "HEAD", "--path", "variants/dev.swagger.json")
    assert result.exit_code == 0, result.output
    assert "from HEAD:variants/dev.swagger.json to variants/dev.swagger.json" in result.stdout


def test_git_unknown_revision_exits_2(project: Path) -> None:
    result = run("--git", "no-such-branch")
    assert result.exit_code == 2
    assert result.stderr.endswith("\nError: no-such-branch is not a known git revision\n")


def test_git_file_absent_at_revision_exits_2(project: Path) -> None:
    git(project, "commit", "-q", "--allow-empty", "-m", "second")
    result = run("--git", "HEAD", "--path", "later.json")
    assert result.exit_code == 2
    assert "HEAD:later.json does not exist: the file is not in revision HEAD" in result.stderr


def test_the_command_imports_no_heavy_library() -> None:
    """`diff` runs in CI on every pull request; its start-up stays light."""
    probe = (
        "import sys, retarus_connector.cli.diff; "
        "print(sorted({'jsonschema', 'requests', 'PIL', 'yaml'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# package folders and apiProperties.json ----------------------------------------------------

PROPERTIES: dict[str, Any] = {
    "properties": {
        "connectionParameters": {
            "api_key": {
                "type": "securestring",
                "uiDefinition": {"displayName": "API key", "constraints": {"required": "true"}},
            }
        },
        "capabilities": ["actions"],
        "iconBrandColor": "#123456",
    }
}


def package(folder: Path, swagger: Any = OLD, properties: Any = PROPERTIES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write(folder, "apiDefinition.swagger.json", swagger)
    if properties is not None:
        write(folder, "apiProperties.json", properties)
    return folder


def with_required_parameter() -> dict[str, Any]:
    new = copy.deepcopy(PROPERTIES)
    new["properties"]["connectionParameters"]["account"] = {"type": "string"}
    return new


def with_capability() -> dict[str, Any]:
    new = copy.deepcopy(PROPERTIES)
    new["properties"]["capabilities"].append("triggers")
    return new


def test_folders_compare_their_properties(tmp_path: Path) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new", properties=with_required_parameter())
    result = run(old, new)
    assert result.exit_code == 1, result.output
    first, summary = result.stdout.splitlines()
    assert first.startswith(
        "breaking: RequiredConnectionParameterAdded: The connection parameter 'account' has"
        " been added as required without a defaultValue"
    )
    assert first.endswith(
        f"({new / 'apiProperties.json'}#/properties/connectionParameters/account)"
    )
    assert summary == (
        f"1 breaking change and 0 non-breaking changes from {old / 'apiDefinition.swagger.json'}"
        f" to {new / 'apiDefinition.swagger.json'} and from {old / 'apiProperties.json'} to"
        f" {new / 'apiProperties.json'}."
    )
    assert result.stderr == ""


def test_non_breaking_properties_changes_are_listed_with_all(tmp_path: Path) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new", properties=with_capability())
    quiet = run(old, new)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout.startswith("No breaking changes from ")
    assert quiet.stdout.endswith("; 1 non-breaking change (--all lists them).\n")
    listed = run(old, new, "--all")
    assert listed.stdout.splitlines()[0] == (
        "non-breaking: CapabilitiesChanged: The capabilities have changed: added triggers."
        f" ({new / 'apiProperties.json'}#/properties/capabilities)"
    )


def test_json_names_the_properties_files_and_each_changes_document(tmp_path: Path) -> None:
    new_swagger = with_optional_parameter()
    old = package(tmp_path / "old")
    new = package(tmp_path / "new", new_swagger, with_required_parameter())
    result = run(old, new, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["oldProperties"] == str(old / "apiProperties.json")
    assert report["newProperties"] == str(new / "apiProperties.json")
    assert [
        (c["kind"], c["document"], c["operationId"], c["breaking"]) for c in report["changes"]
    ] == [
        ("RequiredConnectionParameterAdded", "apiProperties", None, True),
        ("OptionalParameterAdded", "swagger", "ListJobs", False),
    ]


def test_a_swagger_file_and_a_folder_mix(tmp_path: Path) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new", properties=with_required_parameter())
    result = run(old / "apiDefinition.swagger.json", new)
    assert result.exit_code == 1, result.output
    assert "RequiredConnectionParameterAdded" in result.stdout


def test_properties_on_one_side_only_are_not_compared(tmp_path: Path) -> None:
    old = package(tmp_path / "old", properties=None)
    new = package(tmp_path / "new", properties=with_required_parameter())
    result = run(old, new)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: apiProperties.json not compared: {new / 'apiProperties.json'} has no"
        f" counterpart next to {old / 'apiDefinition.swagger.json'}\n"
    )
    assert " and from " not in result.stdout


def test_no_properties_compares_the_swaggers_alone(tmp_path: Path) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new", properties="not an object")
    result = run(old, new, "--no-properties", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert (report["oldProperties"], report["newProperties"], report["changes"]) == (None, None, [])


def test_bad_properties_exit_2_naming_the_file(tmp_path: Path) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new", properties=None)
    (new / "apiProperties.json").write_text('{"properties": ', encoding="utf-8")
    result = run(old, new)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"\nError: {new / 'apiProperties.json'} is not valid JSON" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "what"),
    [("apiDefinition.swagger.json", "a swagger"), ("apiProperties.json", "an apiProperties file")],
)
def test_a_null_document_exits_2_naming_it(tmp_path: Path, name: str, what: str) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new")
    (new / name).write_text("null\n", encoding="utf-8")
    result = run(old, new)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"\nError: {new / name} is not {what}: the document is not a JSON object\n"
    )


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_lone_surrogate_escape_is_printed_escaped(tmp_path: Path, output_format: str) -> None:
    # "\\ud800" is valid JSON and decodes to a lone surrogate, which no encoding can write:
    # here in a changed operationId (the output) and a duplicate key (a warning)
    old = write(tmp_path, "old.json", OLD)
    raw = json.dumps(OLD).replace('"SendSms"', '"A\\ud800"')
    raw = raw.replace('"info": {', '"info": {"\\ud800": 1, "\\ud800": 2, ')
    new = tmp_path / "new.json"
    new.write_text(raw, encoding="utf-8")
    result = run("--format", output_format, old, new)
    assert result.exit_code == 1, result.exception
    assert "SendSms" in result.stdout
    assert "A\\ud800" in result.stdout
    assert result.stderr == (
        f"warning: {new} has the key '\\ud800' twice in the object at '/info'; the last value"
        " counts\n"
    )
    if output_format == "json":
        change = json.loads(result.stdout)["changes"][0]
        assert change["kind"] == "OperationIdChanged"
        assert "A\ud800" in change["message"]


CODE = "public class Script : ScriptBase { }\n"


def test_custom_code_added_is_listed_with_all(tmp_path: Path) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new")
    (new / "script.csx").write_text(CODE, encoding="utf-8")
    quiet = run(old, new)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout.endswith("; 1 non-breaking change (--all lists them).\n")
    listed = run(old, new, "--all")
    assert listed.stdout.splitlines()[0] == (
        "non-breaking: CustomCodeAdded: The custom code (script.csx) has been added; the"
        " operations it handles (scriptOperations) run through it from now on."
        f" ({new / 'script.csx'})"
    )


def test_custom_code_is_compared_only_with_the_properties(tmp_path: Path) -> None:
    old = package(tmp_path / "old", properties=None)
    new = package(tmp_path / "new")
    (new / "script.csx").write_text(CODE, encoding="utf-8")
    one_side = run(old, new, "--format", "json")
    assert json.loads(one_side.stdout)["changes"] == []
    skipped = run(package(tmp_path / "old2"), new, "--no-properties", "--format", "json")
    assert json.loads(skipped.stdout)["changes"] == []


ICON = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def test_icon_replaced_is_listed_with_all(tmp_path: Path) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new")
    (old / "icon.png").write_bytes(ICON)
    (new / "icon.png").write_bytes(ICON[:-1] + b"\x20")
    quiet = run(old, new)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout.endswith("; 1 non-breaking change (--all lists them).\n")
    listed = run(old, new, "--all")
    assert listed.stdout.splitlines()[0] == (
        f"non-breaking: IconChanged: The icon (icon.png) has been replaced ({len(ICON)} bytes,"
        f" now {len(ICON)}); check that its background matches iconBrandColor."
        f" ({new / 'icon.png'})"
    )
    (new / "icon.png").unlink()
    removed = json.loads(run(old, new, "--format", "json").stdout)["changes"]
    assert [(c["kind"], c["side"], c["document"], c["pointer"]) for c in removed] == [
        ("IconRemoved", "old", "icon", "")
    ]


def test_same_icon_is_no_change(tmp_path: Path) -> None:
    old = package(tmp_path / "old")
    new = package(tmp_path / "new")
    for folder in (old, new):
        (folder / "icon.png").write_bytes(ICON)
    result = run(old, new, "--format", "json")
    assert json.loads(result.stdout)["changes"] == []


def test_tightened_input_constraint_breaks(tmp_path: Path) -> None:
    new_document = copy.deepcopy(OLD)
    new_document["paths"]["/jobs"]["get"]["parameters"][0]["maximum"] = 100
    old_document = copy.deepcopy(new_document)
    old_document["paths"]["/jobs"]["get"]["parameters"][0]["maximum"] = 500
    old, new = write(tmp_path, "old.json", old_document), write(tmp_path, "new.json", new_document)
    result = run(old, new)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == (
        "breaking: ListJobs: InputConstraintTightened: The constraint maximum has been tightened"
        " for the parameter 'limit' (query): 500 is now 100. Existing flows may send values the"
        f" operation no longer accepts. ({new}#/paths/~1jobs/get/parameters/0/maximum)"
    )
    # the other way round, it is loosened: listed, not breaking
    back = run(new, old, "--all")
    assert back.exit_code == 0, back.output
    assert back.stdout.startswith("non-breaking: ListJobs: InputConstraintLoosened:")


@pytest.fixture
def package_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A connector project whose root and `variants/dev` are packages committed with an API
    key parameter; the working root package has an added required parameter."""
    root = tmp_path / "project"
    (root / "tools" / "retarus_connector").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    package(root)
    package(root / "variants" / "dev")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    write(root, "apiProperties.json", with_required_parameter())
    monkeypatch.chdir(root / "tools")
    return root


def test_git_compares_the_committed_properties(package_project: Path) -> None:
    result = run("--git", "HEAD")
    assert result.exit_code == 1, result.output
    assert "breaking: RequiredConnectionParameterAdded:" in result.stdout
    assert "(apiProperties.json#/properties/connectionParameters/account)" in result.stdout
    assert result.stdout.endswith(
        "from HEAD:apiDefinition.swagger.json to apiDefinition.swagger.json and from"
        " HEAD:apiProperties.json to apiProperties.json.\n"
    )


def test_git_path_may_name_a_package_folder(package_project: Path) -> None:
    write(package_project / "variants" / "dev", "apiProperties.json", with_capability())
    result = run("--git", "HEAD", "--path", "variants/dev", "--all")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "non-breaking: CapabilitiesChanged: The capabilities have changed: added triggers."
        " (variants/dev/apiProperties.json#/properties/capabilities)",
        "No breaking changes from HEAD:variants/dev/apiDefinition.swagger.json to"
        " variants/dev/apiDefinition.swagger.json and from"
        " HEAD:variants/dev/apiProperties.json to variants/dev/apiProperties.json;"
        " 1 non-breaking change.",
    ]


def test_git_with_a_new_folder(package_project: Path, tmp_path: Path) -> None:
    new = package(tmp_path / "elsewhere")
    result = run("--git", "HEAD", new, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["oldProperties"] == "HEAD:apiProperties.json"
    assert report["newProperties"] == str(new / "apiProperties.json")
    assert report["changes"] == []


def test_git_without_committed_properties_warns(project: Path) -> None:
    write(project, "apiProperties.json", PROPERTIES)
    result = run("--git", "HEAD")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "warning: apiProperties.json not compared: apiProperties.json has no counterpart next"
        " to HEAD:apiDefinition.swagger.json\n"
    )


def test_git_compares_the_committed_custom_code(package_project: Path) -> None:
    dev = package_project / "variants" / "dev"
    (dev / "script.csx").write_text(CODE, encoding="utf-8")
    git(package_project, "add", ".")
    git(package_project, "commit", "-q", "-m", "custom code")
    (dev / "script.csx").write_text(CODE.replace("{ }", "{\n}"), encoding="utf-8")
    result = run("--git", "HEAD", "--path", "variants/dev", "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    (change,) = json.loads(result.stdout)["changes"]
    assert (change["kind"], change["document"], change["pointer"]) == (
        "CustomCodeChanged",
        "script",
        "",
    )


def test_git_compares_the_committed_icon(package_project: Path) -> None:
    dev = package_project / "variants" / "dev"
    (dev / "icon.png").write_bytes(ICON)
    git(package_project, "add", ".")
    git(package_project, "commit", "-q", "-m", "icon")
    unchanged = run("--git", "HEAD", "--path", "variants/dev", "--format", "json")
    assert json.loads(unchanged.stdout)["changes"] == []
    (dev / "icon.png").write_bytes(ICON + b"\x00")
    result = run("--git", "HEAD", "--path", "variants/dev", "--all")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("non-breaking: IconChanged: ")
    assert result.stdout.splitlines()[0].endswith("(variants/dev/icon.png)")


def test_help_shows_both_ways_to_name_the_versions() -> None:
    result = CliRunner().invoke(main, ["diff", "--help"])
    assert result.exit_code == 0
    assert "diff [OPTIONS] OLD NEW | --git REV [NEW]" in result.output
    assert "script.csx and icon.png next to it" in " ".join(result.output.split())


# sarif and github formats, --output, --git outside this project ------------------------------


def test_sarif_reports_breaking_changes_valid_against_the_schema(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", OLD)
    new = write(tmp_path, "new.json", without_list_jobs())
    result = run(old, new, "--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert sarif_errors(document) == []
    run_ = document["runs"][0]
    assert run_["tool"]["driver"]["name"] == "retarus-connector-diff"
    results = run_["results"]
    assert [r["ruleId"] for r in results] == ["OperationDeleted"]
    assert results[0]["level"] == "error"
    assert run_["tool"]["driver"]["rules"][results[0]["ruleIndex"]]["id"] == "OperationDeleted"
    location = results[0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("old.json")
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "/paths/~1jobs/get"
    everything = json.loads(run(old, new, "--format", "sarif", "--all").stdout)
    assert len(everything["runs"][0]["results"]) >= len(results)
    assert sarif_errors(everything) == []


def test_github_annotates_breaking_changes(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", OLD)
    new = write(tmp_path, "new,x.json", without_list_jobs())
    lines = run(old, new, "--format", "github").stdout.splitlines()
    assert lines[0].startswith(f"::error file={old.as_posix()},title=OperationDeleted::")
    assert "(at /paths/~1jobs/get)" in lines[0]
    assert lines[-1].startswith("1 breaking change")


def test_output_writes_the_report_to_a_file(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", OLD)
    new = write(tmp_path, "new.json", without_list_jobs())
    target = tmp_path / "diff.json"
    result = run(old, new, "--format", "json", "--output", target)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["breaking"] == 1


def test_git_in_another_repository_resolves_path_from_its_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "connectors"  # not a checkout of this project
    (root / "Contoso").mkdir(parents=True)
    write(root / "Contoso", "apiDefinition.swagger.json", OLD)
    (root / "docs").mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    write(root / "Contoso", "apiDefinition.swagger.json", without_list_jobs())
    monkeypatch.chdir(root / "docs")
    result = run("--git", "HEAD", "--path", "Contoso", "--format", "github")
    assert result.exit_code == 1, result.output
    assert "::error file=Contoso/apiDefinition.swagger.json,title=OperationDeleted" in result.stdout
    text = run("--git", "HEAD", "--path", str(root / "Contoso")).stdout
    label = "HEAD:Contoso/apiDefinition.swagger.json"
    assert f"({label}#/paths/~1jobs/get)" in text
    # the label is what `git show` takes
    shown = subprocess.run(["git", "-C", str(root / "docs"), "show", label], capture_output=True)
    assert shown.returncode == 0
    outside = run("--git", "HEAD", "--path", str(tmp_path))
    assert outside.exit_code == 2
    assert "outside the git repository" in outside.stderr
