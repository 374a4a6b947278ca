"""`retarus-connector lint`: check connector packages offline against the certification rules."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from retarus_connector.cli.options import file_option, format_option, output_option, usage_error

if TYPE_CHECKING:  # imported when a command runs, so that `--help` stays quick
    from retarus_connector.lint import run
    from retarus_connector.lint.config import CommandLine
    from retarus_connector.lint.model import Rule


_Decorated = TypeVar("_Decorated", bound=Callable[..., Any])


def _rules_option(name: str, action: str) -> Callable[[_Decorated], _Decorated]:
    """`--select` or `--ignore`: rule ids and family names, which `_names` reads."""
    return click.option(
        name,
        multiple=True,
        metavar="RULES",
        help=f"{action} rule ids or families (comma-separated, repeatable).",
    )


def _names(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """Repeated and comma-separated rule ids and family names; None when the option was not
    given, an empty tuple when it was given empty (`--select ""`)."""
    if not values:
        return None
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


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
@_rules_option("--select", "Run only these")
@_rules_option("--ignore", "Skip these")
@format_option("text", "json", "sarif", "github")
@output_option
@file_option(
    "--config",
    "config_file",
    "TOML file with a [tool.retarus-connector.lint] table for every package "
    "[default: each package's nearest pyproject.toml that has the table].",
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
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule has, per severity, instead of the findings "
    "(text or json).",
)
@file_option(
    "--baseline", "baseline_file", "Report only findings that the baseline FILE does not record."
)
@file_option(
    "--write-baseline",
    "new_baseline",
    "Record today's findings in FILE (by rule, file and JSON pointer) and exit 0.",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite what file-bom, swagger-non-ascii and file-line-endings report, when the "
    "file keeps its meaning (JSON files must parse to the same value), then report the rest.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="With --fix: print the changes as a unified diff and write nothing.",
)
@click.option(
    "--explain", metavar="RULE", default=None, help="Print a rule's (or family's) documentation."
)
@click.option("--list-rules", is_flag=True, help="List every rule with its severity and summary.")
def command(
    paths: tuple[Path, ...],
    profile: str | None,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    output_file: Path | None,
    config_file: Path | None,
    jobs: int | None,
    no_cache: bool,
    statistics: bool,
    baseline_file: Path | None,
    new_baseline: Path | None,
    fix: bool,
    show_diff: bool,
    explain: str | None,
    list_rules: bool,
) -> None:
    """Lint connector packages offline.

    PATH is a connector folder (apiDefinition.swagger.json with apiProperties.json, icon.png,
    readme.md, script.csx, settings.json), a single swagger or apiProperties file, or a folder
    tree in which every folder holding an apiDefinition.swagger.json is a package. Without
    PATH: the repository root in a checkout of this project, else the working folder when it
    is a connector package. Each package takes the settings of its nearest pyproject.toml with
    a [tool.retarus-connector.lint] table; options on the command line win. Exit status: 0
    when no finding reaches --fail-on, 1 when one does, 2 for a usage error.
    """
    from retarus_connector.lint import run
    from retarus_connector.lint.cache import default_directory
    from retarus_connector.lint.config import CommandLine
    from retarus_connector.lint.engine import LintUsageError
    from retarus_connector.lint.model import Profile, Severity

    command_line = CommandLine(
        profile=Profile(profile) if profile else None,
        fail_on=Severity(fail_on) if fail_on else None,
        select=_names(select),
        ignore=_names(ignore),
    )
    try:
        if explain is not None or list_rules:
            _document_rules(command_line, config_file, explain, output_format, output_file)
            return
        _check_combinations(output_format, statistics, baseline_file, new_baseline)
        if show_diff and not fix:
            usage_error("--diff shows what --fix would change; give both")
        cwd = Path.cwd()
        targets = paths or _default_paths(cwd)

        def lint_once() -> run.LintRun:
            return run.run(
                targets,
                command_line,
                config_file=config_file,
                jobs=jobs,
                cache=None if no_cache else default_directory(),
                baseline=baseline_file,
                cwd=cwd,
            )

        with _collector_paused():
            result = _run(lint_once, fix, show_diff)
            if result is None:
                return
            if new_baseline is not None:
                _write_baseline(result, new_baseline, cwd)
                return
            _report(result, output_format, output_file, statistics, baseline_file)
            failed = result.failed()
    except LintUsageError as error:
        usage_error(str(error))
    if failed:
        raise SystemExit(1)


def _check_combinations(
    output_format: str, statistics: bool, baseline: Path | None, new_baseline: Path | None
) -> None:
    if statistics and output_format not in ("text", "json"):
        usage_error(f"--statistics prints text or json, not {output_format}")
    if baseline is not None and new_baseline is not None:
        usage_error("give --baseline or --write-baseline, not both")


def _default_paths(cwd: Path) -> tuple[Path, ...]:
    """What is linted without PATH: this project's package in a checkout, else `cwd`'s."""
    from retarus_connector.lint import run
    from retarus_connector.paths import repository_root

    root = repository_root()
    in_checkout = (root / "tools" / "retarus_connector").is_dir()
    return tuple(run.default_paths(cwd, root if in_checkout else None))


def _run(lint_once: Callable[[], run.LintRun], fix: bool, show_diff: bool) -> run.LintRun | None:
    """The run, after the fixes when --fix asks for them; None when --diff showed them."""
    result = lint_once()
    if fix:
        if not _fix(result, show_diff):
            return None
        result = lint_once()  # what is left after the fixes
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cycle collector paused, and resumed afterwards (the command may run inside another
    program). The parsed documents and the findings are trees of plain data without reference
    cycles: the collector would only walk them again and again (about 5% of a large run), and
    resumed before the report it would walk everything the run left once more."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _write_baseline(result: run.LintRun, new_baseline: Path, cwd: Path) -> None:
    from retarus_connector.lint import baseline

    recorded = baseline.write(new_baseline, result.report, cwd)
    click.echo(f"wrote {new_baseline}: {recorded} findings recorded", err=True)


def _report(
    result: run.LintRun,
    output_format: str,
    output_file: Path | None,
    statistics: bool,
    baseline_file: Path | None,
) -> None:
    """Print the findings (or --statistics) or write them to --output."""
    if statistics:
        from retarus_connector.lint import statistics as statistics_format

        rendered = statistics_format.render(output_format, result.report)
    else:
        from retarus_connector.lint.formats import render

        rendered = render(output_format, result.report, result.rules)
    # A lone surrogate (a "\ud800" escape in a linted key or value, a file name that is not
    # UTF-8) has no UTF-8 bytes; it is shown as its escape, which in json and sarif output is
    # the JSON escape of the same text
    output = rendered.encode("utf-8", "backslashreplace")
    _emit(output, output_format, output_file)
    if baseline_file is not None:
        click.echo(
            f"{result.suppressed} finding{'s' if result.suppressed != 1 else ''} suppressed by"
            f" the baseline {baseline_file}",
            err=True,
        )


def _fix(result: run.LintRun, show_diff: bool) -> bool:
    """Fix what can be fixed (or show it); whether the run should go on to report."""
    from retarus_connector.lint import fix
    from retarus_connector.lint.engine import LintUsageError
    from retarus_connector.lint.writing import WriteFailed

    planned = fix.plan(result.report, result.sources)
    for display, why in planned.skipped:
        click.echo(f"not fixed {display}: {why}", err=True)
    if show_diff:
        click.echo(planned.diff().encode("utf-8", "backslashreplace"), nl=False)
        for done in planned.fixes:
            click.echo(f"would fix {done.display}: {', '.join(done.rules)}", err=True)
        return False
    try:
        planned.write()
    except WriteFailed as error:
        raise LintUsageError(str(error)) from None
    for done in planned.fixes:
        click.echo(f"fixed {done.display}: {', '.join(done.rules)}", err=True)
    return True


def _emit(output: bytes, output_format: str, output_file: Path | None) -> None:
    if output_file is not None:
        from retarus_connector.lint.engine import LintUsageError
        from retarus_connector.lint.writing import WriteFailed, write_atomically

        try:
            write_atomically(output_file, output)
        except WriteFailed as error:
            raise LintUsageError(f"--output {error}") from None
    elif output_format in ("json", "sarif"):
        # JSON escapes every control character, so there is no terminal code for click to
        # strip; as UTF-8 bytes the text skips that scan (a large tree's report is megabytes)
        click.echo(output, nl=False)
    else:
        click.echo(output.decode("utf-8"), nl=False)


def _document_rules(
    command_line: CommandLine,
    config_file: Path | None,
    explain: str | None,
    output_format: str,
    output_file: Path | None,
) -> None:
    """`--explain` and `--list-rules`, in text or json, under the profile that applies here."""
    import json

    from retarus_connector.lint import docs, engine, run

    if output_format not in ("text", "json"):
        usage_error(f"--explain and --list-rules print text or json, not {output_format}")
    settings = run.settings_here(command_line, Path.cwd(), config_file)
    shown = command_line.profile or (settings.profile if settings.source else None)
    if explain is not None:
        rules = _explained(explain)
        if output_format == "json":
            data = [docs.explain_data(rule, shown) for rule in rules]
            text = json.dumps(data[0] if len(data) == 1 else data, indent=2) + "\n"
        else:
            text = "\n".join(docs.explain(rule, shown) for rule in rules)
    elif output_format == "json":
        text = json.dumps(docs.rule_list_data(engine.registry(), shown), indent=2) + "\n"
    else:
        text = docs.rule_list(engine.registry(), shown)
    _emit(text.encode("utf-8"), output_format, output_file)


def _explained(name: str) -> list[Rule]:
    """The rule called `name`, or every rule of the family called so (as --select takes)."""
    from retarus_connector.lint import engine

    found = engine.find_rule(name)
    if found is not None:
        return [found]
    family = [rule for rule in engine.registry() if rule.family == name]
    if family:
        return family
    usage_error(f"unknown rule or family {name!r} (see `retarus-connector lint --list-rules`)")
