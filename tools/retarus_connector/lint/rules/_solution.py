"""What the solution, flow and certification rule families share: reaching the parsed
solution or certification package of a package, and problems placed in one of its files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retarus_connector.lint.model import FileKind, Package, Problem

if TYPE_CHECKING:  # the readers are imported when a solution is read, not by every lint run
    from retarus_connector.lint.solutions.model import Certification, Solution
    from retarus_connector.lint.solutions.tree import Tree
    from retarus_connector.lint.solutions.xmltree import Element

SOLUTION = FileKind.SOLUTION
CERTIFICATION = FileKind.CERTIFICATION


def solution_of(package: Package) -> Solution | None:
    document = package.document(SOLUTION)
    return document.data if document is not None else None


def certification_of(package: Package) -> Certification | None:
    document = package.document(CERTIFICATION)
    return document.data if document is not None else None


def in_xml(
    tree: Tree,
    entry: str,
    message: str,
    element: Element | None = None,
    attribute: str | None = None,
    kind: FileKind = SOLUTION,
) -> Problem:
    """A problem at an element (or one of its attributes) of an XML file of the tree."""
    pointer = ""
    line = None
    if element is not None:
        pointer = element.attribute_path(attribute) if attribute else element.path
        line = element.line
    return Problem(message, pointer, kind, line, None, tree.display_of(entry))


def in_file(
    tree: Tree, entry: str | None, message: str, kind: FileKind = SOLUTION, line: int | None = None
) -> Problem:
    """A problem about a whole file of the tree, or the tree itself when `entry` is None."""
    path = tree.display_of(entry) if entry is not None else tree.display
    return Problem(message, "", kind, line, None, path)


def in_json(solution: Solution, entry: str, message: str, pointer: str) -> Problem:
    """A problem at a JSON pointer of a JSON file of the solution, with its line."""
    from retarus_connector.lint.location import Locator

    parsed = solution.json(entry)
    line = column = None
    if parsed is not None and parsed.text is not None:
        place = Locator(parsed.text, parsed=True).locate(pointer)
        if place is not None:
            line, column = place
    return Problem(message, pointer, SOLUTION, line, column, solution.tree.display_of(entry))


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
