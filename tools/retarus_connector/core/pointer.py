"""RFC 6901 JSON pointers: building them, taking them apart, and reading what they point at.

A pointer is a string of reference tokens, each after a "/" ("" is the whole document); in a
token "~" is written "~0" and "/" is written "~1". Array items are named by their position in
ASCII digits. Nothing here assumes the document is valid: a pointer that leads nowhere is
answered with `MISSING`, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final


class _Missing:
    """The type of `MISSING`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


# what `lookup` answers for a pointer that leads nowhere (JSON null is a value it may find)
MISSING: Final = _Missing()


def escape(token: str | int) -> str:
    """One reference token as a pointer writes it (a position becomes its digits)."""
    if not isinstance(token, str):
        return str(token)
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def unescape(token: str) -> str:
    """One reference token as the key it names ("~1" is "/", "~0" is "~", in that order)."""
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


def join(pointer: str, *tokens: str | int) -> str:
    """The pointer to a descendant of `pointer`, `tokens` below it."""
    for token in tokens:
        pointer += "/" + escape(token)
    return pointer


def split(pointer: str) -> list[str] | None:
    """The reference tokens of a pointer, unescaped; None when it is not one (it does not
    start with "/" and is not "")."""
    if pointer == "":
        return []
    if pointer[0] != "/":
        return None
    tokens = pointer[1:].split("/")
    if "~" in pointer:
        return [unescape(token) for token in tokens]
    return tokens


def step(node: Any, token: str) -> Any:
    """The member `token` of an object, or the item at position `token` of an array (ASCII
    digits); `MISSING` when there is none or `node` is neither."""
    if node.__class__ is dict or isinstance(node, Mapping):
        return node.get(token, MISSING)
    if (node.__class__ is list or isinstance(node, list)) and token.isascii() and token.isdigit():
        position = int(token)
        if position < len(node):
            return node[position]
    return MISSING


def lookup(document: Any, pointer: str) -> Any:
    """The value `pointer` names in `document`, or `MISSING` when it names none (or is not a
    pointer)."""
    tokens = split(pointer)
    if tokens is None:
        return MISSING
    node = document
    for token in tokens:
        node = step(node, token)
        if node is MISSING:
            return MISSING
    return node


def walk(value: Any, pointer: str = "") -> Iterator[tuple[Any, str]]:
    """Every value in a JSON document with its pointer, parents before children, in document
    order. Iterative: a deeply nested document cannot exhaust the Python stack."""
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        node, node_pointer = stack.pop()
        yield node, node_pointer
        if isinstance(node, dict):
            stack.extend((child, join(node_pointer, key)) for key, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(
                (child, join(node_pointer, position))
                for position, child in reversed(list(enumerate(node)))
            )


def strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every string value in a JSON document with its pointer."""
    for node, node_pointer in walk(value, pointer):
        if isinstance(node, str):
            yield node, node_pointer
