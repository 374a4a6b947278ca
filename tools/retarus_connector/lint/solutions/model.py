"""Solutions and certification packages as the rules read them, parsed from a `Tree`.

Both layouts of a solution are read (reference section 0): the zip layout (`solution.xml`,
`customizations.xml`, `[Content_Types].xml`, `Connector/`, `Workflows/`) and the unpacked layout
(`Other/Solution.xml`, `Other/Customizations.xml`, `Connectors/<name>.xml`,
`Workflows/*.json.data.xml`). Part paths inside the XML say `/Connector/...` in both layouts;
in an unpacked folder they name files under `Connectors/`.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

from retarus_connector.core.jsonfile import JsonText, parse_json
from retarus_connector.lint.solutions.tree import Tree, folder_tree, read_zip_file, zip_tree
from retarus_connector.lint.solutions.xmltree import Element, XmlDocument, parse_xml

MANIFEST = "solution.xml"
CUSTOMIZATIONS = "customizations.xml"
CONTENT_TYPES = "[Content_Types].xml"
UNPACKED_MANIFEST = "Other/Solution.xml"
UNPACKED_CUSTOMIZATIONS = "Other/Customizations.xml"
# the <Connector> children that name a file of the solution
PART_ELEMENTS = (
    "openapidefinition",
    "connectionparameters",
    "policytemplateinstances",
    "iconblob",
    "customcodeblobcontent",
)


class Connector:
    """A `<Connector>` element and the file that holds it."""

    __slots__ = ("element", "entry")

    def __init__(self, element: Element, entry: str) -> None:
        self.element = element
        self.entry = entry

    @property
    def name(self) -> str:
        return self.element.child_text("name") or ""

    def parts(self) -> list[tuple[str, Element]]:
        """(part kind, element) of each part the connector names."""
        found: list[tuple[str, Element]] = []
        for kind in PART_ELEMENTS:
            element = self.element.child(kind)
            if element is not None and element.text:
                found.append((kind, element))
        return found


class Workflow:
    """A `<Workflow>` element (inside customizations.xml, or a `.json.data.xml` file)."""

    __slots__ = ("element", "entry")

    def __init__(self, element: Element, entry: str) -> None:
        self.element = element
        self.entry = entry

    @property
    def json_file(self) -> str:
        return self.element.child_text("JsonFileName") or ""


class Solution:
    """One solution. Parsed XML and JSON files are kept as they are first asked for."""

    __slots__ = ("_json", "_xml", "tree", "unpacked")

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        # the layout follows the files, not the container: a folder may hold an extracted zip
        # (solution.xml at its root), and a zip may hold an unpacked folder
        self.unpacked = tree.find(UNPACKED_MANIFEST) is not None or (
            not tree.is_zip and tree.find(MANIFEST) is None
        )
        self._xml: dict[str, XmlDocument] = {}
        self._json: dict[str, JsonText] = {}

    # ---------------------------------------------------------------- files

    @property
    def manifest_entry(self) -> str | None:
        return self.tree.find(UNPACKED_MANIFEST if self.unpacked else MANIFEST)

    @property
    def customizations_entry(self) -> str | None:
        return self.tree.find(UNPACKED_CUSTOMIZATIONS if self.unpacked else CUSTOMIZATIONS)

    def xml(self, entry: str | None) -> XmlDocument | None:
        if entry is None:
            return None
        if entry not in self._xml:
            raw = self.tree.read(entry)
            self._xml[entry] = parse_xml(raw) if raw is not None else XmlDocument()
        return self._xml[entry]

    def xml_root(self, entry: str | None) -> Element | None:
        document = self.xml(entry)
        return document.root if document is not None else None

    def json(self, entry: str) -> JsonText | None:
        if entry not in self._json:
            raw = self.tree.read(entry)
            if raw is None:
                return None
            self._json[entry] = parse_json(raw)
        return self._json[entry]

    def xml_entries(self) -> list[str]:
        """Every XML file the solution's rules read, in a fixed order."""
        entries = [self.manifest_entry, self.customizations_entry]
        if not self.unpacked:
            entries.append(self.tree.find(CONTENT_TYPES))
        else:
            entries += [name for name in self.tree.names if _connector_xml(name)]
            entries += [name for name in self.tree.names if name.lower().endswith(".json.data.xml")]
        return [entry for entry in entries if entry is not None]

    # ---------------------------------------------------------------- manifest

    @property
    def manifest(self) -> Element | None:
        root = self.xml_root(self.manifest_entry)
        return root.child("SolutionManifest") if root is not None else None

    @property
    def prefix(self) -> str | None:
        manifest = self.manifest
        publisher = manifest.child("Publisher") if manifest is not None else None
        value = publisher.child_text("CustomizationPrefix") if publisher is not None else None
        return value or None

    def root_components(self) -> list[Element]:
        manifest = self.manifest
        roots = manifest.child("RootComponents") if manifest is not None else None
        return roots.all("RootComponent") if roots is not None else []

    def missing_dependencies(self) -> list[Element]:
        manifest = self.manifest
        missing = manifest.child("MissingDependencies") if manifest is not None else None
        return missing.all("MissingDependency") if missing is not None else []

    # ---------------------------------------------------------------- components

    @property
    def customizations(self) -> Element | None:
        return self.xml_root(self.customizations_entry)

    def connectors(self) -> list[Connector]:
        found: list[Connector] = []
        root = self.customizations
        entry = self.customizations_entry
        if root is not None and entry is not None:
            found += [Connector(element, entry) for element in root.descendants("Connector")]
        if self.unpacked:
            for name in self.tree.names:
                if _connector_xml(name):
                    element = self.xml_root(name)
                    if element is not None and element.name.lower() == "connector":
                        found.append(Connector(element, name))
        return found

    def workflows(self) -> list[Workflow]:
        found: list[Workflow] = []
        root = self.customizations
        entry = self.customizations_entry
        if root is not None and entry is not None:
            found += [Workflow(element, entry) for element in root.descendants("Workflow")]
        if self.unpacked:
            for name in self.tree.names:
                if name.lower().endswith(".json.data.xml"):
                    element = self.xml_root(name)
                    if element is not None and element.name.lower() == "workflow":
                        found.append(Workflow(element, name))
        return found

    def connection_references(self) -> list[Element]:
        root = self.customizations
        return list(root.descendants("connectionreference")) if root is not None else []

    def part_entry(self, path: str) -> str | None:
        """The file a part path (`/Connector/x.json`, `/Workflows/y.json`) names, if present."""
        relative = path.lstrip("/")
        if self.unpacked and relative.lower().startswith("connector/"):
            relative = "Connectors/" + relative.split("/", 1)[1]
        return self.tree.find(relative)


def _connector_xml(name: str) -> bool:
    lowered = name.lower()
    return (
        lowered.startswith("connectors/") and lowered.endswith(".xml") and lowered.count("/") == 1
    )


def looks_like_solution(tree: Tree) -> bool:
    wanted = {MANIFEST, CUSTOMIZATIONS, CONTENT_TYPES.lower()}
    return any(name.lower() in wanted for name in tree.root_files())


class Certification:
    """A certification package: the outer zip, the package zip inside it and the solution
    zips in the package's folder, each parsed as a `Solution`."""

    __slots__ = ("_package", "_solutions", "tree")

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self._package: Tree | bool | None = False
        self._solutions: list[tuple[str, Solution]] | None = None

    def root_files(self, extension: str) -> list[str]:
        return [name for name in self.tree.root_files() if name.lower().endswith(extension)]

    @property
    def package_entry(self) -> str | None:
        zips = self.root_files(".zip")
        return zips[0] if len(zips) == 1 else None

    @property
    def package(self) -> Tree | None:
        """The package zip's tree, when the outer zip holds exactly one zip."""
        if self._package is False:
            entry = self.package_entry
            raw = self.tree.read(entry) if entry is not None else None
            self._package = (
                zip_tree(raw, self.tree.display_of(entry), self.tree.depth + 1)
                if raw is not None and entry is not None
                else None
            )
        return self._package if isinstance(self._package, Tree) else None

    @property
    def assets_folder(self) -> str | None:
        package = self.package
        if package is None:
            return None
        folders = package.root_folders()
        return folders[0] if len(folders) == 1 else None

    def asset_zips(self) -> list[str]:
        package, folder = self.package, self.assets_folder
        if package is None or folder is None:
            return []
        prefix = f"{folder}/"
        return [
            name
            for name in package.names
            if name.startswith(prefix)
            and "/" not in name[len(prefix) :]
            and name.lower().endswith(".zip")
        ]

    def solutions(self) -> list[tuple[str, Solution]]:
        """(entry in the package zip, solution) for each zip in the package's folder."""
        if self._solutions is None:
            self._solutions = []
            package = self.package
            if package is not None:
                for entry in self.asset_zips():
                    raw = package.read(entry)
                    if raw is not None:
                        tree = zip_tree(raw, package.display_of(entry), package.depth + 1)
                        self._solutions.append((entry, Solution(tree)))
        return self._solutions


def json_data(solution: Solution, entry: str) -> Any:
    parsed = solution.json(entry)
    return parsed.data if parsed is not None else None


# Dataverse stores a policy instance with these keys (an exported connector's
# _policytemplateinstances.json reads [{"TemplateId": ..., "Title": ..., "Parameters": ...}]);
# apiProperties, which the policy rules and diff read, spells them in lower camel case.
EXPORTED_POLICY_KEYS = MappingProxyType(
    {"TemplateId": "templateId", "Title": "title", "Parameters": "parameters"}
)


def _as_api_properties(instance: Any) -> Any:
    if not isinstance(instance, dict):
        return instance
    return {EXPORTED_POLICY_KEYS.get(key, key): value for key, value in instance.items()}


def connector_files(solution: Solution, connector: Connector) -> dict[str, str]:
    """Part kind (`openapidefinition`, `iconblob`, ...) -> the file of the solution it names,
    for the parts whose file is there."""
    files: dict[str, str] = {}
    for kind, element in connector.parts():
        entry = solution.part_entry(element.text)
        if entry is not None:
            files[kind] = entry
    return files


def connector_properties(
    solution: Solution, connector: Connector, files: dict[str, str]
) -> dict[str, Any] | None:
    """The apiProperties the connector's parts amount to: its connection parameters, policy
    template instances, `<iconbrandcolor>` and `<scriptoperations>`. None when the connection
    parameters are there but are no JSON object."""
    inner: dict[str, Any] = {}
    entry = files.get("connectionparameters")
    if entry is not None:
        parsed = solution.json(entry)
        if parsed is None or not isinstance(parsed.data, dict):
            return None
        inner["connectionParameters"] = parsed.data
    else:
        inner["connectionParameters"] = {}
    element = connector.element
    color = element.child_text("iconbrandcolor")
    if color is not None:
        inner["iconBrandColor"] = color
    entry = files.get("policytemplateinstances")
    if entry is not None:
        parsed = solution.json(entry)
        if parsed is not None and isinstance(parsed.data, list):
            inner["policyTemplateInstances"] = [_as_api_properties(item) for item in parsed.data]
    operations = element.child_text("scriptoperations")
    if operations:
        try:
            inner["scriptOperations"] = json.loads(operations)
        except ValueError:
            inner["scriptOperations"] = operations
    return {"properties": inner}


def open_solution(path: Path, display: str) -> Solution | Certification:
    """A solution zip or folder, or a certification package, as the linter reads it."""
    if path.is_dir():
        return Solution(folder_tree(path, display))
    tree = read_zip_file(path, display)
    roots = [name.lower() for name in tree.root_files()]
    if not looks_like_solution(tree) and any(name.endswith((".md", ".zip")) for name in roots):
        return Certification(tree)
    return Solution(tree)
