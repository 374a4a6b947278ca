"""Staging a package for paconn: deploy variant, settings file, never a secret."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from retarus_connector.packaging import publish
from retarus_connector.packaging.variants import deploy_properties

PROPERTIES = {
    "properties": {
        "connectionParameters": {"username": {"type": "securestring"}},
        "iconBrandColor": "#123456",
        "publisher": "Contoso",
        "stackOwner": "Contoso",
    }
}


def write_package(folder: Path, *, icon: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_text('{"swagger": "2.0"}\n', encoding="utf-8")
    (folder / "apiProperties.json").write_text(json.dumps(PROPERTIES), encoding="utf-8")
    if icon:
        (folder / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def test_deploy_variant_drops_only_stack_owner() -> None:
    deployed = deploy_properties(PROPERTIES)
    assert "stackOwner" not in deployed["properties"]
    assert deployed["properties"]["publisher"] == "Contoso"
    assert PROPERTIES["properties"]["stackOwner"] == "Contoso"  # the input is untouched


def test_stage_for_create_writes_settings_pointing_at_staged_files(tmp_path: Path) -> None:
    package = write_package(tmp_path / "pkg")
    plan = publish.stage(package, "Default-1234", staging_dir=tmp_path / "stage")
    assert plan.action == "create"
    # paconn create writes the new id to ./settings.json and would prompt before overwriting it
    assert plan.command == (
        "paconn",
        "create",
        "--settings",
        str(plan.settings_file),
        "--overwrite-settings",
    )
    settings = json.loads(plan.settings_file.read_text(encoding="utf-8"))
    assert "connectorId" not in settings
    assert settings["environment"] == "Default-1234"
    assert settings["powerAppsApiVersion"] == "2016-11-01"
    for key in ("apiDefinition", "apiProperties", "icon"):
        assert Path(settings[key]).parent == plan.staging_dir
        assert Path(settings[key]).is_file()
    staged = json.loads((plan.staging_dir / "apiProperties.json").read_text(encoding="utf-8"))
    assert "stackOwner" not in staged["properties"]


def test_stage_with_connector_id_updates(tmp_path: Path) -> None:
    plan = publish.stage(write_package(tmp_path / "pkg", icon=False), "env", "abc-123")
    try:
        assert plan.action == "update"
        assert plan.command[1:] == ("update", "--settings", str(plan.settings_file))
        settings = json.loads(plan.settings_file.read_text(encoding="utf-8"))
        assert settings["connectorId"] == "abc-123"
        assert "icon" not in settings
    finally:
        import shutil

        shutil.rmtree(plan.staging_dir)


@pytest.mark.parametrize(
    ("broken", "expected"),
    [("apiProperties.json", "apiProperties.json: not valid JSON"), ("missing", "file not found")],
)
def test_stage_names_the_broken_file(tmp_path: Path, broken: str, expected: str) -> None:
    package = write_package(tmp_path / "pkg")
    if broken == "missing":
        (package / "apiDefinition.swagger.json").unlink()
    else:
        (package / broken).write_text("{", encoding="utf-8")
    with pytest.raises(publish.PublishError, match=expected):
        publish.stage(package, "env", staging_dir=tmp_path / "stage")


def test_empty_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(publish.PublishError, match="--environment"):
        publish.stage(write_package(tmp_path / "pkg"), "  ", staging_dir=tmp_path / "stage")


@pytest.mark.parametrize("connector_id", ["", "   "])
def test_an_empty_connector_id_is_refused_rather_than_creating_a_connector(
    tmp_path: Path, connector_id: str
) -> None:
    # `--connector-id "$UNSET_VARIABLE"` in a script must not quietly create a second connector
    package = write_package(tmp_path / "pkg")
    with pytest.raises(publish.PublishError, match="--connector-id"):
        publish.stage(package, "env", connector_id, staging_dir=tmp_path / "stage")
    with pytest.raises(publish.PublishError, match="--connector-id"):
        publish.prepare(package, "env", connector_id, staging_dir=tmp_path / "stage")
    assert not (tmp_path / "stage").exists()


def test_a_paconn_that_cannot_start_is_a_publish_error_naming_it(tmp_path: Path) -> None:
    # a paconn script left behind by a deleted virtual environment: on PATH, but its
    # interpreter is gone, so starting it fails
    broken = tmp_path / "bin" / "paconn"
    broken.parent.mkdir()
    broken.write_text("#!/nonexistent/python\n", encoding="utf-8")
    broken.chmod(0o755)
    package = write_package(tmp_path / "pkg")
    plan = publish.stage(package, "env", staging_dir=tmp_path / "stage", paconn=str(broken))
    with pytest.raises(publish.PublishError, match=rf"{re.escape(str(broken))}: cannot be run"):
        publish.run(plan)


def test_run_reads_back_the_connector_id_paconn_records(tmp_path: Path) -> None:
    plan = publish.stage(write_package(tmp_path / "pkg"), "env", staging_dir=tmp_path / "stage")

    def fake_paconn(argv: list[str], check: bool, cwd: Path) -> Any:
        # like paconn 0.0.21: read the settings named, write the id to ./settings.json
        settings = json.loads(Path(argv[argv.index("--settings") + 1]).read_text("utf-8"))
        settings["connectorId"] = "new-id"
        (Path(cwd) / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        return SimpleNamespace(returncode=0)

    result = publish.run(plan, runner=fake_paconn)
    assert result == publish.PublishResult(0, "new-id")


def test_dry_run_command_runs_paconn_in_the_staging_folder(tmp_path: Path) -> None:
    stage_dir = tmp_path / "a folder with spaces"
    plan = publish.stage(write_package(tmp_path / "pkg"), "env", "id-1", staging_dir=stage_dir)
    words = shlex.split(publish.dry_run_command(plan))
    assert words[:3] == ["cd", str(stage_dir), "&&"]
    assert words[3:] == ["paconn", "update", "--settings", str(stage_dir / "settings.json")]


def test_stage_files_keeps_the_bytes_and_takes_a_script(tmp_path: Path) -> None:
    files = {
        "apiDefinition.swagger.json": b'{"swagger": "2.0", "info": {"title": "\\u00e9"}}\n',
        "apiProperties.json": json.dumps(PROPERTIES).encode(),
        "script.csx": b"public class Script : ScriptBase {}\n",
    }
    plan = publish.stage_files(files, "env", staging_dir=tmp_path / "stage")
    staged = plan.staging_dir
    assert (staged / "apiDefinition.swagger.json").read_bytes() == files[
        "apiDefinition.swagger.json"
    ]
    settings = json.loads(plan.settings_file.read_text(encoding="utf-8"))
    assert Path(settings["script"]).read_bytes() == files["script.csx"]
    assert "icon" not in settings


def test_a_swagger_with_a_bom_or_non_ascii_text_is_staged_as_paconn_can_read_it(
    tmp_path: Path,
) -> None:
    # paconn create/update read the swagger with open() in the platform's default encoding
    # and json.load it: a byte order mark fails there, and UTF-8 text is misread on Windows
    written = {"swagger": "2.0", "info": {"title": "Caf\u00e9 \u2013 SMS", "version": "1.0"}}
    files = {
        "apiDefinition.swagger.json": b"\xef\xbb\xbf"
        + json.dumps(written, ensure_ascii=False).encode("utf-8"),
        "apiProperties.json": json.dumps(PROPERTIES).encode(),
    }
    plan = publish.stage_files(files, "env", staging_dir=tmp_path / "stage")
    staged = (plan.staging_dir / "apiDefinition.swagger.json").read_bytes()
    assert staged.isascii()
    assert json.loads(staged.decode("cp1252")) == written


def test_stage_files_needs_swagger_and_properties(tmp_path: Path) -> None:
    with pytest.raises(publish.PublishError, match=r"apiProperties\.json: missing"):
        publish.stage_files({"apiDefinition.swagger.json": b"{}"}, "env", staging_dir=tmp_path)


def _paconn_reference(shared_dir: Path) -> str:
    rules = (shared_dir / "reference" / "powerplatform-connector-rules.md").read_text("utf-8")
    section = rules[rules.index("## 5. paconn") :]
    return section[: section.index("### pac connector")]


def test_commands_and_settings_use_what_paconn_reads(tmp_path: Path, shared_dir: Path) -> None:
    reference = _paconn_reference(shared_dir)
    create_line = next(line for line in reference.splitlines() if line.startswith("* `create`"))
    create_flags = set(re.findall(r"`(--[a-z-]+)/", create_line))
    update_flags = (create_flags - {"--overwrite-settings"}) | {"--cid"}
    fields_text = reference[reference.index("settings.json fields read") :]
    fields = set(re.findall(r"`([a-zA-Z]+)`", fields_text.split("Written back")[0]))
    package = write_package(tmp_path / "pkg")
    (package / "script.csx").write_text("public class Script : ScriptBase {}\n", "utf-8")
    for connector_id, flags in ((None, create_flags), ("id-1", update_flags)):
        plan = publish.stage(package, "env", connector_id, staging_dir=tmp_path / str(connector_id))
        used = {word for word in plan.command if word.startswith("--")}
        assert used <= flags, used - flags
        settings = json.loads(plan.settings_file.read_text(encoding="utf-8"))
        assert set(settings) <= fields, set(settings) - fields
