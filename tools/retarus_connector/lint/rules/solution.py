"""Dataverse solutions: the zip itself, the XML files, the manifest, the components and the
files they name (reference sections 0 to 5). The connector files inside a solution are also
checked by the ordinary rule families, under their own ids (lint/solutions/run.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._solution import SOLUTION, in_file, in_xml, solution_of

# The solution readers (lint/solutions/) are imported inside the rules that use them: most
# lint runs read no solution, and every run imports this module to register its rules.
if TYPE_CHECKING:
    from retarus_connector.lint.solutions import components
    from retarus_connector.lint.solutions.model import Solution
    from retarus_connector.lint.solutions.xmltree import Element

_NEEDS = (SOLUTION,)
_OPC_NAMESPACE_ROOT = "Types"
_VERSION = r"^\d{1,9}\.\d{1,9}\.\d{1,9}\.\d{1,9}$"


def _archive_issues(package: Package, kind: str) -> Iterator[Problem]:
    """The archive's issues of one kind, an IssueKind's value ("invalid", "unsafe-name",
    "limit"; the members of that StrEnum equal their values)."""
    solution = solution_of(package)
    if solution is None:
        return
    for issue in solution.tree.issues:
        if issue.kind == kind:
            yield in_file(solution.tree, None, f"The archive {issue.message}.")


def _component_issues(package: Package, question: str) -> Iterator[Problem]:
    """A finding for each issue that one of the questions of lint/solutions/components.py
    (the function of that name) finds in the solution."""
    from retarus_connector.lint.solutions import components

    issues: Callable[[Solution], Iterator[components.Issue]] = getattr(components, question)
    solution = solution_of(package)
    if solution is not None:
        for entry, element, attribute, message in issues(solution):
            yield in_xml(solution.tree, entry, message, element, attribute)


@rule("solution-zip-invalid", Severity.ERROR, needs=_NEEDS)
def zip_invalid(package: Package) -> Iterator[Problem]:
    """A solution zip is a complete, readable zip archive.

    What: the file is opened as a zip and every entry is unpacked; a file that is no zip (a
    renamed file, an HTML error page saved as .zip), a truncated download, an entry whose
    checksum fails or whose compression is unknown are reported.
    Why: `pac solution import` and the certification portal reject such a file, and nothing in
    it can be checked.
    Fix: export the solution again, or download it again completely.
    """
    yield from _archive_issues(package, "invalid")


@rule("solution-zip-unsafe", Severity.ERROR, needs=_NEEDS)
def zip_unsafe(package: Package) -> Iterator[Problem]:
    """No entry of a solution zip leaves its folder, and no entry is given twice.

    What: entry names with `..`, absolute names (`/x`, `C:\\x`), backslashes and names given twice
    (in any letter case, as Windows compares them). Such entries are not read.
    Why: an extractor that trusts these names writes outside its folder (zip slip) or
    overwrites one file with another; Dataverse never writes them.
    Fix: rebuild the zip from a clean folder with relative names.
    """
    yield from _archive_issues(package, "unsafe-name")


@rule("solution-zip-limits", Severity.ERROR, needs=_NEEDS)
def zip_limits(package: Package) -> Iterator[Problem]:
    """A solution zip stays within the linter's limits for entries, sizes and nesting.

    What: more than 5,000 entries, an entry over 32 MiB unpacked or more than 128 MiB in all, an
    entry over 1 MiB that unpacks more than 200 times larger than it is stored (a zip bomb), or
    zips nested more than 4 deep. The entries beyond a limit are not read.
    Why: real solutions are far smaller; these shapes are how a hostile archive exhausts memory
    or time.
    Fix: remove what does not belong in the solution.
    """
    yield from _archive_issues(package, "limit")


def _xml_documents(solution: Solution, unsafe: bool) -> Iterator[Problem]:
    for entry in solution.xml_entries():
        document = solution.xml(entry)
        if document is None or document.error is None or document.unsafe != unsafe:
            continue
        yield in_file(solution.tree, entry, f"The file {document.error}.", line=document.line)


@rule("solution-xml-invalid", Severity.ERROR, needs=_NEEDS)
def xml_invalid(package: Package) -> Iterator[Problem]:
    """The XML files of a solution are well-formed.

    What: solution.xml, customizations.xml, [Content_Types].xml and, unpacked, the connector and
    workflow XML files are parsed; a syntax error is reported with its line.
    Why: import reads these first; a broken manifest stops it.
    Fix: correct the XML, or export the solution again.
    """
    solution = solution_of(package)
    if solution is not None:
        yield from _xml_documents(solution, unsafe=False)


@rule("solution-xml-unsafe", Severity.ERROR, needs=_NEEDS)
def xml_unsafe(package: Package) -> Iterator[Problem]:
    """The XML files of a solution declare no DTD, entities or external references.

    What: the files are read with defusedxml, which refuses these constructs instead of
    expanding them.
    Why: entity declarations are how an XML bomb ("billion laughs") or an external entity
    (reading local files) hides in a document; Dataverse writes none.
    Fix: remove the `<!DOCTYPE ...>` and the entities.
    """
    solution = solution_of(package)
    if solution is not None:
        yield from _xml_documents(solution, unsafe=True)


@rule("solution-files", Severity.ERROR, needs=_NEEDS)
def files(package: Package) -> Iterator[Problem]:
    """A solution has its manifest, its customizations and, zipped, its content types.

    What: a zip needs `solution.xml`, `customizations.xml` and `[Content_Types].xml` at its root;
    an unpacked folder (`pac solution unpack`) needs `Other/Solution.xml` and
    `Other/Customizations.xml`. Their root element is `ImportExportXml` (`Types` for the
    content types).
    Why: import and `pac solution pack` read these files first; without them the file is no
    solution.
    Fix: export the solution from Dataverse, or pack the unpacked folder with `pac solution pack`.
    """
    from retarus_connector.lint.solutions.archive import IssueKind
    from retarus_connector.lint.solutions.model import CONTENT_TYPES

    solution = solution_of(package)
    if solution is None or any(
        issue.kind == IssueKind.INVALID for issue in solution.tree.issues if issue.entry is None
    ):
        return
    tree = solution.tree
    wanted = [
        ("solution.xml", solution.manifest_entry),
        ("customizations.xml", solution.customizations_entry),
    ]
    if solution.unpacked:
        wanted = [
            ("Other/Solution.xml", solution.manifest_entry),
            ("Other/Customizations.xml", solution.customizations_entry),
        ]
    else:
        wanted.append((CONTENT_TYPES, tree.find(CONTENT_TYPES)))
    for name, entry in wanted:
        if entry is None:
            yield in_file(
                tree, None, f"The solution has no {name}; it is not a Dataverse solution."
            )
            continue
        root = solution.xml_root(entry)
        expected = _OPC_NAMESPACE_ROOT if name == CONTENT_TYPES else "ImportExportXml"
        if root is not None and root.name != expected:
            yield in_xml(
                tree, entry, f"The root element of {name} is <{root.name}>, not <{expected}>.", root
            )


@rule("solution-content-types", Severity.ERROR, needs=_NEEDS)
def content_types(package: Package) -> Iterator[Problem]:
    """`[Content_Types].xml` gives a content type to every file of the zip.

    What: every extension that occurs in the zip needs a `<Default Extension="...">` entry
    (compared without letter case, as OPC does; exports spell it as the files do, `Png`), and a
    file without extension an `<Override PartName="/path">`. The content types file itself is
    not listed. Each entry has its `ContentType`.
    Why: Dataverse reads solutions as OPC packages; a part without a content type fails to
    import.
    Fix: add the missing `<Default>` entries, such as
    `<Default Extension="json" ContentType="application/octet-stream" />`.
    """
    yield from _component_issues(package, "content_type_issues")


def _manifest_child(solution: Solution, name: str) -> tuple[str, Element, Element | None] | None:
    entry = solution.manifest_entry
    manifest = solution.manifest
    if entry is None or manifest is None:
        return None
    return entry, manifest, manifest.child(name)


@rule("solution-version", Severity.ERROR, needs=_NEEDS)
def version(package: Package) -> Iterator[Problem]:
    """The solution version has four numeric parts, `major.minor.build.revision`.

    What: `<Version>` in the solution manifest, such as `1.0.0.3`.
    Why: import and the certification portal compare versions in this form; an upgrade needs a
    higher one.
    Fix: write the version as four numbers separated by dots.
    """
    solution = solution_of(package)
    found = _manifest_child(solution, "Version") if solution is not None else None
    if solution is None or found is None:
        return
    entry, manifest, element = found
    if element is None:
        yield in_xml(solution.tree, entry, "The solution manifest has no <Version>.", manifest)
    elif not re.match(_VERSION, element.text):
        yield in_xml(
            solution.tree,
            entry,
            f"The solution version {element.text!r} is not four numbers such as 1.0.0.3.",
            element,
        )


@rule("solution-managed", Severity.ERROR, needs=_NEEDS)
def managed(package: Package) -> Iterator[Problem]:
    """The managed flag is 0 (unmanaged) or 1 (managed); 2 only in an unpacked folder.

    What: `<Managed>` in the solution manifest. `pac solution unpack --packagetype Both` writes
    2 into the folder; a zip holds 0 or 1.
    Why: import decides from it how the components are installed; another value fails.
    Fix: export the solution again as managed or unmanaged.
    """
    solution = solution_of(package)
    found = _manifest_child(solution, "Managed") if solution is not None else None
    if solution is None or found is None:
        return
    entry, manifest, element = found
    allowed = ("0", "1", "2") if solution.unpacked else ("0", "1")
    if element is None:
        yield in_xml(solution.tree, entry, "The solution manifest has no <Managed>.", manifest)
    elif element.text not in allowed:
        yield in_xml(
            solution.tree,
            entry,
            f"<Managed> is {element.text!r}; a {'folder' if solution.unpacked else 'zip'}"
            f" holds {' or '.join(allowed)}.",
            element,
        )


@rule("solution-manifest", Severity.ERROR, needs=_NEEDS)
def manifest(package: Package) -> Iterator[Problem]:
    """The manifest names the solution and its publisher the way Dataverse requires.

    What: `<SolutionManifest>` has a `<UniqueName>` of letters, digits and `_`, `<RootComponents>`,
    and a `<Publisher>` with a `<UniqueName>`, a `<CustomizationPrefix>` of 2 to 8 letters and
    digits starting with a letter (not `mscrm`) and a five-digit
    `<CustomizationOptionValuePrefix>` from 10000 to 99999.
    Why: import identifies the solution and its publisher by these values and rejects others.
    Fix: correct the values in the publisher and solution records and export again.
    """
    yield from _component_issues(package, "manifest_issues")


@rule("solution-root-components", Severity.ERROR, needs=_NEEDS)
def root_components(package: Package) -> Iterator[Problem]:
    """Root components and the components in the solution match, both ways.

    What: every connector (`<RootComponent type="372">`) and cloud flow (`type="29"`) root
    component has its `<Connector>` or `<Workflow>` in the solution, matched by id (and, for
    connectors, by `schemaName` = `<name>`), and every `<Connector>` and `<Workflow>` is a root
    component. Connection references need no root component (real exports list them only in
    customizations.xml).
    Why: import installs what the manifest lists; a listed component that is missing fails the
    import, an unlisted one is not installed.
    Fix: add the component to the solution in the maker portal and export again.
    """
    yield from _component_issues(package, "root_component_issues")


@rule("solution-guid", Severity.ERROR, needs=_NEEDS)
def guid(package: Package) -> Iterator[Problem]:
    """Component ids are GUIDs.

    What: `RootComponent@id`, `<Connector><connectorid>` and `Workflow@WorkflowId`.
    Why: Dataverse keys components by these ids; a value that is no GUID fails the import.
    Fix: use the id Dataverse gave the component (export it again).
    """
    yield from _component_issues(package, "guid_issues")


@rule("solution-guid-style", Severity.WARNING, needs=_NEEDS)
def guid_style(package: Package) -> Iterator[Problem]:
    """Component ids are written as Dataverse exports write them.

    What: `RootComponent@id` and `Workflow@WorkflowId` in lower case within braces
    (`{0f0e...}`); `<connectorid>` in lower case without braces; the GUID in a flow's file name
    (`Workflows/Name-<GUID>.json`) in upper case and equal to its WorkflowId.
    Why: tools that compare ids as text (pipelines, diffs, the certification review) treat
    another spelling as another component.
    Fix: write the ids in the exported form.
    """
    yield from _component_issues(package, "guid_style_issues")


@rule("solution-part-path", Severity.ERROR, needs=_NEEDS)
def part_path(package: Package) -> Iterator[Problem]:
    """Every file a connector or flow names starts with `/` and is in the solution.

    What: the `<openapidefinition>`, `<connectionparameters>`, `<policytemplateinstances>`,
    `<iconblob>` and `<customcodeblobcontent>` paths of a `<Connector>` and the `<JsonFileName>`
    of a `<Workflow>`. Paths say `/Connector/...` also in an unpacked folder, where the files
    sit under `Connectors/`.
    Why: import opens these parts by name; a path without the leading `/` fails with "Part URI
    must start with a forward slash", a missing file fails the import.
    Fix: correct the path, or put the file in the solution.
    """
    yield from _component_issues(package, "part_path_issues")


@rule("solution-part-unreferenced", Severity.WARNING, needs=_NEEDS)
def part_unreferenced(package: Package) -> Iterator[Problem]:
    """Every connector file and flow file in the solution is named by its component.

    What: files under `Connector/` (unpacked: `Connectors/`, apart from the connector XML) and
    `Workflows/*.json` that no `<Connector>` part path or `<JsonFileName>` names.
    Why: import ignores them; usually a renamed component left its old file behind, or the
    component that should name it is missing.
    Fix: remove the file or name it from its component.
    """
    from retarus_connector.lint.solutions import components

    solution = solution_of(package)
    if solution is None:
        return
    named = {
        entry
        for _, _, path in components.part_paths(solution)
        if (entry := solution.part_entry(path))
    }
    for name in solution.tree.names:
        lowered = name.lower()
        folder = lowered.split("/", 1)[0]
        if "/" not in lowered or name in named:
            continue
        is_part = folder in ("connector", "connectors") and not (
            solution.unpacked and lowered.endswith(".xml") and lowered.count("/") == 1
        )
        is_flow = folder == "workflows" and lowered.endswith(".json")
        if is_part or is_flow:
            yield in_file(solution.tree, name, "No component of the solution names this file.")


@rule("solution-connector", Severity.ERROR, needs=_NEEDS)
def connector(package: Package) -> Iterator[Problem]:
    """Each `<Connector>` has its `<name>`, `<connectorid>` and `<displayname>`.

    What: the columns every exported custom connector carries; the file names of its parts
    start with the `<name>` (`<name>_openapidefinition.json`).
    Why: import creates the connector row from these; the name ties the connector to the flows
    (`api.logicalName`) and to its files.
    Fix: export the connector again from its solution.
    """
    solution = solution_of(package)
    if solution is None:
        return
    tree = solution.tree
    for item in solution.connectors():
        element = item.element
        for child in ("name", "connectorid", "displayname"):
            if not element.child_text(child):
                yield in_xml(tree, item.entry, f"The <Connector> has no <{child}>.", element)
        name = item.name
        if not name:
            continue
        for _, part in item.parts():
            leaf = part.text.rsplit("/", 1)[-1]
            if not leaf.lower().startswith(name.lower() + "_"):
                yield in_xml(
                    tree,
                    item.entry,
                    f"The part {part.text!r} is not named after the connector {name!r} (expected '{name}_...').",
                    part,
                )


@rule("solution-prefix", Severity.WARNING, needs=_NEEDS)
def prefix(package: Package) -> Iterator[Problem]:
    """Component names start with the publisher's customization prefix.

    What: the `<name>` of each connector and the logical name of each connection reference start
    with `<CustomizationPrefix>_` of the solution's publisher.
    Why: Dataverse prefixes what a publisher creates; a different prefix means the component was
    made under another publisher, which certification reviewers and ALM pipelines flag. It is a
    warning: a solution may hold components of another publisher.
    Fix: create the components in a solution of the right publisher.
    """
    solution = solution_of(package)
    value = solution.prefix if solution is not None else None
    if solution is None or value is None:
        return
    wanted = value.lower() + "_"
    tree = solution.tree
    for item in solution.connectors():
        name = item.element.child("name")
        if name is not None and name.text and not name.text.lower().startswith(wanted):
            yield in_xml(
                tree,
                item.entry,
                f"The connector name {name.text!r} does not start with the publisher prefix {wanted!r}.",
                name,
            )
    entry = solution.customizations_entry
    for reference in solution.connection_references():
        logical = reference.attribute("connectionreferencelogicalname") or ""
        if entry is not None and logical and not logical.lower().startswith(wanted):
            yield in_xml(
                tree,
                entry,
                f"The connection reference {logical!r} does not start with the publisher prefix {wanted!r}.",
                reference,
                "connectionreferencelogicalname",
            )


@rule("solution-json", Severity.ERROR, needs=_NEEDS)
def json_parts(package: Package) -> Iterator[Problem]:
    """The JSON files of a solution parse: connection parameters, policies and flows.

    What: `<name>_connectionparameters.json` (an object), `<name>_policytemplateinstances.json`
    (an array, or `null` when there are none) and every `Workflows/*.json` (an object). The
    openapidefinition is checked by `json-syntax` like any swagger.
    Why: import stores these as they are, and the connector or flow fails when it is used.
    Fix: correct the JSON at the reported line.
    """
    solution = solution_of(package)
    if solution is None:
        return
    tree = solution.tree
    wanted: list[tuple[str, tuple[type, ...], str]] = []
    for item in solution.connectors():
        for kind, element in item.parts():
            entry = solution.part_entry(element.text)
            if entry is None:
                continue
            if kind == "connectionparameters":
                wanted.append((entry, (dict,), "an object"))
            elif kind == "policytemplateinstances":
                wanted.append((entry, (list, type(None)), "an array"))
    wanted += [
        (name, (dict,), "an object")
        for name in tree.names
        if name.lower().startswith("workflows/") and name.lower().endswith(".json")
    ]
    for entry, types, shape in wanted:
        parsed = solution.json(entry)
        if parsed is None:
            continue
        problems = [issue for issue in parsed.issues if issue.kind.value != "invalid-utf8"]
        if problems:
            issue = problems[0]
            yield in_file(tree, entry, f"The file {issue.message}.", line=issue.line)
        elif not isinstance(parsed.data, types):
            yield in_file(tree, entry, f"The file holds {type(parsed.data).__name__}, not {shape}.")


RULES: tuple[Rule, ...] = (
    zip_invalid,
    zip_unsafe,
    zip_limits,
    xml_invalid,
    xml_unsafe,
    files,
    content_types,
    version,
    managed,
    manifest,
    root_components,
    guid,
    guid_style,
    part_path,
    part_unreferenced,
    connector,
    prefix,
    json_parts,
)
