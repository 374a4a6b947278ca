"""Tolerant walkers over a parsed swagger, shared by the rule families.

A swagger handed to a rule may be any JSON value: a list, a string where an object belongs, a
`$ref` that points nowhere, or refs that form a cycle. Every walker here checks the type of each
node before it looks inside, never follows a `$ref` while walking schemas (definitions are
walked where they are defined, so a cycle cannot loop), and can give each node's RFC 6901
pointer so findings point at the exact spot.

Speed matters because the linter runs every rule over every package: the document is walked
once per package into an `Index` (operations, parameters, schemas, and which of them carry which
extension keys), kept for the rules that follow, and pointers are only computed for nodes that
end up in a finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from retarus_connector.lint.model import Document, FileKind, Package

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
WRITE_METHODS = frozenset({"put", "post", "delete", "patch"})

# how many `$ref` hops to follow before giving up on a chain (a cycle or a very long chain)
_MAX_REF_HOPS = 16


def escape(token: str | int) -> str:
    """One RFC 6901 reference token."""
    token = str(token)
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def join(pointer: str, *tokens: str | int) -> str:
    """The pointer to a descendant of `pointer`."""
    for token in tokens:
        pointer += "/" + escape(token)
    return pointer


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """`value` when it is a string, else None."""
    return value if isinstance(value, str) else None


def one_of(value: Any, options: frozenset[str]) -> bool:
    """Whether `value` is one of the strings `options` (False for lists and objects, which a
    set lookup would reject as unhashable)."""
    return isinstance(value, str) and value in options


def resolve_pointer(document: Any, ref: Any) -> tuple[Any, str] | None:
    """The target of a local `$ref` ("#/a/b") and its pointer, or None when it does not resolve.

    Only same-document references are followed; a remote reference is reported unresolved.
    """
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    fragment = ref[1:]
    if fragment and not fragment.startswith("/"):
        return None
    node = document
    for raw_token in fragment.split("/")[1:]:
        token = raw_token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node, fragment


def follow(document: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow a chain of `$ref` objects from `node`; stops at the first non-ref, at an
    unresolvable ref (returning that ref object) or after a bounded number of hops."""
    for _ in range(_MAX_REF_HOPS):
        if not isinstance(node, dict) or "$ref" not in node:
            return node, pointer
        target = resolve_pointer(document, node["$ref"])
        if target is None:
            return node, pointer
        node, pointer = target
    return node, pointer


# --------------------------------------------------------------------------- the nodes


class Operation:
    """An operation object under `paths`."""

    __slots__ = ("_responses", "method", "node", "path", "path_item", "path_pointer", "pointer")
    kind = "operation"

    def __init__(
        self,
        path: str,
        method: str,
        node: dict[str, Any],
        path_item: dict[str, Any],
        path_pointer: str,
    ) -> None:
        self.path = path
        self.method = method
        self.node = node
        self.path_item = path_item
        self.path_pointer = path_pointer
        self.pointer = join(path_pointer, method)
        self._responses: list[tuple[str, dict[str, Any], str]] | None = None

    @property
    def operation_id(self) -> str | None:
        return text(self.node.get("operationId"))

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


class SchemaNode:
    """One schema object of the document. Its pointer is computed when first asked for."""

    __slots__ = ("_pointer", "name", "node", "parent", "required", "role", "tokens")
    kind = "schema"

    def __init__(
        self,
        node: dict[str, Any],
        role: str,
        parent: SchemaNode | Parameter | None,
        tokens: tuple[str | int, ...],
        name: str | None = None,
        required: bool = False,
    ) -> None:
        self.node = node
        # definition | body | response | notification | property | items | additional | composed
        self.role = role
        self.parent = parent  # what the tokens are relative to; None: the document root
        self.tokens = tokens
        self.name = name  # the property name, for role "property"
        self.required = required  # listed in the parent's `required`
        self._pointer: str | None = None

    @property
    def pointer(self) -> str:
        if self._pointer is None:
            base = self.parent.pointer if self.parent is not None else ""
            self._pointer = join(base, *self.tokens)
        return self._pointer


Holder = Operation | Parameter | SchemaNode

# keys worth finding without a scan: the extensions rules check, and `format`
INDEXED_KEYS = frozenset(
    {
        "format",
        "x-ms-visibility",
        "x-ms-trigger",
        "x-ms-trigger-hint",
        "x-ms-trigger-metadata",
        "x-ms-url-encoding",
        "x-ms-media-kind",
        "x-ms-dynamic-values",
        "x-ms-dynamic-list",
        "x-ms-dynamic-schema",
        "x-ms-dynamic-properties",
        "x-ms-dynamic-tree",
        "x-ms-enum-values",
        "x-ms-notification-url",
        "x-ms-notification",
        "x-ms-localizeDefaultValue",
        "x-ms-capabilities",
        "x-ms-pageable",
        "x-ms-api-annotation",
        "x-ms-no-generic-test",
        "x-ms-safe-operation",
        "x-ms-operation-context",
        "x-ms-openai-data",
    }
)
_SCHEMA_CHILD_KEYS = frozenset(
    {"properties", "items", "additionalProperties", "allOf", "anyOf", "oneOf"}
)
_SCHEMA_KEYS = INDEXED_KEYS | _SCHEMA_CHILD_KEYS


class Index:
    """What the rules need of one swagger, gathered in one walk."""

    __slots__ = ("by_key", "operations", "parameters", "properties", "schemas")

    def __init__(self) -> None:
        self.operations: list[Operation] = []
        self.parameters: list[Parameter] = []
        self.schemas: list[SchemaNode] = []
        self.properties: list[SchemaNode] = []  # the schemas that are named properties
        self.by_key: dict[str, list[Holder]] = {}

    def note(self, holder: Holder, keys: frozenset[str]) -> None:
        for key in keys:
            self.by_key.setdefault(key, []).append(holder)


def _index_operations(swagger: dict[str, Any], index: Index) -> None:
    for path, item in as_dict(swagger.get("paths")).items():
        if not isinstance(item, dict):
            continue
        path_pointer = join("/paths", path)
        for method, node in item.items():
            if method in HTTP_METHODS and isinstance(node, dict):
                operation = Operation(path, method, node, item, path_pointer)
                index.operations.append(operation)
                if not INDEXED_KEYS.isdisjoint(node):
                    index.note(operation, INDEXED_KEYS.intersection(node))


def _index_parameters(swagger: dict[str, Any], index: Index) -> None:
    """Each parameter object written in the document, once: the `#/parameters` entries and the
    inline parameters of path items and operations (references are not repeated)."""
    found = index.parameters
    for name, node in as_dict(swagger.get("parameters")).items():
        if isinstance(node, dict) and "$ref" not in node:
            found.append(Parameter(node, tokens=("parameters", name)))
    seen_items: set[int] = set()
    for operation in index.operations:
        owners: list[tuple[dict[str, Any], tuple[str, ...]]] = [
            (operation.node, ("paths", operation.path, operation.method))
        ]
        if id(operation.path_item) not in seen_items:
            seen_items.add(id(operation.path_item))
            owners.insert(0, (operation.path_item, ("paths", operation.path)))
        for owner, owner_tokens in owners:
            for position, node in enumerate(as_list(owner.get("parameters"))):
                if isinstance(node, dict) and "$ref" not in node:
                    found.append(Parameter(node, tokens=(*owner_tokens, "parameters", position)))
    for parameter in found:
        if not INDEXED_KEYS.isdisjoint(parameter.node):
            index.note(parameter, INDEXED_KEYS.intersection(parameter.node))


def _schema_roots(swagger: dict[str, Any], index: Index) -> list[SchemaNode]:
    roots: list[SchemaNode] = []
    for name, node in as_dict(swagger.get("definitions")).items():
        if isinstance(node, dict):
            roots.append(SchemaNode(node, "definition", None, ("definitions", name)))
    for parameter in index.parameters:
        schema = parameter.node.get("schema")
        if parameter.node.get("in") == "body" and isinstance(schema, dict):
            roots.append(SchemaNode(schema, "body", parameter, ("schema",)))
    for name, response in as_dict(swagger.get("responses")).items():
        schema = as_dict(response).get("schema")
        if isinstance(schema, dict):
            roots.append(SchemaNode(schema, "response", None, ("responses", name, "schema")))
    seen_items: set[int] = set()
    for operation in index.operations:
        if id(operation.path_item) not in seen_items:
            seen_items.add(id(operation.path_item))
            content = as_dict(operation.path_item.get("x-ms-notification-content"))
            schema = content.get("schema")
            if isinstance(schema, dict):
                place = ("paths", operation.path, "x-ms-notification-content", "schema")
                roots.append(SchemaNode(schema, "notification", None, place))
        for code, response in as_dict(operation.node.get("responses")).items():
            schema = as_dict(response).get("schema")
            if isinstance(schema, dict):
                tokens = ("paths", operation.path, operation.method, "responses", code, "schema")
                roots.append(SchemaNode(schema, "response", None, tokens))
    return roots


def _index_schemas(swagger: dict[str, Any], index: Index) -> None:
    """Every schema object written in the document, parents before children (breadth first).

    The walk is iterative (a deeply nested document cannot exhaust the Python stack) and does
    not follow `$ref`, so reference cycles cannot loop; a parsed JSON document cannot contain a
    cycle of its own. It runs over every schema of every package, so the loop is kept tight: most
    schemas are leaves, for which it does one set test."""
    found = index.schemas
    found.extend(_schema_roots(swagger, index))
    properties = index.properties
    interesting = _SCHEMA_KEYS
    indexed = INDEXED_KEYS
    child_keys = _SCHEMA_CHILD_KEYS
    position = 0
    while position < len(found):  # `found` grows as children are discovered
        current = found[position]
        position += 1
        if current.name is not None:
            properties.append(current)
        node = current.node
        # set methods walk the node's few keys; `node.keys() & interesting` would walk the set
        if interesting.isdisjoint(node):
            continue  # a leaf without extensions, as most schemas are
        keys = interesting.intersection(node)
        if not keys <= child_keys:
            index.note(current, keys & indexed)
        if keys.isdisjoint(child_keys):
            continue
        if "properties" in keys and isinstance(node["properties"], dict):
            required_list = node.get("required")
            required = (
                {name for name in required_list if isinstance(name, str)}
                if isinstance(required_list, list)
                else ()
            )
            for name, child in node["properties"].items():
                if isinstance(child, dict):
                    found.append(
                        SchemaNode(
                            child, "property", current, ("properties", name), name, name in required
                        )
                    )
        if "items" in keys:
            items = node["items"]
            if isinstance(items, dict):
                found.append(SchemaNode(items, "items", current, ("items",)))
            elif isinstance(items, list):
                found.extend(
                    SchemaNode(child, "items", current, ("items", number))
                    for number, child in enumerate(items)
                    if isinstance(child, dict)
                )
        if "additionalProperties" in keys and isinstance(node["additionalProperties"], dict):
            found.append(
                SchemaNode(
                    node["additionalProperties"], "additional", current, ("additionalProperties",)
                )
            )
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in keys:
                found.extend(
                    SchemaNode(child, "composed", current, (keyword, number))
                    for number, child in enumerate(as_list(node[keyword]))
                    if isinstance(child, dict)
                )


def _build_index(swagger: Any) -> Index:
    index = Index()
    if isinstance(swagger, dict):
        _index_operations(swagger, index)
        _index_parameters(swagger, index)
        _index_schemas(swagger, index)
    return index


_last_index: list[tuple[Document, Any, Index]] = []


def index(package: Package) -> Index:
    """The index of a package's swagger. The last one is kept, keyed by the loaded document
    (and its data), since the engine runs all rules of one package in a row."""
    # the raw lookup first: this runs for every rule, `package.document` does more checks
    raw = package.documents.get(FileKind.SWAGGER)
    if _last_index and raw is not None and _last_index[0][0] is raw:
        _, cached_data, cached_index = _last_index[0]
        if cached_data is raw.data:
            return cached_index
    document = package.document(FileKind.SWAGGER)
    if document is None:
        return Index()
    swagger = document.data
    built = _build_index(swagger)
    _last_index[:] = [(document, swagger, built)]
    return built


def operations(package: Package) -> list[Operation]:
    """Every operation object under `paths`, in document order."""
    return index(package).operations


def parameter_definitions(package: Package) -> list[Parameter]:
    """Each parameter object written in the document once (see `_index_parameters`)."""
    return index(package).parameters


def schema_nodes(package: Package) -> list[SchemaNode]:
    """Every schema object written in the document once, parents before children."""
    return index(package).schemas


def schema_properties(package: Package) -> list[SchemaNode]:
    """The schemas that are named properties of another schema."""
    return index(package).properties


def holders_with(package: Package, key: str) -> list[Holder]:
    """The operations, parameters and schemas that carry `key` (one of INDEXED_KEYS)."""
    return index(package).by_key.get(key, [])


def operation_ids(package: Package) -> set[str]:
    """The operationIds defined under `paths`."""
    return {op.operation_id for op in operations(package) if op.operation_id is not None}


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
    name and location), with references resolved; unresolvable ones are left out."""
    merged: dict[tuple[Any, Any], Parameter] = {}
    for owner, owner_pointer in (
        (operation.path_item, operation.path_pointer),
        (operation.node, operation.pointer),
    ):
        for position, node in enumerate(as_list(owner.get("parameters"))):
            target, pointer = follow(swagger, node, join(owner_pointer, "parameters", position))
            if isinstance(target, dict) and "$ref" not in target:
                key = (text(target.get("name")), text(target.get("in")))
                merged[key] = Parameter(target, pointer)
    return list(merged.values())


# --------------------------------------------------------------------------- generic


def walk(value: Any, pointer: str = "") -> Iterator[tuple[Any, str]]:
    """Every value in a JSON document with its pointer, parents before children (iterative)."""
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
