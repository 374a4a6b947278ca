"""Hardened XML reading: defusedxml refuses DTDs, entity declarations and external references,
so an entity bomb or an external entity is an issue, not an expansion. The result is a light
element tree whose elements know their line and their path.

A path names an element the way an XPath would, by local names from the root, with a 1-based
index where siblings share a name: `/ImportExportXml/SolutionManifest/RootComponents/
RootComponent[2]`; an attribute is `/@name` after its element. Findings in XML files use these
paths where JSON files use JSON pointers.
"""

from collections.abc import Iterator
from typing import Any, NamedTuple

# real solution XML is a few levels deep; the limit keeps later walks of the tree cheap
MAX_DEPTH = 200


class Element:
    """An XML element: local name, attributes by local name, text (stripped), children, the
    1-based line of its start tag and its parent."""

    __slots__ = ("_path", "attributes", "children", "line", "name", "parent", "text")

    def __init__(self, name: str, attributes: dict[str, str], line: int, parent: "Element | None"):
        self.name = name
        self.attributes = attributes
        self.line = line
        self.parent = parent
        self.children: list[Element] = []
        self.text = ""
        self._path: str | None = None

    @property
    def path(self) -> str:
        if self._path is None:
            if self.parent is None:
                self._path = f"/{self.name}"
            else:
                same = [child for child in self.parent.children if child.name == self.name]
                index = f"[{same.index(self) + 1}]" if len(same) > 1 else ""
                self._path = f"{self.parent.path}/{self.name}{index}"
        return self._path

    def attribute_path(self, name: str) -> str:
        return f"{self.path}/@{name}"

    def child(self, name: str) -> "Element | None":
        """The first child with this local name, compared without letter case."""
        wanted = name.lower()
        return next((child for child in self.children if child.name.lower() == wanted), None)

    def all(self, name: str) -> "list[Element]":
        wanted = name.lower()
        return [child for child in self.children if child.name.lower() == wanted]

    def child_text(self, name: str) -> str | None:
        found = self.child(name)
        return found.text if found is not None else None

    def attribute(self, name: str) -> str | None:
        wanted = name.lower()
        return next(
            (value for key, value in self.attributes.items() if key.lower() == wanted), None
        )

    def descendants(self, name: str) -> "Iterator[Element]":
        """Every element below this one with that local name, in document order."""
        wanted = name.lower()
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if node.name.lower() == wanted:
                yield node
            stack.extend(reversed(node.children))

    @property
    def filled(self) -> bool:
        """Whether the element has children or attributes, the test the certification
        validator applies (an empty `<Connectors />` does not count)."""
        return bool(self.children or self.attributes)


class XmlDocument(NamedTuple):
    """One XML file: its root element, or the reason it has none (`error`, with a line);
    `unsafe` tells a refused DTD or entity from a plain syntax error."""

    root: Element | None = None
    error: str | None = None
    line: int | None = None
    unsafe: bool = False
    has_bom: bool = False


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1] if name.startswith("{") else name.split(":")[-1]


class _TooDeep(Exception):
    pass


class _Builder:
    """The parser's target: builds `Element`s, reading the line from the expat parser."""

    def __init__(self) -> None:
        self.parser: Any = None
        self.root: Element | None = None
        self.stack: list[Element] = []
        self.texts: list[list[str]] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep
        parent = self.stack[-1] if self.stack else None
        line = int(self.parser.parser.CurrentLineNumber)
        element = Element(
            _local(tag), {_local(key): value for key, value in attrs.items()}, line, parent
        )
        if parent is None:
            self.root = element
        else:
            parent.children.append(element)
        self.stack.append(element)
        self.texts.append([])

    def end(self, tag: str) -> None:
        element = self.stack.pop()
        element.text = "".join(self.texts.pop()).strip()

    def data(self, data: str) -> None:
        if self.texts:
            self.texts[-1].append(data)

    def close(self) -> Element | None:
        return self.root


def parse_xml(raw: bytes) -> XmlDocument:
    """Parse XML bytes without expanding anything; never raises."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    has_bom = raw.startswith(b"\xef\xbb\xbf")
    if not raw.strip():
        return XmlDocument(error="is empty", line=1, has_bom=has_bom)
    builder = _Builder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(raw)
        parser.close()
    except DefusedXmlException as error:
        line = _line_of(parser)
        return XmlDocument(
            error=f"declares {_what(error)}, which the linter refuses to read (an entity bomb or"
            " an external reference would hide here; exported solutions declare none)",
            line=line,
            unsafe=True,
            has_bom=has_bom,
        )
    except _TooDeep:
        return XmlDocument(
            error=f"is nested deeper than {MAX_DEPTH} elements", line=_line_of(parser)
        )
    except ParseError as error:
        position = getattr(error, "position", None)
        line = position[0] if position else None
        return XmlDocument(error=f"is not well-formed XML ({error})", line=line, has_bom=has_bom)
    except (ValueError, LookupError, RecursionError, MemoryError) as error:
        return XmlDocument(error=f"cannot be parsed as XML ({error})", has_bom=has_bom)
    if builder.root is None:
        return XmlDocument(error="holds no XML element", line=1, has_bom=has_bom)
    return XmlDocument(root=builder.root, has_bom=has_bom)


def _what(error: Exception) -> str:
    name = type(error).__name__
    return {
        "DTDForbidden": "a document type (DTD)",
        "EntitiesForbidden": "an entity",
        "ExternalReferenceForbidden": "an external reference",
    }.get(name, "a forbidden construct")


def _line_of(parser: Any) -> int | None:
    try:
        return int(parser.parser.CurrentLineNumber)
    except (AttributeError, TypeError, ValueError):
        return None
