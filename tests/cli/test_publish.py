"""`retarus-connector publish`: lint first, then paconn, with and without paconn on PATH."""

from __future__ import annotations

import json
import os
import shlex
import stat
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from retarus_connector.cli import main
from retarus_connector.files.package import build


@pytest.fixture(autouse=True)
def staging_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Staging folders (which --dry-run leaves for the user) go under the test's own folder,
    not the system's temporary folder."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A connector folder as `build --out` writes it."""
    folder = tmp_path / "pkg"
    build(folder)
    return folder


@pytest.fixture
def fake_paconn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in paconn on PATH that records its arguments and working folder and, like
    paconn 0.0.21's create, writes the new connector id to ./settings.json."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "paconn-args.json"
    script = bin_dir / "paconn"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "args = sys.argv[1:]\n"
        f"open({str(log)!r}, 'w').write(json.dumps({{'args': args, 'cwd': os.getcwd()}}))\n"
        "settings = json.load(open(args[args.index('--settings') + 1]))\n"
        "settings.setdefault('connectorId', 'generated-id')\n"
        "if args[0] == 'create':\n"
        "    json.dump(settings, open('settings.json', 'w'))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def _dry_run_words(output: str) -> list[str]:
    words = shlex.split(output.strip())
    assert words[0] == "cd"
    assert words[2] == "&&"
    return words


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
    words = _dry_run_words(result.stdout)
    staging = Path(words[1])
    assert words[3:6] == ["paconn", "update", "--settings"]
    assert Path(words[6]).parent == staging
    settings = json.loads(Path(words[6]).read_text(encoding="utf-8"))
    # the fields paconn 0.0.21 reads, each file in the staging folder
    assert settings["connectorId"] == "abc"
    assert settings["environment"] == "Default-1"
    assert settings["powerAppsUrl"] == "https://api.powerapps.com"
    assert settings["powerAppsApiVersion"] == "2016-11-01"
    for key in ("apiDefinition", "apiProperties", "icon"):
        assert Path(settings[key]).parent == staging
    staged = json.loads(Path(settings["apiProperties"]).read_text(encoding="utf-8"))
    assert "stackOwner" not in staged["properties"]
    assert (Path(settings["apiDefinition"]).read_bytes()) == (
        package / "apiDefinition.swagger.json"
    ).read_bytes()


def test_dry_run_without_package_stages_the_package_generated_from_the_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.chdir(tmp_path)  # no package here: it has to come from the models
    result = CliRunner().invoke(main, ["publish", "-e", "env", "--dry-run"])
    assert result.exit_code == 0, result.output
    words = _dry_run_words(result.stdout)
    assert words[3:5] == ["paconn", "create"]
    assert words[-1] == "--overwrite-settings"
    staging = Path(words[1])
    reference = tmp_path / "reference"
    build(reference)
    assert (staging / "apiDefinition.swagger.json").read_bytes() == (
        reference / "apiDefinition.swagger.json"
    ).read_bytes()
    assert (staging / "icon.png").read_bytes() == (reference / "icon.png").read_bytes()
    # the custom code goes up with the connector, or the reads would run without it
    assert (staging / "script.csx").read_bytes() == (reference / "script.csx").read_bytes()
    settings = json.loads((staging / "settings.json").read_text(encoding="utf-8"))
    assert settings["script"] == str(staging / "script.csx")
    assert not list(tmp_path.glob("*.json"))  # nothing written where it ran


def test_lint_error_stops_publishing(
    package: Path, fake_paconn: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    swagger_path = package / "apiDefinition.swagger.json"
    swagger = json.loads(swagger_path.read_text(encoding="utf-8"))
    del swagger["paths"]
    swagger_path.write_text(json.dumps(swagger), encoding="utf-8")
    result = CliRunner().invoke(main, ["publish", "-e", "env", "--package", str(package)])
    assert result.exit_code == 1
    assert "error [swagger-required]" in result.stderr
    assert "nothing was published" in result.stderr
    assert not fake_paconn.exists()  # paconn never ran


def test_publish_runs_paconn_in_the_staging_folder_and_reports_the_new_id(
    package: Path, fake_paconn: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / "settings.json").write_text('{"mine": true}', encoding="utf-8")
    monkeypatch.chdir(workdir)
    result = CliRunner().invoke(main, ["publish", "-e", "env", "--package", str(package)])
    assert result.exit_code == 0, result.output
    assert "connector id: generated-id" in result.stdout
    record = json.loads(fake_paconn.read_text(encoding="utf-8"))
    args = record["args"]
    assert args[0] == "create"
    assert "--overwrite-settings" in args
    assert Path(record["cwd"]) == Path(args[2]).parent
    assert not Path(args[2]).exists()  # the staging folder is cleaned up
    assert (workdir / "settings.json").read_text(encoding="utf-8") == '{"mine": true}'


def test_update_passes_the_connector_id(package: Path, fake_paconn: Path) -> None:
    result = CliRunner().invoke(
        main, ["publish", "-e", "env", "--connector-id", "c-1", "--package", str(package)]
    )
    assert result.exit_code == 0, result.output
    assert "connector id: c-1" in result.stdout
    args = json.loads(fake_paconn.read_text(encoding="utf-8"))["args"]
    assert args[0] == "update"
    assert "--overwrite-settings" not in args


def test_failing_paconn_exits_1(package: Path, fake_paconn: Path) -> None:
    script = fake_paconn.parent / "bin" / "paconn"
    script.write_text(f"#!{sys.executable}\nraise SystemExit(3)\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["publish", "-e", "env", "--package", str(package)])
    assert result.exit_code == 1
    assert "paconn create failed (exit 3)" in result.stderr


def test_an_empty_connector_id_exits_2_instead_of_creating_a_connector(
    package: Path, fake_paconn: Path, staging_in_tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main, ["publish", "-e", "env", "--connector-id", "", "--package", str(package)]
    )
    assert result.exit_code == 2
    assert "Error: --connector-id: empty" in result.stderr
    assert not fake_paconn.exists()  # paconn never ran
    assert not list(staging_in_tmp_path.iterdir())


def test_a_dry_run_without_paconn_reports_bad_input_alone(
    package: Path, monkeypatch: pytest.MonkeyPatch, staging_in_tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = CliRunner().invoke(
        main,
        ["publish", "-e", "env", "--connector-id", "", "--dry-run", "--package", str(package)],
    )
    assert result.exit_code == 2
    assert "Error: --connector-id: empty" in result.stderr
    assert "note:" not in result.stderr  # the missing paconn is beside the point here


def test_a_dry_run_without_paconn_notes_it_after_staging(
    package: Path, monkeypatch: pytest.MonkeyPatch, staging_in_tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = CliRunner().invoke(
        main, ["publish", "-e", "env", "--dry-run", "--package", str(package)]
    )
    assert result.exit_code == 0, result.output
    assert "note: " in result.stderr
    assert "paconn" in result.stderr.split("note: ", 1)[1]


def test_a_paconn_that_cannot_start_exits_2_and_cleans_up(
    package: Path, fake_paconn: Path, staging_in_tmp_path: Path
) -> None:
    script = fake_paconn.parent / "bin" / "paconn"
    script.write_text("#!/nonexistent/python\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["publish", "-e", "env", "--package", str(package)])
    assert result.exit_code == 2
    assert f"Error: {script}: cannot be run" in result.stderr
    assert "Traceback" not in result.output
    assert not list(staging_in_tmp_path.iterdir())
