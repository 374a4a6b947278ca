"""The nodes of a swagger the rules report on: operations, parameters and schema entries, each
giving its RFC 6901 pointer only when a finding asks for it; and what an operation takes and
answers, with references followed by core's one `$ref` follower."""

from __future__ import annotations

from typing import Any

from retarus_connector.core.pointer import escape, join
from retarus_connector.core.refs import follow as follow_refs
from retarus_connector.lint.rules._values import as_list, text


def follow(document: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """The node a chain of `$ref` objects from `node` ends at, with its pointer; where a
    reference does not resolve (see `core.refs`), the `$ref` object it stopped at."""
    if node.__class__ is not dict or "$ref" not in node:
        return node, pointer
    found = follow_refs(document, node, pointer)
    return found.node, found.pointer


class Operation:
    """An operation object under `paths`; its pointers are computed when first asked for."""

    __slots__ = ("_path_pointer", "_responses", "method", "node", "path", "path_item")
    kind = "operation"

    def __init__(
        self, path: str, method: str, node: dict[str, Any], path_item: dict[str, Any]
    ) -> None:
        self.path = path
        self.method = method
        self.node = node
        self.path_item = path_item
        self._path_pointer: str | None = None
        self._responses: list[tuple[str, dict[str, Any], str]] | None = None

    @property
    def path_pointer(self) -> str:
        if self._path_pointer is None:
            self._path_pointer = "/paths/" + escape(self.path)
        return self._path_pointer

    @property
    def pointer(self) -> str:
        return self.path_pointer + "/" + self.method

    @property
    def operation_id(self) -> str | None:
        return text(self.node.get("operationId"))

    @property
    def route(self) -> str:
        """The method and path, as the structure rules name an operation."""
        return f"{self.method.upper()} {self.path}"

    @property
    def label(self) -> str:
        """How a message names the operation: its operationId, else method and path."""
        return self.operation_id or f"{self.method.upper()} {self.path}"

    @property
    def internal(self) -> bool:
        return self.node.get("x-ms-visibility") == "internal"

    @property
    def deprecated(self) -> bool:
        return self.node.get("deprecated") is True


class Parameter:
    """A parameter object where it is written (for a reference: its target). Its pointer is
    computed when first asked for."""

    __slots__ = ("_pointer", "_tokens", "node")
    kind = "parameter"

    def __init__(
        self, node: dict[str, Any], pointer: str | None = None, tokens: tuple[str | int, ...] = ()
    ) -> None:
        self.node = node
        self._pointer = pointer
        self._tokens = tokens  # the path from the root, when `pointer` is not given

    @property
    def pointer(self) -> str:
        if self._pointer is None:
            self._pointer = join("", *self._tokens)
        return self._pointer

    @property
    def name(self) -> str | None:
        return text(self.node.get("name"))

    @property
    def location(self) -> str | None:
        return text(self.node.get("in"))


# One schema object where it is written, as the index keeps it (a plain tuple: the index
# holds one per schema of the document, and a tuple is the cheapest thing Python makes):
# (node, parent, key, token). The parent is the schema entry it lies in, the Parameter whose
# `schema` it is, or None below the document root; key and token are the one or two
# reference tokens from the parent to the node ("properties" and the property's name,
# "items" and None or the item's position, ...), for a root entry key is the tuple of tokens
# from the parent and token None.
SchemaEntry = tuple[dict[str, Any], Any, Any, Any]


def schema_pointer(entry: SchemaEntry, *tokens: str | int) -> str:
    """The RFC 6901 pointer of a schema entry (and of `tokens` below it)."""
    parts: list[str | int] = list(reversed(tokens))
    base = ""
    while True:
        _, parent, key, token = entry
        if token is not None:
            parts.append(token)
        if key.__class__ is tuple:
            parts.extend(reversed(key))
        else:
            parts.append(key)
        if parent is None:
            break
        if parent.__class__ is not tuple:
            base = parent.pointer
            break
        entry = parent
    parts.reverse()
    return base + "".join(["/" + escape(part) for part in parts])


def schema_name(entry: SchemaEntry) -> str | None:
    """The property name of a schema that is a named property of another, else None."""
    return entry[3] if entry[2] == "properties" else None


class SchemaNode:
    """One schema object of the document, for the rules that look at schemas one by one (those
    carrying an indexed key, `holders_with`). Its pointer is computed when first asked for."""

    __slots__ = ("_pointer", "entry", "node")
    kind = "schema"

    def __init__(self, entry: SchemaEntry) -> None:
        self.entry = entry
        self.node = entry[0]
        self._pointer: str | None = None

    @property
    def pointer(self) -> str:
        if self._pointer is None:
            self._pointer = schema_pointer(self.entry)
        return self._pointer

    @property
    def name(self) -> str | None:
        """The property name, for a schema that is a named property of another."""
        return schema_name(self.entry)

    @property
    def required(self) -> bool:
        """Whether it is a property its parent schema lists in `required`."""
        _, parent, key, name = self.entry
        if key != "properties":
            return False
        required = parent[0].get("required")
        return isinstance(required, list) and name in required


Holder = Operation | Parameter | SchemaNode


def responses(swagger: Any, operation: Operation) -> list[tuple[str, dict[str, Any], str]]:
    """(status code, response object, pointer) for each response of an operation; references
    into `#/responses` are followed and reported at their target. Kept on the operation, since
    several rules ask."""
    if operation._responses is not None:
        return operation._responses
    found: list[tuple[str, dict[str, Any], str]] = []
    declared = operation.node.get("responses")
    if isinstance(declared, dict):
        base = operation.pointer + "/responses"
        for code, response in declared.items():
            pointer = base + "/" + escape(code)
            if isinstance(response, dict) and "$ref" in response:
                response, pointer = follow(swagger, response, pointer)
            if isinstance(response, dict) and "$ref" not in response:
                found.append((str(code), response, pointer))
    operation._responses = found
    return found


def operation_parameters(swagger: Any, operation: Operation) -> list[Parameter]:
    """The parameters an operation takes: those of its path item, overridden by its own (same
    name and location), with references resolved; unresolvable ones are left out. The pointers
    of parameters written in place are computed only when asked for."""
    merged: dict[tuple[Any, Any], Parameter] = {}
    for owner, owner_tokens in (
        (operation.path_item, ("paths", operation.path)),
        (operation.node, ("paths", operation.path, operation.method)),
    ):
        for position, node in enumerate(as_list(owner.get("parameters"))):
            if not isinstance(node, dict):
                continue
            if "$ref" in node:
                # a resolved reference is reported where it points, whatever the pointer given
                target, pointer = follow(swagger, node, "")
                if not isinstance(target, dict) or "$ref" in target:
                    continue
                parameter = Parameter(target, pointer)
            else:
                target = node
                parameter = Parameter(node, tokens=(*owner_tokens, "parameters", position))
            merged[(text(target.get("name")), text(target.get("in")))] = parameter
    return list(merged.values())
