"""One lint run as the command asks for it: find the packages, give each the configuration of
its nearest pyproject.toml merged under the command line, lint each group of packages that
share settings, and put the reports together.

Everything here raises `LintUsageError` for what the user must change (an unknown rule, an
empty selection, a bad configuration file, a path that is not there) and never prints.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from retarus_connector.lint import engine
from retarus_connector.lint.config import (
    CommandLine,
    ConfigError,
    LintConfig,
    Settings,
    load_config,
    merge,
    nearest_config,
)
from retarus_connector.lint.engine import LintReport, LintUsageError, PackageSource
from retarus_connector.lint.model import Finding, Rule

# the files that make a folder a connector package, for a bare `lint` outside a checkout
_PACKAGE_MARKERS = ("apiDefinition.swagger.json", "apiProperties.json")


class Group(NamedTuple):
    """Packages linted with the same settings, and what they found."""

    settings: Settings
    rules: tuple[Rule, ...]
    report: LintReport


class LintRun:
    """The reports of every group, put together: `report` holds every finding in the usual
    order, `rules` every rule enabled in some group (registry order)."""

    __slots__ = ("groups", "sources", "suppressed")

    def __init__(self, sources: list[PackageSource]) -> None:
        self.groups: list[Group] = []
        # every package linted, for `--fix` to find the files behind the findings
        self.sources = sources
        # findings left out because the baseline records them
        self.suppressed = 0

    @property
    def rules(self) -> tuple[Rule, ...]:
        enabled = {rule.id for group in self.groups for rule in group.rules}
        return tuple(rule for rule in engine.registry() if rule.id in enabled)

    @property
    def report(self) -> LintReport:
        if len(self.groups) == 1:  # as nearly every run: its report is in order already
            return self.groups[0].report
        findings: list[Finding] = [f for group in self.groups for f in group.report.findings]
        findings.sort(key=engine.sort_key)
        return LintReport(
            findings,
            packages=sum(group.report.packages for group in self.groups),
            files=sum(group.report.files for group in self.groups),
        )

    def failed(self) -> bool:
        """Whether a finding reaches the `fail-on` of its own package's settings."""
        return any(group.report.reaches(group.settings.fail_on) for group in self.groups)


def default_paths(cwd: Path, repository: Path | None) -> list[Path]:
    """What a bare `lint` checks: this project's checkout when run inside one, else the working
    folder when it is a connector package itself. Anywhere else linting the whole tree below
    would be a surprise (a home folder, a disk), so it is a usage error."""
    if repository is not None:
        here = cwd.resolve()
        if repository == here:
            return [Path(".")]
        if repository.is_relative_to(here):
            return [repository.relative_to(here)]
        return [repository]
    if any((cwd / name).is_file() for name in _PACKAGE_MARKERS):
        return [Path(".")]
    raise LintUsageError(
        f"no PATH given and {cwd} is not a connector package (no apiDefinition.swagger.json or"
        " apiProperties.json in it); give the package folder or a tree of packages as PATH"
    )


def enabled(settings: Settings) -> tuple[Rule, ...]:
    """The rules the settings enable; a selection that leaves no rule is a usage error."""
    options = engine.LintOptions(
        profile=settings.profile, select=settings.select, ignore=settings.ignore
    )
    rules = engine.enabled_rules(options)
    if not any(rule.id != engine.rule_crashed.id for rule in rules):
        where = f" (configuration {settings.source})" if settings.source else ""
        raise LintUsageError(
            "no rule is selected: --ignore removes every rule that --select chose" + where
        )
    return rules


def run(
    paths: Sequence[Path],
    command_line: CommandLine,
    *,
    config_file: Path | None = None,
    jobs: int | None = None,
    cache: Path | None = None,
    baseline: Path | None = None,
    cwd: Path | None = None,
) -> LintRun:
    """Lint the packages under `paths`, each with its nearest configuration (or `config_file`
    for all) under the command line; with a baseline, only the findings it does not record
    are kept (file names in findings are relative to `cwd`, the working folder)."""
    known = None
    if baseline is not None:
        # only a run with --baseline reads one (and the module imports the file writer)
        from retarus_connector.lint import baseline as baseline_file

        known = baseline_file.load(baseline)
    if command_line.select is not None and not command_line.select:
        raise LintUsageError("--select names no rule; leave it out to run every rule")
    explicit: LintConfig | None = None
    if config_file is not None:
        explicit = _load(config_file)
    sources = engine.collect(list(paths))
    configs: dict[Path, LintConfig | None] = {}
    grouped: dict[Path | None, tuple[LintConfig | None, list[PackageSource]]] = {}
    for source in sources:
        config = explicit if config_file is not None else _nearest(source.root, configs)
        key = config.source if config is not None else None
        grouped.setdefault(key, (config, []))[1].append(source)
    result = LintRun(list(sources))
    for key in sorted(grouped, key=lambda path: "" if path is None else str(path)):
        config, members = grouped[key]
        settings = merge(command_line, config)
        rules = enabled(settings)
        options = engine.LintOptions(
            profile=settings.profile,
            select=settings.select,
            ignore=settings.ignore,
            jobs=jobs,
            cache=cache,
        )
        report = engine.lint_sources(members, options)
        if known is not None and baseline is not None:
            where = cwd if cwd is not None else Path.cwd()
            result.suppressed += baseline_file.subtract(
                report, known, baseline.resolve().parent, where
            )
        result.groups.append(Group(settings, rules, report))
    return result


def settings_here(command_line: CommandLine, cwd: Path, config_file: Path | None) -> Settings:
    """The settings that apply in the working folder (for `--list-rules` and `--explain`)."""
    config = _load(config_file) if config_file is not None else _nearest(cwd, {})
    return merge(command_line, config)


def _load(path: Path) -> LintConfig:
    try:
        return load_config(path)
    except ConfigError as error:
        raise LintUsageError(str(error)) from None


def _nearest(start: Path, known: dict[Path, LintConfig | None]) -> LintConfig | None:
    try:
        return nearest_config(start, known)
    except ConfigError as error:
        raise LintUsageError(str(error)) from None
