"""Lint settings from `pyproject.toml`, table `[tool.retarus-connector.lint]`.

    [tool.retarus-connector.lint]
    profile = "certified"           # certified | independent-publisher | custom
    fail-on = "warning"             # error | warning | info
    select = ["info", "operation-summary-required"]   # rule ids or family names
    ignore = ["readme-sections"]

Options given on the command line win over these.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retarus_connector.lint.model import Profile, Severity
from retarus_connector.lint.profiles import parse_profile

TABLE = ("tool", "retarus-connector", "lint")
KEYS = ("profile", "fail-on", "select", "ignore")


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class LintConfig:
    """`source` is the file it came from, None when no file had the table."""

    profile: Profile | None = None
    fail_on: Severity | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    source: Path | None = None


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml in `start` or a folder above it."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path) -> LintConfig:
    """The lint table of one TOML file; an empty configuration when the table is absent."""
    import tomllib

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    table: Any = document
    for depth, part in enumerate(TABLE, start=1):
        table = table.get(part)
        if table is None:
            return LintConfig()
        if not isinstance(table, dict):
            # `tool.retarus-connector = 1` would otherwise hide the lint table silently
            raise ConfigError(f"{path}: [{'.'.join(TABLE[:depth])}] must be a table")
    where = f"{path}: [{'.'.join(TABLE)}]"
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(
            f"{where} has unknown key(s) {', '.join(unknown)}; known: {', '.join(KEYS)}"
        )
    profile = None
    if "profile" in table:
        try:
            profile = parse_profile(_string(table, "profile", where))
        except ValueError as error:
            raise ConfigError(f"{where} profile: {error}") from None
    fail_on = None
    if "fail-on" in table:
        value = _string(table, "fail-on", where)
        try:
            fail_on = Severity(value)
        except ValueError:
            choices = ", ".join(severity.value for severity in Severity)
            raise ConfigError(
                f"{where} fail-on: unknown severity {value!r}; choose one of {choices}"
            ) from None
    return LintConfig(
        profile=profile,
        fail_on=fail_on,
        select=_names(table, "select", where),
        ignore=_names(table, "ignore", where),
        source=path,
    )


def _string(table: dict[str, Any], key: str, where: str) -> str:
    value = table[key]
    if not isinstance(value, str):
        raise ConfigError(f"{where} {key} must be a string, not {type(value).__name__}")
    return value


def _names(table: dict[str, Any], key: str, where: str) -> tuple[str, ...] | None:
    if key not in table:
        return None
    value = table[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} {key} must be a list of rule ids or family names")
    return tuple(value)
