"""`retarus-connector lint`: check connector packages offline against the certification rules."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import click

from retarus_connector.cli.options import format_option


def _names(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """Repeated and comma-separated rule ids and family names, or None when none were given."""
    names = tuple(name.strip() for value in values for name in value.split(",") if name.strip())
    return names or None


def _default_path() -> Path:
    from retarus_connector.paths import repository_root

    root = repository_root()
    here = Path.cwd().resolve()
    if root == here:
        return Path(".")
    if root.is_relative_to(here):
        return Path(os.path.relpath(root, here))
    return root


@click.command(name="lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--profile",
    type=click.Choice(["certified", "independent-publisher", "custom"]),
    default=None,
    help="Publishing route the rules apply for [default: certified, or the configuration].",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when a finding is at least this severe [default: error].",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Run only these rule ids or families (comma-separated, repeatable).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Skip these rule ids or families (comma-separated, repeatable).",
)
@format_option("text", "json", "sarif", "github")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML file with a [tool.retarus-connector.lint] table "
    "[default: the nearest pyproject.toml].",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to share the packages among [default: one per CPU for large trees].",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every package again instead of reusing the findings cached for unchanged "
    "packages (cache: $XDG_CACHE_HOME/retarus-connector/lint).",
)
@click.option("--explain", metavar="RULE", default=None, help="Print a rule's documentation.")
@click.option("--list-rules", is_flag=True, help="List every rule with its severity and summary.")
def command(
    paths: tuple[Path, ...],
    profile: str | None,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    config_file: Path | None,
    jobs: int | None,
    no_cache: bool,
    explain: str | None,
    list_rules: bool,
) -> None:
    """Lint connector packages offline.

    PATH is a connector folder (apiDefinition.swagger.json with apiProperties.json, icon.png,
    readme.md, script.csx, settings.json), a single swagger or apiProperties file, or a folder
    tree in which every folder holding an apiDefinition.swagger.json is a package; the default
    is the repository root. Exit status: 0 when no finding reaches --fail-on, 1 when one does,
    2 for a usage error.
    """
    from retarus_connector.lint import docs, engine
    from retarus_connector.lint.cache import default_directory
    from retarus_connector.lint.config import ConfigError, find_pyproject, load_config
    from retarus_connector.lint.formats import render
    from retarus_connector.lint.model import Profile, Severity
    from retarus_connector.lint.profiles import DEFAULT_PROFILE

    if explain is not None:
        found = engine.find_rule(explain)
        if found is None:
            raise click.UsageError(
                f"unknown rule {explain!r} (see `retarus-connector lint --list-rules`)"
            )
        click.echo(docs.explain(found), nl=False)
        return
    if list_rules:
        click.echo(docs.rule_list(engine.registry()), nl=False)
        return

    source = config_file if config_file is not None else find_pyproject(Path.cwd())
    try:
        config = load_config(source) if source is not None else None
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
    chosen_profile = Profile(profile) if profile else (config and config.profile)
    threshold = Severity(fail_on) if fail_on else (config and config.fail_on) or Severity.ERROR
    options = engine.LintOptions(
        profile=chosen_profile or DEFAULT_PROFILE,
        select=_names(select) or (config.select if config else None),
        ignore=_names(ignore) or (config.ignore if config and config.ignore else ()),
        jobs=jobs,
        cache=None if no_cache else default_directory(),
    )
    # The parsed documents are trees of plain data without reference cycles; the cycle
    # collector would only walk them again and again, so it pauses for the run (about 5% of a
    # large run's time) and resumes afterwards, as the command may run inside another program.
    collecting = gc.isenabled()
    gc.disable()
    try:
        rules = engine.enabled_rules(options)
        report = engine.lint(list(paths) or [_default_path()], options)
    except engine.LintUsageError as error:
        raise click.UsageError(str(error)) from None
    finally:
        if collecting:
            gc.enable()
    rendered = render(output_format, report, rules)
    # A lone surrogate (a "\ud800" escape in a linted key or value, a file name that is not
    # UTF-8) has no UTF-8 bytes; it is shown as its escape, which in json and sarif output is
    # the JSON escape of the same text
    output = rendered.encode("utf-8", "backslashreplace")
    if output_format in ("json", "sarif"):
        # JSON escapes every control character, so there is no terminal code for click to
        # strip; as UTF-8 bytes the text skips that scan (a large tree's report is megabytes)
        click.echo(output, nl=False)
    else:
        click.echo(output.decode("utf-8"), nl=False)
    if report.reaches(threshold):
        raise SystemExit(1)
