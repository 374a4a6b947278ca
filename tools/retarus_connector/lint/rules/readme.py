"""readme.md: the sections the certified and independent-publisher templates ask for
(reference RM-01)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from retarus_connector.lint.model import FileKind, Package, Problem, Profile, Rule, Severity, rule
from retarus_connector.lint.rules._walk import as_dict, operations

README = FileKind.README
_NEEDS = (FileKind.README,)
_CERTIFICATION = (Profile.CERTIFIED, Profile.INDEPENDENT_PUBLISHER)

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
# every ASCII character but letters and digits becomes a space; other characters stay. The
# table works on UTF-8 bytes, where it cannot touch a multi-byte character (all of whose bytes
# are above 127): bytes.translate is many times faster than str.translate with a mapping.
_WORDS_ONLY = bytes(code if code > 127 or chr(code).isalnum() else ord(" ") for code in range(256))
_PUBLISHER_LINE = re.compile(r"^\W*publisher\W*?[:-]\s*\S", re.IGNORECASE)
_ORDERED_ITEM = r"^\s*\d+[.)]\s+\S"
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_MARKERS = frozenset("#=-`~")


class Section:
    """A required section and the heading texts (normalised) that count as it."""

    __slots__ = ("aliases", "prefixes", "title")

    def __init__(self, title: str, aliases: frozenset[str], prefixes: tuple[str, ...]) -> None:
        self.title = title
        self.aliases = aliases
        # what a heading that carries trailing words after an alias starts with
        self.prefixes = prefixes


def _section(title: str, *aliases: str) -> Section:
    return Section(title, frozenset(aliases), tuple(alias + " " for alias in aliases))


PREREQUISITES = _section("Prerequisites", "prerequisites", "pre requisites")
OPERATIONS = _section(
    "Supported Operations",
    "supported operations",
    "supported actions",
    "supported triggers",
    "supported actions and triggers",
    "supported triggers and actions",
    "actions",
    "operations",
    "actions and triggers",
)
CREDENTIALS = _section(
    "Obtaining Credentials",
    "obtaining credentials",
    "obtain credentials",
    "getting credentials",
    "get credentials",
    "how to get credentials",
    "credentials",
    "how to get api key",
    "authentication",
)
KNOWN_ISSUES = _section(
    "Known Issues and Limitations",
    "known issues and limitations",
    "known issues",
    "known limitations",
    "limitations",
    "known issues limitations",
)
DEPLOYMENT = _section(
    "Deployment Instructions", "deployment instructions", "deploying the connector", "deployment"
)
REQUIRED_SECTIONS = (PREREQUISITES, OPERATIONS, CREDENTIALS, KNOWN_ISSUES)


class Heading:
    __slots__ = ("key", "level", "line", "text")

    def __init__(self, level: int, text: str, line: int, key: str) -> None:
        self.level = level
        self.text = text
        self.line = line  # 1-based
        self.key = key  # the text normalised for comparison


def normalise(text: str) -> str:
    """Lower case, words only, single spaces: how headings and summaries are compared."""
    words = text.lower().encode("utf-8", "surrogatepass").translate(_WORDS_ONLY)
    return " ".join(words.decode("utf-8", "surrogatepass").split())


class Readme:
    __slots__ = ("headings", "lines")

    def __init__(self, lines: list[str], headings: list[Heading]) -> None:
        self.lines = lines
        self.headings = headings

    def section(self, wanted: Section) -> Heading | None:
        """The first heading that names the section; a heading may carry trailing words, as in
        "Publisher: Contoso" or "Known issues (2024)"."""
        aliases, prefixes = wanted.aliases, wanted.prefixes
        for heading in self.headings:
            key = heading.key
            if key in aliases or key.startswith(prefixes):
                return heading
        return None

    def body(self, heading: Heading, *, same_level_only: bool = False) -> list[str]:
        """The lines under a heading, up to the next heading (of its level or higher, when
        `same_level_only`)."""
        end = len(self.lines)
        for other in self.headings:  # in document order: the first match is the nearest
            if other.line > heading.line and (not same_level_only or other.level <= heading.level):
                end = other.line - 1
                break
        return self.lines[heading.line : end]


def parse(text: str) -> Readme:
    """The lines and the ATX (`## Title`) and setext (underlined) headings outside fenced code
    blocks."""
    found: list[Heading] = []
    lines = text.splitlines()
    in_fence = False
    for index, line in enumerate(lines):
        if line.lstrip(" ")[:1] not in _MARKERS:
            continue  # most lines: neither a heading, an underline nor a fence
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        match = _ATX_HEADING.match(line)
        if match:
            title = match.group(2)
            found.append(Heading(len(match.group(1)), title, index + 1, normalise(title)))
        elif (
            index > 0
            and lines[index - 1].strip()
            and _SETEXT_UNDERLINE.match(line)
            and not _ATX_HEADING.match(lines[index - 1])
        ):
            level = 1 if line.strip().startswith("=") else 2
            title = lines[index - 1].strip()
            found.append(Heading(level, title, index, normalise(title)))
    return Readme(lines, found)


def _readme(package: Package) -> Readme:
    """The package's readme, parsed once per package for the rules that read it."""
    return package.memo(_parse_readme)


def _parse_readme(package: Package) -> Readme:
    document = package.document(README)
    return parse(document.text if document is not None and document.text is not None else "")


def _uses_oauth(package: Package) -> bool:
    definitions = as_dict(as_dict(package.swagger).get("securityDefinitions"))
    return any(as_dict(scheme).get("type") == "oauth2" for scheme in definitions.values())


@rule("readme-sections", Severity.WARNING, needs=_NEEDS, profiles=_CERTIFICATION)
def readme_sections(package: Package) -> Iterator[Problem]:
    """readme.md has the sections of Microsoft's connector templates.

    What: a title with an introductory paragraph, then Prerequisites, Supported Operations,
    Obtaining Credentials and Known Issues and Limitations; certified connectors also need
    Deployment Instructions (optional for independent publishers). Getting Started and FAQ are
    optional. An independent-publisher connector using OAuth explains the app registration step
    by step (a numbered list under Obtaining Credentials) (reference RM-01). Common variants of
    the headings ("Pre-requisites", "Known Issues") are accepted.
    Why: reviewers reject readmes without these sections; users need them to get started.
    Fix: add the missing section with real content; vague text is rejected too.
    """
    readme = _readme(package)
    found = readme.headings
    if not found or found[0].level != 1:
        yield Problem("readme.md should start with a '# Title' heading", "", README, 1)
    else:
        top = found[0]
        if not any(line.strip() for line in readme.body(top)):
            yield Problem(
                "readme.md needs an introductory paragraph under its title", "", README, top.line
            )
    required = list(REQUIRED_SECTIONS)
    if package.profile is Profile.CERTIFIED:
        required.append(DEPLOYMENT)
    for section in required:
        if readme.section(section) is None:
            yield Problem(f"readme.md has no '{section.title}' section", "", README)
    if package.profile is Profile.INDEPENDENT_PUBLISHER and _uses_oauth(package):
        heading = readme.section(CREDENTIALS)
        if heading is not None and not any(
            re.match(_ORDERED_ITEM, line) for line in readme.body(heading)
        ):
            yield Problem(
                "The connector uses OAuth: explain the app registration step by step (a "
                "numbered list) under 'Obtaining Credentials'",
                "",
                README,
                heading.line,
            )


@rule("readme-publisher", Severity.WARNING, needs=_NEEDS, profiles=_CERTIFICATION)
def readme_publisher(package: Package) -> Iterator[Problem]:
    """readme.md names the publisher.

    What: the templates have a line `Publisher: <name>` (or a "Publisher" heading followed by
    the name) (reference RM-01).
    Why: users and reviewers need to know who publishes and supports the connector.
    Fix: add e.g. "## Publisher: Contoso Ltd." below the introduction.
    """
    readme = _readme(package)
    for line in readme.lines:
        if "ublisher" in line and _PUBLISHER_LINE.match(line.lstrip("#* ").strip()):
            return
    for heading in readme.headings:
        if heading.key == "publisher" and any(line.strip() for line in readme.body(heading)):
            return
    yield Problem("readme.md does not name the publisher ('Publisher: <name>')", "", README)


# headings that say which kind of operation the lines below them describe
_ACTIONS, _TRIGGERS, _BOTH = "actions", "triggers", "both"
_TRIGGER_HEADINGS = frozenset({"triggers", "supported triggers"})
# an article between words of a normalised text (single spaces): removed by one C-speed
# substitution, as readme-operations compares the whole operations section
_ARTICLE = re.compile(r"(?<= )(?:a|an|the) ")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _operations_kind(heading: Heading) -> str | None:
    """Whether a heading opens a list of actions, of triggers, of both, or none of these."""
    key = heading.key
    known = key in OPERATIONS.aliases or key.startswith(OPERATIONS.prefixes)
    if not known and key not in _TRIGGER_HEADINGS:
        return None
    words = set(key.split())
    if "trigger" in key and not words & {"actions", "action", "operations", "and"}:
        return _TRIGGERS
    if "trigger" not in key and words & {"actions", "action"}:
        return _ACTIONS
    return _BOTH


def _regions(readme: Readme) -> dict[str, list[str]]:
    """The readme lines that list actions and those that list triggers. A line belongs to the
    nearest operations heading above it (a sub-heading "Triggers" inside "Supported
    Operations" narrows it), up to the next heading of that heading's level or higher."""
    found: dict[str, list[str]] = {_ACTIONS: [], _TRIGGERS: []}
    stack: list[tuple[int, str | None]] = []
    lines = readme.lines
    headings = readme.headings
    for position, heading in enumerate(headings):
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        kind = _operations_kind(heading)
        if kind is not None:
            stack.append((heading.level, kind))
        elif stack:
            stack.append((heading.level, stack[-1][1]))
        current = stack[-1][1] if stack else None
        if current is None:
            continue
        end = headings[position + 1].line - 1 if position + 1 < len(headings) else len(lines)
        # the heading line itself counts: the templates name each operation in a sub-heading
        region = lines[heading.line - 1 : end]
        if current in (_ACTIONS, _BOTH):
            found[_ACTIONS].extend(region)
        if current in (_TRIGGERS, _BOTH):
            found[_TRIGGERS].extend(region)
    return found


def comparable(name: str) -> str:
    """A name as the readme check compares it: words only, lower case, without articles, so
    "Submit File" matches "Submit a file"."""
    return _ARTICLE.sub("", f" {normalise(name)} ").strip()


def _names(summary: object, operation_id: str | None) -> Iterator[str]:
    """The forms an operation may be named by in a readme: its summary, its operationId as
    written and split into words ("GetCardTemplates" as "Get Card Templates"). Each is made
    when asked for: most readmes name an operation by its summary, and the others then cost
    nothing."""
    if isinstance(summary, str):
        yield comparable(summary)
    if operation_id:
        yield comparable(operation_id)
        yield comparable(_CAMEL.sub(" ", operation_id))


def _named_in(padded: str, names: Iterator[str]) -> bool:
    """Whether one of the names is a run of whole words of `padded`; True when there is no
    name to look for."""
    nameless = True
    for name in names:
        if name:
            if f" {name} " in padded:
                return True
            nameless = False
    return nameless


@rule(
    "readme-operations",
    Severity.WARNING,
    needs=(FileKind.README, FileKind.SWAGGER),
    profiles=_CERTIFICATION,
)
def readme_operations(package: Package) -> Iterator[Problem]:
    """readme.md describes every operation users see.

    What: the Supported Operations section names each operation by its summary or operationId,
    as the templates' one sub-heading per operation does (operations hidden with
    `x-ms-visibility: internal` or marked deprecated are skipped); one finding lists the
    operations it misses (reference RM-01). Names are compared without letter case,
    punctuation and the articles a, an and the ("Submit File" counts for "Submit a file"); an
    operationId counts as written or split into words ("GetCardTemplates", "Get Card
    Templates"). Readmes that split the list under headings are read by them: an action counts
    only where actions are listed ("Actions", "Supported Operations", "Actions and Triggers"),
    a trigger (an operation with `x-ms-trigger`) only where triggers are ("Triggers",
    "Supported Triggers" and the same mixed headings), so triggers documented under their own
    "Supported Triggers" heading are found, and an action named only among the triggers is not.
    Why: the readme is the connector's public documentation; an undocumented action is a
    reviewer finding.
    Fix: add a sub-heading with the operation's summary and a sentence on what it does.
    """
    readme = _readme(package)
    section = readme.section(OPERATIONS)
    if section is None:
        return  # readme-sections reports the missing section
    regions = _regions(readme)
    texts = {kind: f" {comparable(chr(10).join(lines))} " for kind, lines in regions.items()}
    missing: list[str] = []
    visible = 0
    for operation in operations(package):
        if operation.internal or operation.deprecated:
            continue
        visible += 1
        summary = operation.node.get("summary")
        padded = texts[_TRIGGERS if "x-ms-trigger" in operation.node else _ACTIONS]
        if not _named_in(padded, _names(summary, operation.operation_id)):
            missing.append(repr(summary if isinstance(summary, str) else operation.label))
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        yield Problem(
            f"readme.md does not describe {len(missing)} of {visible} operations under "
            f"'{section.text}': {shown}",
            "",
            README,
            section.line,
        )


@rule("readme-missing", Severity.WARNING, needs=(FileKind.SWAGGER,), profiles=_CERTIFICATION)
def readme_missing(package: Package) -> Iterator[Problem]:
    """A connector package folder has a readme.md.

    What: every connector folder submitted to Microsoft's repository has a readme.md (any
    letter case) (reference section 1a). Files linted on their own are not checked.
    Why: the readme is the connector's documentation on GitHub and in the docs.
    Fix: add readme.md following the certified or independent-publisher template.
    """
    if package.single_file or README in package.documents:
        return
    yield Problem("The package has no readme.md", "", README)


RULES: tuple[Rule, ...] = (readme_sections, readme_publisher, readme_operations, readme_missing)
