"""`retarus-connector solution`: the files, --check, the lint gate and the exit codes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import retarus_connector
from retarus_connector.cli import main
from retarus_connector.models import CONNECTOR
from retarus_connector.packaging import solutions

FILES = [
    "RetarusSMSConnector_1_0_0_0.zip",
    "RetarusSMSFlows_1_0_0_0.zip",
    "deployment-settings.json",
]


@pytest.fixture(autouse=True)
def version_1_0_0(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retarus_connector, "__version__", "1.0.0")


def _solution(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["solution", *args])
    return result.exit_code, result.stdout, result.stderr


def test_writes_both_zips_and_the_settings_then_reports_them_current(tmp_path: Path) -> None:
    code, out, err = _solution("--out", str(tmp_path))
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"wrote {tmp_path / name}" for name in FILES]
    assert sorted(path.name for path in tmp_path.iterdir()) == FILES
    first = {name: (tmp_path / name).read_bytes() for name in FILES}
    code, out, _ = _solution("--out", str(tmp_path))
    assert (code, out.strip()) == (0, f"The solutions in {tmp_path} are already up to date.")
    code, out, _ = _solution("--out", str(tmp_path), "--check")
    assert (code, out.strip()) == (0, f"The solutions in {tmp_path} match the models.")
    assert {name: (tmp_path / name).read_bytes() for name in FILES} == first


def test_check_names_missing_and_stale_files_and_exits_1(tmp_path: Path) -> None:
    code, _, err = _solution("--out", str(tmp_path), "--check")
    assert code == 1
    for name in FILES:
        assert f"{tmp_path / name}: missing" in err
    _solution("--out", str(tmp_path))
    (tmp_path / FILES[2]).write_text("{}", encoding="utf-8")
    code, _, err = _solution("--out", str(tmp_path), "--check")
    assert code == 1
    assert f"{tmp_path / FILES[2]}: differs" in err
    assert FILES[0] not in err
    assert f"retarus-connector solution --out {tmp_path}" in err
    assert not list(tmp_path.glob(".*.tmp"))


def test_check_accepts_the_same_entries_compressed_by_another_zlib(tmp_path: Path) -> None:
    _solution("--out", str(tmp_path))
    path = tmp_path / FILES[0]
    with zipfile.ZipFile(path) as original:
        entries = [(info.filename, original.read(info)) for info in original.infolist()]
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    path.write_bytes(stored.getvalue())
    assert _solution("--out", str(tmp_path), "--check")[0] == 0
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("extra.txt", b"x")
    assert _solution("--out", str(tmp_path), "--check")[0] == 1


def test_default_out_is_dist_and_names_follow_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(retarus_connector, "__version__", "3.1.4")
    code, _, _ = _solution()
    assert code == 0
    assert sorted(path.name for path in (tmp_path / "dist").iterdir()) == [
        "RetarusSMSConnector_3_1_4_0.zip",
        "RetarusSMSFlows_3_1_4_0.zip",
        "deployment-settings.json",
    ]


def test_a_lint_error_stops_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = replace(CONNECTOR, api=replace(CONNECTOR.api, base_path="rest/v1"))
    monkeypatch.setattr(solutions, "current_connector", lambda: broken)
    code, out, err = _solution("--out", str(tmp_path))
    assert (code, out) == (1, "")
    assert "error [swagger-types]" in err
    assert "nothing was written" in err
    assert not list(tmp_path.iterdir())


def test_a_flow_that_no_longer_fits_the_connector_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    operations = tuple(
        replace(op, operation_id="SendJob") if op.operation_id == "SendSmsJob" else op
        for op in CONNECTOR.api.operations
    )
    renamed = replace(CONNECTOR, api=replace(CONNECTOR.api, operations=operations))
    monkeypatch.setattr(solutions, "current_connector", lambda: renamed)
    for args in (["--out", str(tmp_path)], ["--out", str(tmp_path), "--check"]):
        code, _, err = _solution(*args)
        assert code == 2
        assert "no operation 'SendSmsJob'" in err
        assert "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_an_unwritable_folder_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = _solution("--out", str(blocker / "dist"))
    assert code == 2
    assert "\nError: " in err
