"""Lint configuration from pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from retarus_connector.lint.config import ConfigError, LintConfig, find_pyproject, load_config
from retarus_connector.lint.model import Profile, Severity


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[tool.retarus-connector.lint]\nprofile = "custom"\nfail-on = "info"\n'
        'select = ["structure"]\nignore = "ref-target"\n',
    )
    assert load_config(path) == LintConfig(
        Profile.CUSTOM, Severity.INFO, ("structure",), ("ref-target",), path
    )


def test_a_file_without_the_table_is_an_empty_configuration(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "[project]\nname = 'x'\n")) == LintConfig()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('profile = "gold"', "unknown profile 'gold'"),
        ('fail-on = "fatal"', "unknown severity 'fatal'"),
        ('fail_on = "error"', r"unknown key\(s\) fail_on"),
        ("select = [1]", "select must be a list"),
        ("profile = 1", "profile must be a string"),
    ],
)
def test_bad_values_name_the_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, f"[tool.retarus-connector.lint]\n{body}\n")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("body", "table"),
    [
        ("[tool]\nretarus-connector = []\n", "tool.retarus-connector"),
        ("[tool.retarus-connector]\nlint = 1\n", "tool.retarus-connector.lint"),
        ("tool = 'x'\n", "tool"),
    ],
)
def test_a_table_of_another_type_is_a_config_error(tmp_path: Path, body: str, table: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: [{table}] must be a table"


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[tool\n"))


def test_find_pyproject_looks_upwards(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_pyproject(tmp_path / "a" / "b") == path


def test_the_repository_configures_the_certified_profile(repository_root: Path) -> None:
    config = load_config(repository_root / "pyproject.toml")
    assert config.profile == Profile.CERTIFIED
    assert config.fail_on == Severity.WARNING
