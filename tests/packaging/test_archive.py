"""The release zip: its layout and contents, byte-for-byte determinism, the lint gate."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from retarus_connector.cli import main
from retarus_connector.emitters.readme import connector_readme
from retarus_connector.files.package import package_files
from retarus_connector.models import CONNECTOR
from retarus_connector.packaging.archive import (
    FIXED_DATE_TIME,
    build_archive,
    folder_files,
    zip_bytes,
)
from retarus_connector.packaging.variants import DEPLOY_PROPERTIES_FILE

FOLDER_FILES = [
    "apiDefinition.swagger.json",
    "apiProperties.deploy.json",
    "apiProperties.json",
    "icon.png",
    "readme.md",
    "script.csx",
    "settings.json",
]
CERTIFIED_SECTIONS = [
    "## Publisher: ",
    "## Prerequisites",
    "## Supported Operations",
    "## Obtaining Credentials",
    "## Getting Started",
    "## Known Issues and Limitations",
    "## Deployment Instructions",
]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = build_archive(tmp_path_factory.mktemp("dist"))
    assert result.path is not None, result.preflight.report.findings
    return result.path


def test_zip_holds_one_folder_named_after_the_connector(release: Path) -> None:
    with zipfile.ZipFile(release) as archive:
        names = archive.namelist()
        assert names == ["Retarus SMS/", *(f"Retarus SMS/{name}" for name in FOLDER_FILES)]
        assert archive.testzip() is None


def test_zip_entries_have_fixed_times_modes_and_no_compression(release: Path) -> None:
    with zipfile.ZipFile(release) as archive:
        for info in archive.infolist():
            # The earliest MS-DOS time, the same everywhere; Unix-made so modes are honoured.
            assert info.date_time == FIXED_DATE_TIME == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_STORED
            assert info.create_system == 3
            mode = info.external_attr >> 16
            if info.is_dir():
                assert info.external_attr & 0x10  # the MS-DOS directory flag, for Windows tools
                assert stat.S_ISDIR(mode)
                assert stat.S_IMODE(mode) == 0o755
            else:
                assert stat.S_ISREG(mode)
                assert stat.S_IMODE(mode) == 0o644


def test_package_files_are_what_the_build_writes(release: Path, tmp_path: Path) -> None:
    built = package_files(tmp_path / "folder")  # what `build --out` writes
    with zipfile.ZipFile(release) as archive:
        for name in ("apiDefinition.swagger.json", "apiProperties.json", "icon.png", "readme.md"):
            assert archive.read(f"Retarus SMS/{name}") == built[name], name


def test_readme_has_the_certified_sections_in_order(release: Path) -> None:
    with zipfile.ZipFile(release) as archive:
        readme = archive.read("Retarus SMS/readme.md").decode("utf-8")
    assert readme == connector_readme(CONNECTOR).rstrip("\n") + "\n"
    positions = [readme.index(heading) for heading in CERTIFIED_SECTIONS]
    assert positions == sorted(positions)
    for operation in CONNECTOR.api.operations:
        assert f"### {operation.summary}\n" in readme


def test_deploy_variant_differs_only_by_stack_owner(release: Path) -> None:
    with zipfile.ZipFile(release) as archive:
        submitted = json.loads(archive.read("Retarus SMS/apiProperties.json"))
        deployed = json.loads(archive.read(f"Retarus SMS/{DEPLOY_PROPERTIES_FILE}"))
        settings = json.loads(archive.read("Retarus SMS/settings.json"))
    assert submitted["properties"].pop("stackOwner") == CONNECTOR.stack_owner
    assert deployed == submitted
    # paconn create --settings settings.json, run inside the unpacked folder, uses the variant
    assert settings["apiProperties"] == DEPLOY_PROPERTIES_FILE
    assert settings["apiDefinition"] == "apiDefinition.swagger.json"
    assert settings["icon"] == "icon.png"
    assert settings["script"] == "script.csx"  # paconn uploads the custom code with it
    assert "environment" not in settings
    assert "connectorId" not in settings


def test_two_runs_are_byte_identical(tmp_path: Path, release: Path) -> None:
    old = os.umask(0o077)  # a different umask must not reach the entries
    try:
        again = build_archive(tmp_path)
    finally:
        os.umask(old)
    assert again.path is not None
    assert again.path.read_bytes() == release.read_bytes()


def test_a_second_run_leaves_an_identical_zip_untouched(tmp_path: Path) -> None:
    first = build_archive(tmp_path)
    assert first.path is not None
    assert first.changed
    before = first.path.stat().st_mtime_ns
    second = build_archive(tmp_path)
    assert (second.path, second.changed) == (first.path, False)
    assert first.path.stat().st_mtime_ns == before


def test_entry_order_does_not_depend_on_the_mapping() -> None:
    files = folder_files(CONNECTOR)
    reversed_files = dict(reversed(list(files.items())))
    assert zip_bytes("X", files) == zip_bytes("X", reversed_files)


def test_unzipped_folder_passes_lint_with_fail_on_warning(release: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(release) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / "Retarus SMS"
    assert sorted(path.name for path in folder.iterdir()) == FOLDER_FILES
    result = CliRunner().invoke(
        main, ["lint", "--profile", "certified", "--fail-on", "warning", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert "0 error, 0 warning" in result.output


def test_an_injected_lint_error_stops_packaging(tmp_path: Path) -> None:
    broken = replace(CONNECTOR, api=replace(CONNECTOR.api, base_path="rest/v1"))
    result = build_archive(tmp_path, broken)
    assert result.path is None
    assert result.preflight.blocked
    (finding,) = [f for f in result.preflight.report.findings if f.severity == "error"]
    assert finding.file == f"{result.name}/Retarus SMS/apiDefinition.swagger.json"
    assert "basePath" in finding.message
    assert not list(tmp_path.iterdir())


def test_a_lint_error_keeps_the_previous_zip(tmp_path: Path) -> None:
    good = build_archive(tmp_path)
    assert good.path is not None
    before = good.path.read_bytes()
    broken = replace(CONNECTOR, api=replace(CONNECTOR.api, base_path="rest/v1"))
    assert build_archive(tmp_path, broken).path is None
    assert good.path.read_bytes() == before
