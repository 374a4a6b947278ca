"""One side of a comparison read from a Dataverse solution: a solution zip, an unpacked
solution folder, or a certification package (its solutions are searched). The connector inside
stands for the package: its openapidefinition is the swagger; its connection parameters, policy
template instances, brand color and script operations are the apiProperties; its iconblob and
custom code are the icon and the script. The archive is read by the linter's hardened reader.
"""

from __future__ import annotations

from pathlib import Path

from retarus_connector.diff.io import (
    DiffInputError,
    LoadedDocument,
    LoadedVersion,
    parse_swagger,
)
from retarus_connector.lint.solutions.discover import is_unpacked_solution, is_zip_name
from retarus_connector.lint.solutions.model import (
    Certification,
    Connector,
    Solution,
    connector_files,
    connector_properties,
    open_solution,
)


def is_solution_path(path: Path) -> bool:
    """Whether a diff side names a solution rather than a swagger or package folder."""
    if path.is_dir():
        return not (path / "apiDefinition.swagger.json").exists() and is_unpacked_solution(path)
    return is_zip_name(path.name)


def _connectors(opened: Solution | Certification) -> list[tuple[Solution, Connector]]:
    solutions = [opened] if isinstance(opened, Solution) else [s for _, s in opened.solutions()]
    found: dict[str, tuple[Solution, Connector]] = {}
    for solution in solutions:
        for connector in solution.connectors():
            # a certification package carries the connector in each of its solutions
            found.setdefault(connector.name.lower(), (solution, connector))
    return list(found.values())


def load_solution_version(
    path: Path, label: str | None = None, *, with_properties: bool = True
) -> LoadedVersion:
    """The connector inside a solution, as a version to compare."""
    shown = label or str(path)
    opened = open_solution(path, shown)
    broken = [issue for issue in opened.tree.issues if issue.entry is None]
    if broken:
        raise DiffInputError(f"{shown} {broken[0].message}")
    connectors = _connectors(opened)
    if len(connectors) != 1:
        names = ", ".join(sorted(connector.name for _, connector in connectors)) or "none"
        raise DiffInputError(
            f"{shown} must hold exactly one custom connector to compare; it holds"
            f" {len(connectors)} ({names})"
        )
    solution, connector = connectors[0]
    files = connector_files(solution, connector)
    tree = solution.tree
    swagger_entry = files.get("openapidefinition")
    raw = tree.read(swagger_entry) if swagger_entry is not None else None
    if swagger_entry is None or raw is None:
        raise DiffInputError(
            f"{tree.display_of(connector.entry)}: the connector {connector.name!r} has no"
            " openapidefinition file in the solution"
        )
    swagger = parse_swagger(raw, tree.display_of(swagger_entry))
    if not with_properties:
        return LoadedVersion(swagger)
    properties = connector_properties(solution, connector, files)
    source = files.get("connectionparameters", connector.entry)
    if properties is None:
        raise DiffInputError(
            f"{tree.display_of(source)} is not a JSON object of connection parameters"
        )

    def part(kind: str) -> LoadedDocument | None:
        entry = files.get(kind)
        data = tree.read(entry) if entry is not None else None
        return LoadedDocument(tree.display_of(entry), data) if entry and data is not None else None

    return LoadedVersion(
        swagger,
        LoadedDocument(tree.display_of(source), properties),
        part("customcodeblobcontent"),
        part("iconblob"),
    )
