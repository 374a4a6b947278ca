"""`retarus-connector publish` with and without paconn on PATH."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from retarus_connector.cli import main


@pytest.fixture
def package(tmp_path: Path) -> Path:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "apiDefinition.swagger.json").write_text('{"swagger": "2.0"}', encoding="utf-8")
    (folder / "apiProperties.json").write_text(
        '{"properties": {"stackOwner": "x", "iconBrandColor": "#123456"}}', encoding="utf-8"
    )
    return folder


@pytest.fixture
def fake_paconn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in paconn on PATH that records its arguments and assigns a connector id."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "paconn-args.json"
    script = bin_dir / "paconn"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        "args = sys.argv[1:]\n"
        f"open({str(log)!r}, 'w').write(json.dumps(args))\n"
        "path = args[args.index('--settings') + 1]\n"
        "settings = json.load(open(path))\n"
        "settings.setdefault('connectorId', 'generated-id')\n"
        "json.dump(settings, open(path, 'w'))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def test_without_paconn_explains_how_to_install(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = CliRunner().invoke(main, ["publish", "-e", "env", "--package", str(package)])
    assert result.exit_code == 2
    assert "pip install" in result.output
    assert "paconn" in result.output


def test_dry_run_prints_the_paconn_command(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = CliRunner().invoke(
        main,
        [
            "publish",
            "-e",
            "Default-1",
            "--connector-id",
            "abc",
            "--dry-run",
            "--package",
            str(package),
        ],
    )
    assert result.exit_code == 0, result.output
    command = result.stdout.strip().split()
    assert command[:3] == ["paconn", "update", "--settings"]
    settings = json.loads(Path(command[3]).read_text(encoding="utf-8"))
    assert settings["connectorId"] == "abc"
    assert settings["environment"] == "Default-1"


def test_publish_runs_paconn_and_reports_the_new_id(package: Path, fake_paconn: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "-e", "env", "--package", str(package)])
    assert result.exit_code == 0, result.output
    assert "connector id: generated-id" in result.stdout
    args = json.loads(fake_paconn.read_text(encoding="utf-8"))
    assert args[0] == "create"
    assert not Path(args[2]).exists()  # the staging folder is cleaned up
