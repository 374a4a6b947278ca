"""`retarus-connector certification`: the file, its default place, the lint gate, exit codes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import retarus_connector
from retarus_connector.cli import main
from retarus_connector.models import CONNECTOR
from retarus_connector.packaging import certification


@pytest.fixture(autouse=True)
def version_1_0_0(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retarus_connector, "__version__", "1.0.0")


def _certification(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["certification", *args])
    return result.exit_code, result.stdout, result.stderr


def test_writes_the_package_then_reports_it_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "RetarusSMS_certification_1_0_0_0.zip"
    assert _certification("--out", str(tmp_path)) == (0, f"wrote {path}\n", "")
    first = path.read_bytes()
    code, out, _ = _certification("--out", str(tmp_path))
    assert (code, out.strip()) == (0, f"{path} is already up to date.")
    assert path.read_bytes() == first


def test_default_out_is_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _certification()[0] == 0
    assert [p.name for p in (tmp_path / "dist").iterdir()] == [
        "RetarusSMS_certification_1_0_0_0.zip"
    ]


def test_a_lint_error_stops_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = replace(CONNECTOR, api=replace(CONNECTOR.api, base_path="rest/v1"))
    monkeypatch.setattr(certification, "current_connector", lambda: broken)
    code, out, err = _certification("--out", str(tmp_path))
    assert (code, out) == (1, "")
    assert "error [swagger-types]" in err
    assert "was not written" in err
    assert not list(tmp_path.iterdir())


def test_an_unwritable_folder_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = _certification("--out", str(blocker / "dist"))
    assert code == 2
    assert "\nError: " in err
