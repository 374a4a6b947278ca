"""Lint settings from `pyproject.toml`, table `[tool.retarus-connector.lint]`.

    [tool.retarus-connector.lint]
    profile = "certified"           # certified | independent-publisher | custom
    fail-on = "warning"             # error | warning | info
    select = ["info", "operation-summary-required"]   # rule ids or family names
    ignore = ["readme-sections"]

Each linted package takes the table of the nearest `pyproject.toml` at or above its folder
that has one (as ruff does: a pyproject.toml without the table is passed over), unless
`--config FILE` names one file for every package. Options given on the command line win over
the file; the file wins over the defaults.
"""

from pathlib import Path
from typing import Any, NamedTuple

from retarus_connector.lint.model import Profile, Severity
from retarus_connector.lint.profiles import DEFAULT_PROFILE, parse_profile

TABLE = ("tool", "retarus-connector", "lint")
KEYS = ("profile", "fail-on", "select", "ignore")


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file and the key."""


class LintConfig(NamedTuple):
    """`source` is the file it came from, None when no file had the table."""

    profile: Profile | None = None
    fail_on: Severity | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    source: Path | None = None


class CommandLine(NamedTuple):
    """What the command line says about a run; None where it says nothing."""

    profile: Profile | None = None
    fail_on: Severity | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None


class Settings(NamedTuple):
    """The merged settings of a group of packages: the command line over the file over the
    defaults. `source` is the file the table came from, None without one."""

    profile: Profile
    fail_on: Severity
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    source: Path | None


def merge(command_line: CommandLine, config: LintConfig | None) -> Settings:
    """The command line wins over the configuration file, which wins over the defaults."""
    config = config or LintConfig()
    return Settings(
        profile=command_line.profile or config.profile or DEFAULT_PROFILE,
        fail_on=command_line.fail_on or config.fail_on or Severity.ERROR,
        select=command_line.select if command_line.select is not None else config.select,
        ignore=command_line.ignore if command_line.ignore is not None else (config.ignore or ()),
        source=config.source,
    )


def nearest_config(
    start: Path, known: dict[Path, LintConfig | None] | None = None
) -> LintConfig | None:
    """The lint table of the nearest pyproject.toml at or above `start` (a folder, or a file's
    folder) that has one; None when no file up to the root has it. `known` remembers the
    answer of each folder for the rest of a run (packages of one tree share their parents)."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    known = {} if known is None else known
    visited: list[Path] = []
    found: LintConfig | None = None
    for folder in (here, *here.parents):
        if folder in known:
            found = known[folder]
            break
        visited.append(folder)
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            config = load_config(candidate)
            if config.source is not None:
                found = config
                break
    for folder in visited:
        known[folder] = found
    return found


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
    names = tuple(name.strip() for item in value for name in item.split(",") if name.strip())
    if key == "select" and not names:
        # an empty selection would run nothing, which no one asks for on purpose
        raise ConfigError(f"{where} select names no rule; leave it out to run every rule")
    return names
