"""The version lives in retarus_connector.__version__ only; the package follows it."""

from __future__ import annotations

import json
import re
import tomllib
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

import retarus_connector
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import release_status
from retarus_connector.packaging.archive import build_archive
from retarus_connector.packaging.versioning import (
    NamingError,
    archive_name,
    current_connector,
    folder_name,
    slug,
)


def _swagger_in(zip_path: Path) -> dict[str, object]:
    with zipfile.ZipFile(zip_path) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith("apiDefinition.swagger.json")]
        document: dict[str, object] = json.loads(archive.read(name))
    return document


@pytest.mark.parametrize(
    ("version", "status"),
    [
        ("1.0.0", "Production"),
        ("2.10", "Production"),
        ("1.2.3+build.7", "Production"),
        ("0.9.0", "Preview"),
        ("1.1.0rc1", "Preview"),
        ("1.1.0-beta.2", "Preview"),
        ("1.1.0.dev3", "Preview"),
        ("1.1.0a1", "Preview"),
        ("1", "Preview"),
    ],
)
def test_release_status_follows_the_version(version: str, status: str) -> None:
    assert release_status(version) == status


def test_the_models_are_at_the_package_version() -> None:
    assert CONNECTOR.api.version == retarus_connector.__version__
    assert current_connector() == CONNECTOR


def test_with_version_changes_only_version_and_status() -> None:
    moved = CONNECTOR.with_version("7.0.0rc2")
    assert (moved.api.version, moved.api.status) == ("7.0.0rc2", "Preview")
    assert replace(moved.api, version=CONNECTOR.api.version, status=CONNECTOR.api.status) == (
        CONNECTOR.api
    )
    assert replace(moved, api=CONNECTOR.api) == CONNECTOR


@pytest.mark.parametrize(("version", "status"), [("2.3.0", "Production"), ("2.4.0rc1", "Preview")])
def test_swagger_and_zip_name_follow_a_changed_version(
    version: str, status: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retarus_connector, "__version__", version)
    result = build_archive(tmp_path)
    assert result.path == tmp_path / f"retarus-sms-{version}.zip"
    info = _swagger_in(result.path)["info"]
    assert isinstance(info, dict)
    assert info["version"] == version
    assert info["x-ms-api-annotation"] == {"status": status}
    assert [path.name for path in tmp_path.iterdir()] == [f"retarus-sms-{version}.zip"]


def test_the_distribution_takes_its_version_from_the_package(repository_root: Path) -> None:
    project = tomllib.loads((repository_root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "retarus_connector.__version__"
    }


def test_no_generator_spells_the_version_out(repository_root: Path) -> None:
    """A second copy of the version in the code that makes the package would go stale."""
    literal = re.compile(re.escape(f'"{retarus_connector.__version__}"'))
    package = repository_root / "tools" / "retarus_connector"
    for layer in ("models", "emitters", "files", "packaging"):
        for module in sorted((package / layer).rglob("*.py")):
            assert not literal.search(module.read_text(encoding="utf-8")), module


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Retarus SMS", "retarus-sms"),
        ("Retarus SMS Dev", "retarus-sms-dev"),
        ("  Ünïcode   & Co. 2 ", "unicode-co-2"),
    ],
)
def test_slug(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_names_of_the_release() -> None:
    assert archive_name(CONNECTOR) == f"retarus-sms-{retarus_connector.__version__}.zip"
    assert folder_name(CONNECTOR) == "Retarus SMS"


@pytest.mark.parametrize("title", ["a/b", "Name:", "Name.", "???", ""])
def test_titles_that_cannot_name_a_folder_are_refused(title: str) -> None:
    connector = replace(CONNECTOR, api=replace(CONNECTOR.api, title=title))
    with pytest.raises(NamingError, match=r"info\.title"):
        folder_name(connector)


@pytest.mark.parametrize("version", ["", "1.0 beta", "1/0"])
def test_versions_that_cannot_name_a_file_are_refused(version: str) -> None:
    with pytest.raises(NamingError, match=r"info\.version"):
        archive_name(CONNECTOR.with_version(version))


def test_zip_bytes_embed_the_version_nowhere_else(tmp_path: Path) -> None:
    """Only the swagger carries the version; the other files are the same for every version."""
    first = build_archive(tmp_path / "a")
    assert first.path is not None
    other = build_archive(tmp_path / "b", CONNECTOR.with_version("1.0.1"))
    assert other.path is not None
    with zipfile.ZipFile(first.path) as one, zipfile.ZipFile(other.path) as two:
        for name in one.namelist():
            same = one.read(name) == two.read(name)
            assert same != name.endswith("apiDefinition.swagger.json"), name


def test_changelog_records_the_current_version(repository_root: Path) -> None:
    changelog = (repository_root / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.M)
    assert headings[0] == "Unreleased"
    assert headings[1] == retarus_connector.__version__, "add the release to CHANGELOG.md"
