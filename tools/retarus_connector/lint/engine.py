"""The lint engine: finds packages under the given paths, loads them, runs the registered rules
and returns sorted findings. It never prints and never raises on a file's content; only bad
usage (a path that does not exist, an unknown rule id) raises `LintUsageError`.
"""

import functools
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from retarus_connector.core import names as package_names
from retarus_connector.core.jsonfile import read_bytes
from retarus_connector.lint.loader import document_from_bytes
from retarus_connector.lint.location import Locator
from retarus_connector.lint.model import (
    Document,
    FileKind,
    Finding,
    LoadIssue,
    Package,
    Problem,
    Profile,
    Rule,
    Severity,
    rule,
)
from retarus_connector.lint.profiles import DEFAULT_PROFILE
from retarus_connector.lint.redaction import redact_urls, shorten

FILE_NAMES: Mapping[FileKind, str] = MappingProxyType(
    {
        FileKind.SWAGGER: package_names.SWAGGER_FILE,
        FileKind.PROPERTIES: package_names.PROPERTIES_FILE,
        FileKind.ICON: package_names.ICON_FILE,
        FileKind.README: package_names.README_FILE,
        FileKind.SCRIPT: package_names.SCRIPT_FILE,
        FileKind.SETTINGS: package_names.SETTINGS_FILE,
    }
)
# file names are matched in any letter case (readme.md comes as README.md, Readme.md, ...)
_KIND_BY_NAME = MappingProxyType({name.lower(): kind for kind, name in FILE_NAMES.items()})
# folders a tree walk never enters: tool caches, virtual environments, version control
_SKIPPED_FOLDERS = r"^(\..*|__pycache__|node_modules)$"  # compiled by discover
_RULE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class LintUsageError(ValueError):
    """The lint run was asked for something impossible: the message says what and where."""


@rule("rule-crashed", Severity.ERROR, needs=())
def rule_crashed(package: Package) -> Iterator[Problem]:
    """A rule failed on this package instead of checking it.

    What: the engine caught an exception raised by a rule and reports it here, naming the rule;
    the other rules and packages are still checked.
    Why: a linter must not stop on odd input, but an unchecked rule is not a passed rule either.
    Fix: report it with the file that triggers it; meanwhile `--ignore` the named rule.
    """
    yield from ()


class PackageSource(NamedTuple):
    """Where one package's files are, before loading: kind -> (path, display path).
    `unlisted` is why a folder of the tree could not be listed (a package may be in it or
    below it); such a source has no files and stands for that folder."""

    root: Path
    display_root: str
    files: dict[FileKind, tuple[Path, str]]
    single_file: bool = False
    unlisted: str | None = None


class LintOptions(NamedTuple):
    """`select`: rule ids or family names, None for every rule; `jobs`: processes, None for
    one per CPU when there is enough to share; `cache`: folder of the findings cache, None
    for no cache."""

    profile: Profile = DEFAULT_PROFILE
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    jobs: int | None = None
    cache: Path | None = None


class LintReport(NamedTuple):
    """What a lint found (in the usual order), and how many packages and files it read."""

    findings: list[Finding]
    packages: int = 0
    files: int = 0

    def counts(self) -> dict[Severity, int]:
        counted = Counter(finding.severity for finding in self.findings)
        return {severity: counted.get(severity, 0) for severity in Severity}

    def reaches(self, threshold: Severity) -> bool:
        """Whether any finding is at least as severe as `threshold` (`--fail-on`)."""
        return any(finding.severity.rank >= threshold.rank for finding in self.findings)


# --------------------------------------------------------------------------- registry


@functools.cache
def registry() -> tuple[Rule, ...]:
    """Every rule, in family order; ids are checked to be unique and kebab-case."""
    from retarus_connector.lint.rules import FAMILIES

    rules: list[Rule] = []
    for family in FAMILIES:
        rules.extend(family.RULES)
    rules.append(rule_crashed)
    seen: set[str] = set()
    for candidate in rules:
        if not _RULE_ID.match(candidate.id):
            raise RuntimeError(f"rule id {candidate.id!r} is not kebab-case")
        if candidate.id in seen:
            raise RuntimeError(f"rule id {candidate.id!r} is registered twice")
        seen.add(candidate.id)
    return tuple(rules)


def find_rule(rule_id: str) -> Rule | None:
    return next((candidate for candidate in registry() if candidate.id == rule_id), None)


def expand_names(names: Iterable[str]) -> set[str]:
    """Rule ids for a list of rule ids and family names; an unknown name is a usage error."""
    by_family: dict[str, set[str]] = {}
    for candidate in registry():
        by_family.setdefault(candidate.family, set()).add(candidate.id)
    known_ids = {candidate.id for candidate in registry()}
    expanded: set[str] = set()
    for name in names:
        if name in known_ids:
            expanded.add(name)
        elif name in by_family:
            expanded |= by_family[name]
        else:
            raise LintUsageError(
                f"unknown rule or family {name!r} (see `retarus-connector lint --list-rules`)"
            )
    return expanded


def enabled_rules(options: LintOptions) -> tuple[Rule, ...]:
    chosen = expand_names(options.select) if options.select is not None else None
    dropped = expand_names(options.ignore)
    return tuple(
        candidate
        for candidate in registry()
        if (chosen is None or candidate.id in chosen) and candidate.id not in dropped
    )


# --------------------------------------------------------------------------- discovery


def display_of(path: Path) -> str:
    """How a path given on the command line is shown: as given, with forward slashes."""
    return path.as_posix()


def discover(path: Path, display: str | None = None) -> list[PackageSource]:
    """The packages a PATH argument names: a package folder, a single file, or a tree in which
    every folder holding an apiDefinition.swagger.json is a package. Solutions and
    certification packages (a zip, an unpacked solution folder) count as packages too
    (lint/solutions/discover.py)."""
    shown = display if display is not None else display_of(path)
    if path.is_file():
        from retarus_connector.lint.solutions import discover as solution_files

        if solution_files.is_zip_name(path.name):
            return [_solution_source(path, shown)]
        return [_single_file(path, shown)]
    if not path.is_dir():
        if path.exists():  # a named pipe, socket or device: its name tells no file kind
            raise LintUsageError(f"{shown}: not a regular file or a folder")
        raise LintUsageError(f"{shown}: no such file or folder")
    own = _package_files(path, shown)
    if (own is not None and FileKind.SWAGGER in own) or _has_properties_only(own):
        return [PackageSource(path, shown, own or {})]
    # a run over one package folder, the common case, has no use for the solution finders
    from retarus_connector.lint.solutions import discover as solution_files

    if solution_files.is_unpacked_solution(path):
        return [_solution_source(path, shown)]
    found: list[PackageSource] = []
    skipped = re.compile(_SKIPPED_FOLDERS).match

    def display_in_tree(folder_path: Path) -> str:
        relative = folder_path.relative_to(path)
        return join_display(shown, relative.as_posix()) if relative.parts else shown

    def unlisted(error: OSError) -> None:
        # A folder that cannot be listed may hide packages: that is a finding, not a skip.
        folder_path = Path(error.filename) if error.filename else path
        reason = error.strerror or type(error).__name__
        found.append(PackageSource(folder_path, display_in_tree(folder_path), {}, unlisted=reason))

    for folder, subfolders, names in os.walk(path, onerror=unlisted):
        subfolders[:] = sorted(name for name in subfolders if not skipped(name))
        folder_path = Path(folder)
        folder_display = display_in_tree(folder_path)
        files = _package_files(folder_path, folder_display)
        if files is not None and (FileKind.SWAGGER in files or _has_properties_only(files)):
            found.append(PackageSource(folder_path, folder_display, files))
        found.extend(
            _solution_source(*place)
            for place in solution_files.solutions_in_folder(
                folder_path, folder_display, subfolders, names
            )
        )
    if not found:
        raise LintUsageError(
            f"{shown}: no connector package found (no folder holds an apiDefinition.swagger.json,"
            " and there is no solution or certification zip)"
        )
    return found


def _solution_source(path: Path, display: str) -> PackageSource:
    """A solution zip or folder, or a certification package: one file of kind SOLUTION, which
    lint/solutions/run.py opens and checks."""
    return PackageSource(
        path if path.is_dir() else path.parent, display, {FileKind.SOLUTION: (path, display)}
    )


def _has_properties_only(files: dict[FileKind, tuple[Path, str]] | None) -> bool:
    """A folder with apiProperties.json but no swagger: a package that lost its swagger."""
    return files is not None and FileKind.PROPERTIES in files and FileKind.SWAGGER not in files


def join_display(display_root: str, name: str) -> str:
    """How a file of a package is shown: its name under the package's display root."""
    if display_root in ("", "."):
        return name
    return f"{display_root.rstrip('/')}/{name}"


def _package_files(folder: Path, display_root: str) -> dict[FileKind, tuple[Path, str]] | None:
    """The connector files directly in `folder` (None when it cannot be listed)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return None
    files: dict[FileKind, tuple[Path, str]] = {}
    for entry in entries:
        kind = _KIND_BY_NAME.get(entry.name.lower())
        if kind is None:
            continue
        try:
            if entry.is_dir():
                continue
        except OSError:
            pass
        # the conventional spelling wins over another letter case of the same name
        if kind not in files or entry.name == FILE_NAMES[kind]:
            files[kind] = (Path(entry.path), join_display(display_root, entry.name))
    return files


def _single_file(path: Path, display: str) -> PackageSource:
    name = path.name.lower()
    kind = _KIND_BY_NAME.get(name)
    if kind is None and name.endswith(".json"):
        kind = FileKind.PROPERTIES if "apiproperties" in name else FileKind.SWAGGER
    if kind is None:
        raise LintUsageError(
            f"{display}: not a connector file (expected a swagger or apiProperties JSON file, "
            "or a connector folder)"
        )
    parent = display.rsplit("/", 1)[0] if "/" in display else "."
    return PackageSource(path.parent, parent, {kind: (path, display)}, single_file=True)


# --------------------------------------------------------------------------- running


ReadFiles = dict[FileKind, tuple[bytes, LoadIssue | None]]


def read_package(source: PackageSource) -> ReadFiles:
    """The bytes of each file of a package (or why it could not be read)."""
    return {kind: read_bytes(path) for kind, (path, _) in source.files.items()}


def load_package(source: PackageSource, profile: Profile, read: ReadFiles | None = None) -> Package:
    package = Package(
        root=source.root,
        display_root=source.display_root,
        profile=profile,
        single_file=source.single_file,
        unlisted=source.unlisted,
    )
    read = read if read is not None else read_package(source)
    for kind, (path, display) in source.files.items():
        raw, issue = read[kind]
        package.documents[kind] = (
            Document(kind, path, display, issues=[issue])
            if issue is not None
            else document_from_bytes(kind, raw, path, display)
        )
    return package


def check_package(package: Package, rules: Sequence[Rule]) -> list[Finding]:
    """Run `rules` over one loaded package; a rule that raises becomes a `rule-crashed` finding.
    Lines and columns are looked up afterwards, for all findings of a file in one pass."""
    # which files loaded is asked by every rule; rules only read the package
    loaded = {kind for kind, document in package.documents.items() if document.loaded}
    profile = package.profile
    reported: list[tuple[str, Severity, Problem]] = []
    crashes: list[Finding] = []
    crash_enabled = False
    for candidate in rules:
        if candidate.id == rule_crashed.id:
            crash_enabled = True
            continue
        if candidate.profiles is not None and profile not in candidate.profiles:
            continue
        if not loaded.issuperset(candidate.needs):
            continue
        rule_id = candidate.id
        severity = candidate.severity_for(profile)
        try:
            for problem in candidate.check(package):
                reported.append((rule_id, severity, problem))
        except Exception as error:  # a rule bug must not stop the run
            crashes.append(_crash_finding(candidate, error, package))
    places = problem_places(package, [problem for _, _, problem in reported])
    displays: dict[FileKind, str] = {}
    findings: list[Finding] = []
    for rule_id, severity, problem in reported:
        kind = problem.file
        display = problem.path or displays.get(kind)
        if display is None:
            display = displays[kind] = _display_path(package, kind)
        line, column = problem.line, problem.column
        if line is None:
            place = places.get((kind, problem.pointer))
            if place is not None:
                line, column = place
        message = shorten(redact_urls(problem.message))
        findings.append(Finding(rule_id, severity, display, problem.pointer, message, line, column))
    return findings + crashes if crash_enabled else findings


def _display_path(package: Package, kind: FileKind) -> str:
    """How a file of the package is shown in findings, also when the package lacks it; a
    folder that could not be listed is shown as itself."""
    document = package.documents.get(kind)
    if document is not None:
        return document.display_path
    if package.unlisted is not None:
        return package.display_root.rstrip("/") + "/"
    return join_display(package.display_root, FILE_NAMES[kind])


def problem_places(
    package: Package, problems: Iterable[Problem]
) -> dict[tuple[FileKind, str], tuple[int, int] | None]:
    """Line and column of every pointer the problems name without a line of their own."""
    wanted: dict[FileKind, set[str]] = {}
    for problem in problems:
        if problem.line is None and problem.path is None:
            wanted.setdefault(problem.file, set()).add(problem.pointer)
    places: dict[tuple[FileKind, str], tuple[int, int] | None] = {}
    for kind, pointers in wanted.items():
        document = package.documents.get(kind)
        if document is None or document.text is None or document.data is None:
            continue
        located = Locator(document.text, parsed=True).locate_all(pointers)
        places.update(((kind, pointer), place) for pointer, place in located.items())
    return places


def collect(paths: Sequence[Path], display: str | None = None) -> list[PackageSource]:
    """The packages the paths name, each once, sorted by how they are shown. `paths` are shown
    as given (see `display_of`), or one path as `display`."""
    if display is not None and len(paths) != 1:
        raise ValueError("a display name is for exactly one path")
    sources: list[PackageSource] = []
    if len(paths) == 1:
        sources = discover(paths[0], display)  # one tree cannot name a package twice
    else:
        seen: set[tuple[Path, tuple[Path, ...]]] = set()
        for path in paths:
            for source in discover(path):
                files = tuple(sorted(file.resolve() for file, _ in source.files.values()))
                key = (source.root.resolve(), files)
                if key not in seen:
                    seen.add(key)
                    sources.append(source)
    sources.sort(key=lambda item: item.display_root)
    return sources


def lint(
    paths: Sequence[Path], options: LintOptions | None = None, *, display: str | None = None
) -> LintReport:
    """Lint every package the paths name. `paths` are shown as given (see `display_of`), or
    one path as `display` (a package checked under the name it will have elsewhere)."""
    return lint_sources(collect(paths, display), options)


def lint_sources(
    sources: Sequence[PackageSource], options: LintOptions | None = None
) -> LintReport:
    """Lint discovered packages. They are shared among processes when there are enough of
    them (see `parallel.job_count`). Each process reads its packages' files; a package whose
    findings are in the cache (same bytes, settings and linter) is done, the others are parsed
    and checked."""
    options = options or LintOptions()
    rules = enabled_rules(options)
    settings = "\0".join([options.profile.value, *sorted(rule.id for rule in rules)]).encode()
    from retarus_connector.lint.parallel import Work, check_in_processes, job_count

    work = Work(rules, options.profile, options.cache, settings)
    jobs = job_count(options.jobs, len(sources))
    findings = check_in_processes(sources, work, jobs) if jobs > 1 else work.check(sources)
    findings.sort(key=sort_key)
    return LintReport(
        findings,
        packages=sum(source.unlisted is None for source in sources),
        files=sum(len(source.files) for source in sources),
    )


def sort_key(finding: Finding) -> tuple[str, int, int, str, str, str]:
    return (
        finding.file,
        finding.line or 0,
        finding.column or 0,
        finding.rule,
        finding.pointer,
        finding.message,
    )


def _crash_finding(failed: Rule, error: Exception, package: Package) -> Finding:
    import traceback

    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
    kinds = failed.needs or (FileKind.SWAGGER,)
    return Finding(
        rule_crashed.id,
        rule_crashed.severity_for(package.profile),
        _display_path(package, kinds[0]),
        "",
        redact_urls(f"rule {failed.id} failed: {type(error).__name__}: {error}{where}"),
    )
