"""Every command reports a usage error the same way: click's usage message on standard error,
`Error: ...` naming what is wrong, exit status 2, nothing on standard output, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from retarus_connector.cli import COMMAND_MODULES, main


def bad_invocations(tmp_path: Path) -> dict[str, list[list[str]]]:
    missing = str(tmp_path / "missing.json")
    return {
        "build": [["--scheme", "ftp"], ["--base-path", "/x"]],
        "lint": [["--select", ""], [str(tmp_path / "missing")], ["--explain", "nothing"]],
        "diff": [["only-one.json"], [missing, missing]],
        "mock": [["--port", "70000"], ["--username", ""]],
        "call": [["GetJob", "-p", "novalue"], ["GetJob", "--package", str(tmp_path / "none")]],
        "package": [["--out", str(tmp_path / "file" / "dist")]],
        "solution": [
            ["--out", str(tmp_path / "file" / "dist")],
            ["--check", "--out", str(tmp_path / "file")],
        ],
        "certification": [["--out", str(tmp_path / "file" / "dist")]],
        "publish": [["-e", "env", "--package", str(tmp_path / "none")]],
    }


def test_every_command_is_covered(tmp_path: Path) -> None:
    assert set(bad_invocations(tmp_path)) == set(COMMAND_MODULES)


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_usage_errors_exit_2_the_same_way(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("a file where a folder belongs", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for arguments in bad_invocations(tmp_path)[name]:
        result = CliRunner().invoke(main, [name, *arguments])
        assert result.exit_code == 2, (arguments, result.output)
        assert result.stdout == "", arguments
        assert result.stderr.startswith(f"Usage: main {name}") or result.stderr.startswith(
            f"Usage: retarus-connector {name}"
        ), (arguments, result.stderr)
        assert "\nError: " in result.stderr, arguments
        assert "Traceback" not in result.stderr


def test_a_command_whose_module_is_absent_is_an_unknown_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import retarus_connector.cli as cli

    monkeypatch.setitem(cli.COMMAND_MODULES, "vanished", "no_such_module")
    result = CliRunner().invoke(main, ["vanished"])
    assert result.exit_code == 2
    assert "No such command 'vanished'" in result.output
    listing = CliRunner().invoke(main, ["--help"])
    assert "vanished" not in listing.output
    assert "lint" in listing.output
