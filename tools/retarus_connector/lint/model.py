"""The linter's vocabulary: severities, the files of a package, rules and what they yield.

This module is the contract between the engine (which loads packages and runs rules) and the
rule families under `lint/rules/`. A rule is a generator function over a `Package`; it yields
`Problem`s, and the engine turns them into `Finding`s with the rule's id, the effective severity,
the file path and, where it can, the line and column of the pointer.
"""

import enum
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

# what went wrong reading a file: the `files` rule family turns these into findings
from retarus_connector.core.jsonfile import LoadIssue, LoadIssueKind

__all__ = ["LoadIssue", "LoadIssueKind"]  # re-exported: rules and the engine take them here

_T = TypeVar("_T")


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for `--fail-on` and sorting."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


# a severity by its text, as stored findings and worker processes hand it back: a lookup, many
# times quicker than calling the enum
SEVERITIES: Mapping[str, Severity] = MappingProxyType(
    {severity.value: severity for severity in Severity}
)


class FileKind(enum.StrEnum):
    """The files a connector package may hold."""

    SWAGGER = "swagger"  # apiDefinition.swagger.json
    PROPERTIES = "properties"  # apiProperties.json
    ICON = "icon"  # icon.png
    README = "readme"  # readme.md in any letter case
    SCRIPT = "script"  # script.csx
    SETTINGS = "settings"  # settings.json (paconn)
    # a Dataverse solution (zip or unpacked folder) and a certification package; their
    # documents hold the parsed object (lint/solutions/model.py) as `data`
    SOLUTION = "solution"
    CERTIFICATION = "certification"


class Profile(enum.StrEnum):
    CERTIFIED = "certified"
    INDEPENDENT_PUBLISHER = "independent-publisher"
    CUSTOM = "custom"


class Problem(NamedTuple):
    """What a rule reports: a message about one place in one file of the package.

    `pointer` is an RFC 6901 JSON pointer into a JSON file ("" is the whole document).
    For text files (readme, script) give `line` (1-based) instead where it is known;
    `column` (1-based) goes only with `line`. `path` names the file as shown when it is not
    one of the package's own files (a file inside a solution: `x.zip!/solution.xml`); such a
    problem gives its own line, and in XML files its pointer is an element path
    (`/ImportExportXml/SolutionManifest/Version`, see lint/solutions/xmltree.py).
    """

    message: str
    pointer: str = ""
    file: FileKind = FileKind.SWAGGER
    line: int | None = None
    column: int | None = None
    path: str | None = None


class Finding(NamedTuple):
    """A problem as reported to the user, with its rule, severity and location. `file` is the
    path as reached from the PATH argument, so the package folder is visible."""

    rule: str
    severity: Severity
    file: str
    pointer: str
    message: str
    line: int | None = None
    column: int | None = None


_JSON_FILES = frozenset({FileKind.SWAGGER, FileKind.PROPERTIES, FileKind.SETTINGS})


class Document:
    """One file of a package, as loaded. A file that failed to load has `data` None and its
    trouble recorded in `issues`; rules that need it are then skipped.

    `text` is the decoded text of text and JSON files, `data` the parsed JSON of JSON files,
    `has_bom` whether a UTF-8 byte order mark was stripped before parsing, `duplicate_keys`
    the (object pointer, key) of each key written twice in an object."""

    __slots__ = (
        "data",
        "display_path",
        "duplicate_keys",
        "has_bom",
        "issues",
        "kind",
        "path",
        "raw",
        "text",
    )

    def __init__(
        self,
        kind: FileKind,
        path: Path,
        display_path: str,
        raw: bytes = b"",
        text: str | None = None,
        data: Any = None,
        issues: list[LoadIssue] | None = None,
        has_bom: bool = False,
        duplicate_keys: list[tuple[str, str]] | None = None,
    ) -> None:
        self.kind = kind
        self.path = path
        self.display_path = display_path
        self.raw = raw
        self.text = text
        self.data = data
        self.issues: list[LoadIssue] = issues if issues is not None else []
        self.has_bom = has_bom
        self.duplicate_keys: list[tuple[str, str]] = (
            duplicate_keys if duplicate_keys is not None else []
        )

    def __repr__(self) -> str:
        return f"Document({self.kind.value}, {self.display_path!r})"

    @property
    def loaded(self) -> bool:
        """Whether rules may read this file. For JSON files that means the root is an object,
        so rules never see a list or a string where a document belongs; a swagger that is an
        OpenAPI 3 document (and not also Swagger 2.0) does not count as loaded either: the
        Swagger 2.0 rules would only add noise to the one finding that matters."""
        # asked by every rule of every package: the JSON files, the common case, go first
        kind, data = self.kind, self.data
        if kind in _JSON_FILES:
            if data.__class__ is not dict and not isinstance(data, dict):
                return False
            return not (kind is FileKind.SWAGGER and "openapi" in data and "swagger" not in data)
        if kind is FileKind.ICON:
            return bool(self.raw)
        if kind is FileKind.README or kind is FileKind.SCRIPT:
            return self.text is not None
        return data is not None  # a solution or certification package


class Package:
    """A connector package: a folder with an apiDefinition.swagger.json and its companions, or a
    single swagger or apiProperties file linted on its own (`single_file`). `unlisted` is set
    (to the reason) for a folder of a tree that could not be listed: it has no documents and
    stands for whatever packages the folder hides.

    `memo` is the package's context for the rules: what several rules derive from the same
    files (the swagger's index, the decoded icon, ...) is built once and kept here, with the
    package, so that no module keeps state between packages."""

    __slots__ = ("_memo", "display_root", "documents", "profile", "root", "single_file", "unlisted")

    def __init__(
        self,
        root: Path,
        display_root: str,
        profile: Profile = Profile.CERTIFIED,
        documents: dict[FileKind, Document] | None = None,
        single_file: bool = False,
        unlisted: str | None = None,
    ) -> None:
        self.root = root
        self.display_root = display_root
        self.profile = profile
        self.documents: dict[FileKind, Document] = documents if documents is not None else {}
        self.single_file = single_file
        self.unlisted = unlisted
        self._memo: dict[Callable[[Package], Any], Any] = {}

    def __repr__(self) -> str:
        return f"Package({self.display_root!r})"

    def memo(self, build: "Callable[[Package], _T]") -> _T:
        """`build(self)`, computed on the first call for this package and kept with it."""
        try:
            return self._memo[build]  # type: ignore[no-any-return]
        except KeyError:
            found = self._memo[build] = build(self)
            return found

    def document(self, kind: FileKind) -> Document | None:
        doc = self.documents.get(kind)
        return doc if doc is not None and doc.loaded else None

    @property
    def swagger(self) -> Any:
        """The parsed swagger, or None when absent or unreadable."""
        doc = self.documents.get(FileKind.SWAGGER)
        return doc.data if doc is not None and doc.loaded else None

    @property
    def properties(self) -> Any:
        """The parsed apiProperties.json, or None when absent or unreadable."""
        doc = self.documents.get(FileKind.PROPERTIES)
        return doc.data if doc is not None and doc.loaded else None


Check = Callable[[Package], Iterable[Problem]]


class Rule(NamedTuple):
    """A lint rule. Its docstring (what, why, how to fix) is its user documentation, printed by
    `retarus-connector lint --explain ID` and rendered into docs/lint.md.

    `id` is stable and kebab-case; `severity` the default severity, which profiles may change
    (`profile_severities`: the severity under particular profiles, where it differs); `family`
    the module (or package) under lint/rules/ that defines it; `needs` the files that must have loaded for
    it to run; `profiles` None for every profile, else the only ones it runs for."""

    id: str  # the rule's id, as everywhere in the linter
    severity: Severity
    family: str
    check: Check
    needs: tuple[FileKind, ...] = (FileKind.SWAGGER,)
    profiles: frozenset[Profile] | None = None
    profile_severities: tuple[tuple[Profile, Severity], ...] = ()

    @property
    def doc(self) -> str:
        """The check's docstring without its indentation (read for --explain and the docs)."""
        import inspect

        return inspect.cleandoc(self.check.__doc__ or "")

    def severity_for(self, profile: Profile) -> Severity:
        """The severity this rule's findings carry under `profile`."""
        for named, severity in self.profile_severities:
            if named is profile:
                return severity
        return self.severity

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        doc = self.doc.strip()
        return doc.splitlines()[0] if doc else self.id

    def applies_to(self, package: Package) -> bool:
        if self.profiles is not None and package.profile not in self.profiles:
            return False
        return all(package.document(kind) is not None for kind in self.needs)

    def run(self, package: Package) -> Iterable[Problem]:
        return self.check(package)


def rule(
    rule_id: str,
    severity: Severity,
    *,
    needs: tuple[FileKind, ...] = (FileKind.SWAGGER,),
    profiles: Iterable[Profile] | None = None,
    severities: Mapping[Profile, Severity] | None = None,
) -> Callable[[Check], Rule]:
    """Make a `Rule` from a generator function; its docstring becomes the rule's documentation.

    @rule("info-title-length", Severity.ERROR)
    def title_length(package: Package) -> Iterator[Problem]:
        '''The title is at most 30 characters. ...'''

    `profiles` limits the rule to those profiles (a profile-only rule); `severities` gives the
    rule another severity under some profiles, e.g. `{Profile.CUSTOM: Severity.WARNING}`.
    """

    def decorate(check: Check) -> Rule:
        module = getattr(check, "__module__", "") or ""
        # a family is a module under lint/rules/, or a package there whose modules share it
        _, _, below = module.partition(".lint.rules.")
        family = below.split(".")[0] if below else module.rsplit(".", 1)[-1]
        return Rule(
            id=rule_id,
            severity=severity,
            family=family,
            check=check,
            needs=needs,
            profiles=frozenset(profiles) if profiles is not None else None,
            profile_severities=tuple(sorted((severities or {}).items())),
        )

    return decorate
