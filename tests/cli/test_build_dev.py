"""`retarus-connector build --out DIR --host HOST`: the development variant from the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from retarus_connector.cli import main

ROOT_PACKAGE = ["apiDefinition.swagger.json", "apiProperties.json", "icon.png", "settings.json"]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", *args])
    return result.exit_code, result.stdout, result.stderr


def _swagger(folder: Path) -> Any:
    return json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8"))


def _de2_url(folder: Path) -> str:
    """Where the folder's custom code sends a read for de2."""
    script = (folder / "script.csx").read_text(encoding="utf-8")
    match = re.search(r'\{ "de2", "([^"]+)" \}', script)
    assert match is not None
    return match.group(1)


def test_dev_build_writes_a_variant_folder(tmp_path: Path) -> None:
    code, out, _ = _run("--out", str(tmp_path), "--host", "abc.tunnel.example")
    assert code == 0
    assert out.count("wrote ") == 6
    swagger = _swagger(tmp_path)
    assert swagger["host"] == "abc.tunnel.example"
    assert swagger["basePath"] == "/rest/v1"
    assert swagger["schemes"] == ["https"]
    assert swagger["info"]["title"] == "Retarus SMS Dev"
    assert _de2_url(tmp_path) == "https://abc.tunnel.example/de2/rest/v1"
    assert (tmp_path / "readme.md").read_text(encoding="utf-8").startswith("# Retarus SMS Dev\n")
    code, out, _ = _run("--out", str(tmp_path), "--host", "abc.tunnel.example")
    assert (code, out.strip()) == (0, f"The package in {tmp_path} is already up to date.")


def test_scheme_and_base_path_options(tmp_path: Path) -> None:
    options = ["--host", "127.0.0.1:8080", "--scheme", "http", "--base-path", "/rest/v1"]
    code, _, err = _run("--out", str(tmp_path), *options)
    assert code == 0, err
    assert _swagger(tmp_path)["schemes"] == ["http"]
    assert _de2_url(tmp_path) == "http://127.0.0.1:8080/de2/rest/v1"


def test_check_with_host_compares_against_the_variant(tmp_path: Path) -> None:
    _run("--out", str(tmp_path), "--host", "a.example")
    code, out, _ = _run("--out", str(tmp_path), "--host", "a.example", "--check")
    assert code == 0
    assert "matches the models" in out
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    code, _, err = _run("--out", str(tmp_path), "--host", "b.example", "--check")
    assert code == 1
    assert f"{tmp_path / 'apiDefinition.swagger.json'}: differs" in err
    assert f"{tmp_path / 'script.csx'}: differs" in err
    assert "icon.png" not in err
    code, _, err = _run("--out", str(tmp_path), "--check")  # the release differs from it too
    assert code == 1
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_host_without_out_is_a_usage_error(repository_root: Path) -> None:
    before = {name: (repository_root / name).read_bytes() for name in ROOT_PACKAGE}
    code, out, err = _run("--host", "abc.tunnel.example")
    assert code == 2
    assert "--host needs --out" in err
    assert out == ""
    assert {name: (repository_root / name).read_bytes() for name in ROOT_PACKAGE} == before


def test_host_with_the_repository_as_out_is_refused(repository_root: Path) -> None:
    before = {name: (repository_root / name).read_bytes() for name in ROOT_PACKAGE}
    code, _, err = _run("--out", str(repository_root), "--host", "abc.tunnel.example")
    assert code == 2
    assert "this is the repository" in err
    assert {name: (repository_root / name).read_bytes() for name in ROOT_PACKAGE} == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-path", "/x"], "--base-path needs --host"),
        (["--scheme", "http"], "--scheme needs --host"),
        (["--host", "https://abc.example"], "--host 'https://abc.example': give the host name"),
        (["--host", "a.example", "--base-path", "v1"], "--base-path 'v1' must start with /"),
        (["--host", "a.example", "--scheme", "ftp"], "'ftp' is not one of"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = _run("--out", str(tmp_path / "dev"), *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "dev").exists()


def test_release_build_with_out_is_unchanged(tmp_path: Path) -> None:
    code, _, _ = _run("--out", str(tmp_path))
    assert code == 0
    swagger = _swagger(tmp_path)
    assert swagger["host"] == "sms4a.eu.retarus.com"
    assert swagger["info"]["title"] == "Retarus SMS"
