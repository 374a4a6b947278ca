"""What the structure rules share: the Swagger 2.0 vocabulary they check against, and the
operations and parameter lists of the shared index in the order they report them."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

from retarus_connector.core.names import HTTP_METHODS, SWAGGER_ROOT_KEYS
from retarus_connector.lint.model import FileKind, Package
from retarus_connector.lint.rules._walk import (
    Index,
    Operation,
)
from retarus_connector.lint.rules._walk import index as schema_index

ROOT_KEYS = frozenset(SWAGGER_ROOT_KEYS)
PARAMETER_LOCATIONS = ("query", "header", "path", "formData", "body")
PARAMETER_TYPES = ("string", "number", "integer", "boolean", "array", "file")
SCHEMES = ("http", "https", "ws", "wss")
REF_SECTIONS = ("definitions", "parameters", "responses")
HOST = re.compile(r"^[^{}/ :\\]+(?::\d+)?$")
RESPONSE_CODE = re.compile(r"^([1-5]\d\d|default)$")
TEMPLATE_NAME = re.compile(r"{([^{}]*)}")
# "$ref" members in the raw text: a quick way to see every reference without walking the tree
REF_IN_TEXT = re.compile(r'"\$ref"\s*:\s*("[^"\\]*(?:\\.[^"\\]*)*"|.)')
# a key can also be spelt with escapes ("\u0024ref"); then the text search is not enough
ESCAPED_REF_LETTER = r"(?i)\\u00(24|72|65|66)"


def raw_swagger(package: Package) -> dict[str, Any] | None:
    """The swagger's root object even when it is not Swagger 2.0 (for the version rules)."""
    document = package.documents.get(FileKind.SWAGGER)
    data = document.data if document is not None else None
    return data if isinstance(data, dict) else None


# --------------------------------------------------------------------------- traversal


# a list of parameters where it is written: the list (any value) and the tokens of its pointer
ParameterList = tuple[Any, tuple[str, ...]]


METHOD_RANK = MappingProxyType({method: rank for rank, method in enumerate(HTTP_METHODS)})


def by_method(operations: list[Operation]) -> list[Operation]:
    """The operations of the index with those of each path item (next to each other there) in
    the order Swagger lists the methods, as these rules have always reported them."""
    ordered: list[Operation] = []
    group: list[Operation] = []
    for operation in operations:
        if group and operation.path_item is not group[0].path_item:
            ordered.extend(sorted(group, key=lambda each: METHOD_RANK[each.method]))
            group = []
        group.append(operation)
    ordered.extend(sorted(group, key=lambda each: METHOD_RANK[each.method]))
    return ordered


def operations(package: Package) -> list[Operation]:
    return package.memo(package_operations)


def package_operations(package: Package) -> list[Operation]:
    return by_method(schema_index(package).operations)


def parameter_lists(found: Index) -> list[ParameterList]:
    """Each `parameters` written in a path item or an operation, in document order (the path
    item's first, then its operations' in the order Swagger lists the methods)."""
    lists: list[ParameterList] = []
    for path, item in found.path_items:
        if "parameters" in item:
            lists.append((item["parameters"], ("paths", path, "parameters")))
        for method in HTTP_METHODS:
            node = item.get(method)
            if node.__class__ is dict and "parameters" in node:
                lists.append((node["parameters"], ("paths", path, method, "parameters")))
    return lists
