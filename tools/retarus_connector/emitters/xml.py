"""A small, deterministic XML writer in the style of Dataverse exports.

Exports indent by two spaces, write `<Name />` for some empty elements and `<Name></Name>`
for others, and keep attributes and children in a fixed order; a generic serializer does not
give that control, so elements are spelled out here with explicit order and escaping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

INDENT = "  "


@dataclass(frozen=True)
class Element:
    """`text` None and no children: `<tag />`; text "" : `<tag></tag>`."""

    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    children: tuple[Element, ...] = field(default=())
    text: str | None = None


def element(tag: str, *children: Element, text: str | None = None, **attributes: str) -> Element:
    """An element; keyword attributes keep the order they are given in."""
    return Element(tag, tuple(attributes.items()), children, text)


def nil(tag: str) -> Element:
    """An empty value as exports write it: `<tag xsi:nil="true"></tag>`."""
    return Element(tag, (("xsi:nil", "true"),), (), "")


def to_xml(root: Element) -> str:
    """The document, without declaration or final newline, as solution.xml is exported."""
    lines: list[str] = []
    _write(root, 0, lines)
    return "\n".join(lines)


def _write(node: Element, depth: int, lines: list[str]) -> None:
    pad = INDENT * depth
    attributes = "".join(f' {name}="{_attribute(value)}"' for name, value in node.attributes)
    if node.children:
        lines.append(f"{pad}<{node.tag}{attributes}>")
        for child in node.children:
            _write(child, depth + 1, lines)
        lines.append(f"{pad}</{node.tag}>")
    elif node.text is None:
        lines.append(f"{pad}<{node.tag}{attributes} />")
    else:
        lines.append(f"{pad}<{node.tag}{attributes}>{escape(node.text)}</{node.tag}>")


def _attribute(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
