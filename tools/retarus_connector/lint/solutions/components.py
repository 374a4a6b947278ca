"""What the solution rules ask of a solution's manifest and components. Each question is a
generator of issues, `(file, element, attribute or None, message)`; the rules in
lint/rules/solution.py turn them into findings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from retarus_connector.lint.solutions.model import CONTENT_TYPES, Solution
from retarus_connector.lint.solutions.xmltree import Element

Issue = tuple[str, Element, str | None, str]

# Patterns as text, compiled by `re` when a solution is first checked (most lint runs check
# none).
GUID = r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$"
_FILE_GUID = r"([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$"
_UNIQUE_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
_PREFIX = r"^[A-Za-z][A-Za-z0-9]{1,7}$"
CONNECTOR_TYPE = "372"
WORKFLOW_TYPE = "29"


def content_type_issues(solution: Solution) -> Iterator[Issue]:
    """Entries of [Content_Types].xml without their attributes, and the files of the zip no
    `<Default>` (by extension, without letter case) or `<Override>` (by part name) covers."""
    if solution.unpacked or not solution.tree.is_zip:
        return  # pac solution pack writes the file anew; a folder's extra files are not parts
    entry = solution.tree.find(CONTENT_TYPES)
    root = solution.xml_root(entry)
    if entry is None or root is None:
        return
    defaults: set[str] = set()
    overrides: set[str] = set()
    for element in root.children:
        if element.name == "Default":
            extension = element.attribute("Extension")
            if not extension:
                yield entry, element, None, "A <Default> entry has no Extension."
            else:
                defaults.add(extension.lower())
        elif element.name == "Override":
            part = element.attribute("PartName")
            if not part or not part.startswith("/"):
                yield (
                    entry,
                    element,
                    None,
                    "An <Override> entry needs a PartName starting with '/'.",
                )
            else:
                overrides.add(part.lower())
        else:
            continue
        if not element.attribute("ContentType"):
            yield entry, element, None, f"The <{element.name}> entry has no ContentType."
    missing: dict[str, str] = {}
    for name in solution.tree.names:
        leaf = name.rsplit("/", 1)[-1]
        extension = leaf.rsplit(".", 1)[1] if "." in leaf[1:] else ""
        if name == entry or f"/{name}".lower() in overrides:
            continue
        if not extension:
            missing.setdefault(f"/{name}", name)
        elif extension.lower() not in defaults:
            missing.setdefault(extension, name)
    for what, example in missing.items():
        if what.startswith("/"):
            message = f'The file {example!r} has no extension and no <Override PartName="{what}">.'
        else:
            message = (
                f'No <Default Extension="{what}"> covers the file {example!r}'
                f" (and any other file ending in .{what})."
            )
        yield entry, root, None, message


def manifest_issues(solution: Solution) -> Iterator[Issue]:
    """The solution's unique name, root components element and publisher."""
    entry = solution.manifest_entry
    root = solution.xml_root(entry)
    if entry is None or root is None:
        return
    manifest = root.child("SolutionManifest")
    if manifest is None:
        yield entry, root, None, "solution.xml has no <SolutionManifest>."
        return
    name = manifest.child("UniqueName")
    if name is None or not re.match(_UNIQUE_NAME, name.text):
        shown = repr(name.text) if name is not None else "missing"
        message = f"The solution's <UniqueName> ({shown}) must be letters, digits and '_'."
        yield entry, name or manifest, None, message
    if manifest.child("RootComponents") is None:
        yield entry, manifest, None, "The solution manifest has no <RootComponents>."
    publisher = manifest.child("Publisher")
    if publisher is None:
        yield entry, manifest, None, "The solution manifest has no <Publisher>."
        return
    if not publisher.child_text("UniqueName"):
        yield entry, publisher, None, "The publisher has no <UniqueName>."
    prefix = publisher.child("CustomizationPrefix")
    if (
        prefix is None
        or not re.match(_PREFIX, prefix.text)
        or prefix.text.lower().startswith("mscrm")
    ):
        shown = repr(prefix.text) if prefix is not None else "missing"
        message = (
            f"The publisher's <CustomizationPrefix> ({shown}) must be 2 to 8 letters and digits"
            " starting with a letter, not 'mscrm'."
        )
        yield entry, prefix or publisher, None, message
    option = publisher.child("CustomizationOptionValuePrefix")
    if option is not None and not (option.text.isdigit() and 10000 <= int(option.text) <= 99999):
        message = (
            f"The publisher's <CustomizationOptionValuePrefix> {option.text!r} is not a number"
            " from 10000 to 99999."
        )
        yield entry, option, None, message


def _key(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def root_component_issues(solution: Solution) -> Iterator[Issue]:
    """Connector (372) and flow (29) root components without their component, and
    components that are no root component."""
    entry = solution.manifest_entry
    if entry is None or solution.manifest is None:
        return
    connectors = solution.connectors()
    workflows = solution.workflows()
    by_id = {_key(c.element.child_text("connectorid")): c.name.lower() for c in connectors}
    names = set(by_id.values())
    workflow_ids = {_key(w.element.attribute("WorkflowId")) for w in workflows}
    rooted: set[str] = set()
    for root in solution.root_components():
        kind = root.attribute("type")
        ident = _key(root.attribute("id"))
        rooted.add(ident)
        if kind == CONNECTOR_TYPE:
            name = (root.attribute("schemaName") or "").lower()
            rooted.add(name)
            shown = root.attribute("schemaName") or root.attribute("id")
            if (ident and ident not in by_id) or (not ident and name not in names):
                message = (
                    f"The root component connector {shown!r} has no <Connector> in the solution."
                )
                yield entry, root, None, message
            elif ident and name and by_id[ident] != name:
                message = (
                    f"The root component's schemaName {root.attribute('schemaName')!r} is not the"
                    f" <name> of the connector with id {ident}."
                )
                yield entry, root, "schemaName", message
        elif kind == WORKFLOW_TYPE and ident not in workflow_ids:
            message = f"The root component flow {root.attribute('id')!r} has no <Workflow> in the solution."
            yield entry, root, None, message
    for connector in connectors:
        ident = _key(connector.element.child_text("connectorid"))
        if ident not in rooted and connector.name.lower() not in rooted:
            message = f"The connector {connector.name!r} is not a root component (type 372) in solution.xml."
            yield connector.entry, connector.element, None, message
    for workflow in workflows:
        if _key(workflow.element.attribute("WorkflowId")) not in rooted:
            message = (
                f"The flow {workflow.element.attribute('Name')!r} is not a root component"
                " (type 29) in solution.xml."
            )
            yield workflow.entry, workflow.element, None, message


def guids(solution: Solution) -> Iterator[tuple[str, Element, str | None, str, str]]:
    """(file, element, attribute or None, value, the form exports write) of every id."""
    entry = solution.manifest_entry
    if entry is not None:
        for root in solution.root_components():
            value = root.attribute("id")
            if value is not None:
                yield entry, root, "id", value, "braces"
    for connector in solution.connectors():
        element = connector.element.child("connectorid")
        if element is not None:
            yield connector.entry, element, None, element.text, "bare"
    for workflow in solution.workflows():
        value = workflow.element.attribute("WorkflowId")
        if value is not None:
            yield workflow.entry, workflow.element, "WorkflowId", value, "braces"


def guid_issues(solution: Solution) -> Iterator[Issue]:
    """Component ids that are no GUID."""
    for entry, element, attribute, value, _ in guids(solution):
        if not re.match(GUID, value.strip()):
            yield entry, element, attribute, f"{value!r} is not a GUID."


def guid_style_issues(solution: Solution) -> Iterator[Issue]:
    """Ids spelt otherwise than exports spell them, and flow file names whose GUID differs
    from the WorkflowId or is not upper case."""
    for entry, element, attribute, value, form in guids(solution):
        if re.match(GUID, value.strip()):
            bare = value.strip("{}")
            expected = "{" + bare.lower() + "}" if form == "braces" else bare.lower()
            if value != expected:
                message = f"The id {value!r} is written {expected!r} in exported solutions."
                yield entry, element, attribute, message
    for workflow in solution.workflows():
        ident = (workflow.element.attribute("WorkflowId") or "").strip("{}")
        stem = workflow.json_file.rsplit("/", 1)[-1].removesuffix(".json")
        match = re.search(_FILE_GUID, stem)
        if match is None or not re.match(GUID, ident):
            continue
        where = workflow.element.child("JsonFileName") or workflow.element
        if match.group(1).lower() != ident.lower():
            message = (
                f"The flow file name {workflow.json_file!r} does not end in its WorkflowId {ident}."
            )
            yield workflow.entry, where, None, message
        elif match.group(1) != ident.upper():
            message = f"The GUID in the flow file name {workflow.json_file!r} is upper case in exported solutions."
            yield workflow.entry, where, None, message


def part_paths(solution: Solution) -> Iterator[tuple[str, Element, str]]:
    """(file, element, path) of every file path a component names."""
    for connector in solution.connectors():
        for _, element in connector.parts():
            yield connector.entry, element, element.text
    for workflow in solution.workflows():
        named = workflow.element.child("JsonFileName")
        if named is not None:
            yield workflow.entry, named, named.text


def part_path_issues(solution: Solution) -> Iterator[Issue]:
    """Part paths without their leading "/" or naming no file of the solution, and connectors
    that name no <openapidefinition> file."""
    for entry, element, path in part_paths(solution):
        if not path.startswith("/"):
            yield entry, element, None, f"The part path {path!r} does not start with '/'."
        elif solution.part_entry(path) is None:
            yield entry, element, None, f"The file {path!r} is not in the solution."
    for connector in solution.connectors():
        if connector.element.child("openapidefinition") is None:
            message = f"The connector {connector.name!r} names no <openapidefinition> file."
            yield connector.entry, connector.element, None, message
