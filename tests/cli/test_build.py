"""`retarus-connector build` through click: writing, --check, --out and error exits."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from retarus_connector.cli import main

FILES = {
    "apiDefinition.swagger.json",
    "apiProperties.json",
    "icon.png",
    "script.csx",
    "settings.json",
    "readme.md",
}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", *args])
    return result.exit_code, result.stdout, result.stderr


def test_build_writes_a_connector_folder_then_reports_it_up_to_date(tmp_path: Path) -> None:
    target = tmp_path / "out"
    code, out, _ = _run("--out", str(target))
    assert code == 0
    assert {path.name for path in target.iterdir()} == FILES
    assert out.count("wrote ") == len(FILES)
    code, out, _ = _run("--out", str(target))
    assert (code, out.strip()) == (0, f"The package in {target} is already up to date.")


def test_check_passes_on_a_fresh_build(tmp_path: Path) -> None:
    _run("--out", str(tmp_path))
    code, out, _ = _run("--out", str(tmp_path), "--check")
    assert code == 0
    assert "matches the models" in out


def test_check_fails_on_a_hand_edited_artifact_and_names_it(tmp_path: Path) -> None:
    _run("--out", str(tmp_path))
    properties = tmp_path / "apiProperties.json"
    properties.write_text(properties.read_text().replace("#003a70", "#123456"))
    edited = properties.read_bytes()
    code, _, err = _run("--out", str(tmp_path), "--check")
    assert code == 1
    assert f"{properties}: differs from what the models produce" in err
    assert "icon.png" not in err
    assert properties.read_bytes() == edited, "--check writes nothing"


def test_check_writes_nothing_into_an_empty_folder(tmp_path: Path) -> None:
    code, _, err = _run("--out", str(tmp_path), "--check")
    assert code == 1
    assert list(tmp_path.iterdir()) == []
    for name in FILES:
        assert f"{tmp_path / name}: missing" in err


def test_an_out_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = _run("--out", str(blocker))
    assert code == 2
    assert str(blocker) in err
    assert "is a file" in err


def test_an_unwritable_target_exits_2_with_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    target = blocker / "package"
    code, _, err = _run("--out", str(target))
    assert code == 2
    assert err.startswith(f"Error: {target}: cannot create the folder")
    assert "no file was changed" in err
    assert "Traceback" not in err


def test_an_upper_case_readme_stops_the_build_without_writing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    code, _, err = _run("--out", str(tmp_path))
    assert code == 2
    assert "README.md" in err
    assert [path.name for path in tmp_path.iterdir()] == ["README.md"]


def _checkout_like(folder: Path) -> Path:
    """A folder the build treats as a checkout of this project, with a stale README.md and a
    stale lint page."""
    (folder / "tools" / "retarus_connector").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (folder / "docs").mkdir()
    for path, block in (("README.md", "connector-readme"), ("docs/lint.md", "lint-rules")):
        stale = f"<!-- BEGIN GENERATED: {block} -->\nstale\n<!-- END GENERATED: {block} -->\n\n"
        (folder / path).write_text(f"# Title\n\n{stale}## Guide\nkept\n", encoding="utf-8")
    return folder


def test_build_in_a_checkout_refreshes_the_readme_and_the_lint_rules_table(
    tmp_path: Path,
) -> None:
    from retarus_connector.lint import docs, engine

    checkout = _checkout_like(tmp_path)
    runner = CliRunner()
    stale = runner.invoke(main, ["build", "--check", "--out", str(checkout)])
    assert stale.exit_code == 1
    assert "README.md" in stale.output
    assert str(Path("docs", "lint.md")) in stale.output

    built = runner.invoke(main, ["build", "--out", str(checkout)])
    assert built.exit_code == 0
    assert "docs/lint.md" in built.output
    page = (checkout / "docs" / "lint.md").read_text(encoding="utf-8")
    assert docs.rules_table(engine.registry()) in page
    for text in (page, (checkout / "README.md").read_text(encoding="utf-8")):
        assert "stale" not in text
        assert text.endswith("## Guide\nkept\n")
    assert runner.invoke(main, ["build", "--check", "--out", str(checkout)]).exit_code == 0


@pytest.mark.parametrize("check", [False, True])
def test_without_out_outside_a_checkout_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check: bool
) -> None:
    # another connector's folder, where the toolkit is installed to lint: the Retarus
    # package must not replace that connector's files
    theirs = b'{"swagger": "2.0", "info": {"title": "Contoso"}}\n'
    (tmp_path / "apiDefinition.swagger.json").write_bytes(theirs)
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(*(["--check"] if check else []))
    assert code == 2
    assert out == ""
    assert f"no checkout of retarus-connector in {tmp_path} or above it" in err
    assert "--out" in err
    assert [path.name for path in tmp_path.iterdir()] == ["apiDefinition.swagger.json"]
    assert (tmp_path / "apiDefinition.swagger.json").read_bytes() == theirs


def test_without_out_in_a_subfolder_of_a_checkout_builds_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = _checkout_like(tmp_path)
    monkeypatch.chdir(checkout / "tools")
    code, _, _ = _run()
    assert code == 0
    assert (checkout / "apiDefinition.swagger.json").is_file()
    assert not (checkout / "tools" / "apiDefinition.swagger.json").exists()


def test_check_of_an_unreadable_file_asks_for_its_permissions_not_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run("--out", str(tmp_path))
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "icon.png":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, _, err = _run("--out", str(tmp_path), "--check")
    assert code == 1
    assert f"{tmp_path / 'icon.png'}: cannot be read (Permission denied)" in err
    assert "files that cannot be read, then check again" in err
    assert "to regenerate" not in err


def test_check_with_an_edited_and_an_unreadable_file_gives_both_advices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run("--out", str(tmp_path))
    (tmp_path / "settings.json").write_text("{}")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "icon.png":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, _, err = _run("--out", str(tmp_path), "--check")
    assert code == 1
    assert "to regenerate" in err
    assert "files that cannot be read, then check again" in err


def test_check_advises_the_build_with_the_same_options(tmp_path: Path) -> None:
    folder = tmp_path / "dev package"
    _run("--out", str(folder), "--host", "localhost:8080", "--scheme", "http")
    (folder / "apiProperties.json").write_text("{}")
    code, _, err = _run(
        "--out", str(folder), "--host", "localhost:8080", "--scheme", "http", "--check"
    )
    assert code == 1
    assert (
        f"Run `retarus-connector build --out '{folder}' --host localhost:8080 --scheme http`"
        " to regenerate them." in err
    )


def _other_connector(folder: Path, swagger: bytes) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "apiDefinition.swagger.json": swagger,
        "apiProperties.json": b'{"properties": {"publisher": "Contoso"}}',
        "readme.md": b"# Contoso Mail\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


@pytest.mark.parametrize(
    ("swagger", "found"),
    [
        (
            b'{"swagger": "2.0", "info": {"title": "Contoso Mail", "version": "1.0"}}',
            "'Contoso Mail'",
        ),
        (b'{"swagger": "2.0", "info": {"version": "1.0"}}', "a swagger without a title"),
        (b"{not json", "a swagger without a title"),
    ],
)
def test_out_refuses_a_folder_holding_another_connector_unless_forced(
    tmp_path: Path, swagger: bytes, found: str
) -> None:
    target = tmp_path / "contoso"
    files = _other_connector(target, swagger)
    code, out, err = _run("--out", str(target))
    assert code == 2
    assert out == ""
    assert str(target / "apiDefinition.swagger.json") in err
    assert found in err
    assert "'Retarus SMS'" in err
    assert "--force" in err
    assert {path.name: path.read_bytes() for path in target.iterdir()} == files
    code, out, _ = _run("--out", str(target), "--force")
    assert code == 0
    assert b'"Retarus SMS"' in (target / "apiDefinition.swagger.json").read_bytes()
    assert _run("--out", str(target))[0] == 0, "ours now, so no --force is needed"


def test_a_development_build_over_the_release_needs_force(tmp_path: Path) -> None:
    assert _run("--out", str(tmp_path))[0] == 0
    code, _, err = _run("--out", str(tmp_path), "--host", "127.0.0.1:8080")
    assert code == 2
    assert "'Retarus SMS', not 'Retarus SMS Dev'" in err
    assert _run("--out", str(tmp_path), "--host", "127.0.0.1:8080", "--force")[0] == 0
