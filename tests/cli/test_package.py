"""`retarus-connector package`: the zip, its default place, the lint gate and exit codes."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import retarus_connector
from retarus_connector.cli import main
from retarus_connector.models import CONNECTOR
from retarus_connector.packaging import archive


def _package(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["package", *args])
    return result.exit_code, result.stdout, result.stderr


def test_package_writes_the_zip_then_reports_it_up_to_date(tmp_path: Path) -> None:
    zip_path = tmp_path / f"retarus-sms-{retarus_connector.__version__}.zip"
    code, out, err = _package("--out", str(tmp_path))
    assert (code, out.strip(), err) == (0, f"wrote {zip_path}", "")
    first = zip_path.read_bytes()
    code, out, _ = _package("--out", str(tmp_path))
    assert (code, out.strip()) == (0, f"{zip_path} is already up to date.")
    assert zip_path.read_bytes() == first


def test_unpacked_zip_lints_clean(tmp_path: Path) -> None:
    _package("--out", str(tmp_path / "dist"))
    (zip_path,) = (tmp_path / "dist").iterdir()
    with zipfile.ZipFile(zip_path) as unpacked:
        unpacked.extractall(tmp_path / "unpacked")
    result = CliRunner().invoke(
        main,
        ["lint", "--profile", "certified", "--fail-on", "warning", str(tmp_path / "unpacked")],
    )
    assert result.exit_code == 0, result.output


def test_default_out_is_dist_under_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # outside a checkout, the repository root is the working folder
    monkeypatch.chdir(tmp_path)
    code, out, _ = _package()
    assert code == 0
    assert [path.name for path in (tmp_path / "dist").iterdir()] == [
        f"retarus-sms-{retarus_connector.__version__}.zip"
    ]
    assert out.startswith(f"wrote {tmp_path / 'dist'}")


def test_zip_name_follows_the_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retarus_connector, "__version__", "3.1.4")
    code, _, _ = _package("--out", str(tmp_path))
    assert code == 0
    assert [path.name for path in tmp_path.iterdir()] == ["retarus-sms-3.1.4.zip"]


def test_a_lint_error_stops_packaging_with_the_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = replace(CONNECTOR, api=replace(CONNECTOR.api, base_path="rest/v1"))
    monkeypatch.setattr(archive, "current_connector", lambda: broken)
    code, out, err = _package("--out", str(tmp_path))
    assert code == 1
    assert out == ""
    assert "Retarus SMS/apiDefinition.swagger.json" in err
    assert "error [swagger-types]" in err
    assert "was not written" in err
    assert not list(tmp_path.iterdir())


def test_an_unwritable_folder_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = _package("--out", str(blocker / "dist"))
    assert code == 2
    assert "\nError: " in err
    assert "Traceback" not in err


def test_a_title_that_cannot_name_a_folder_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = replace(CONNECTOR, api=replace(CONNECTOR.api, title="Retarus: SMS"))
    monkeypatch.setattr(archive, "current_connector", lambda: bad)
    code, _, err = _package("--out", str(tmp_path))
    assert code == 2
    assert "info.title 'Retarus: SMS' cannot name a folder" in err
