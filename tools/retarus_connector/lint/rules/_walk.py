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

import itertools
import json
import operator
from collections.abc import Callable, Iterator
from typing import Any

from retarus_connector.lint.model import Document, FileKind, Package

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
WRITE_METHODS = frozenset({"put", "post", "delete", "patch"})

# how many `$ref` hops to follow before giving up on a chain (a cycle or a very long chain)
_MAX_REF_HOPS = 16


def escape(token: str | int) -> str:
    """One RFC 6901 reference token."""
    if token.__class__ is not str:
        return str(token)  # a position
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def join(pointer: str, *tokens: str | int) -> str:
    """The pointer to a descendant of `pointer`."""
    for token in tokens:
        pointer += "/" + escape(token)
    return pointer


_first = operator.itemgetter(0)


def values_at(nodes: list[dict[str, Any]], key: str) -> list[Any]:
    """`node.get(key)` for each node, looked up without running Python code per node."""
    return list(map(dict.get, nodes, itertools.repeat(key)))


def holding(
    entries: list[SchemaEntry], values: list[Any], wrong: Callable[[Any], bool]
) -> list[SchemaEntry]:
    """The entries whose value (at the same position in `values`) is `wrong`. Each distinct
    value is judged once: most schemas share a few values, or hold none (None)."""
    try:
        judged = {value for value in set(values) if wrong(value)}
    except TypeError:  # a list or an object where a text belongs
        return [entry for entry, value in zip(entries, values, strict=True) if wrong(value)]
    if not judged:
        return []
    return list(itertools.compress(entries, map(judged.__contains__, values)))


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """`value` when it is a string, else None."""
    return value if isinstance(value, str) else None


def blank(value: Any) -> bool:
    """Whether `value` is missing as a text: not a string, or only white space."""
    return not isinstance(value, str) or not value.strip()


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
# the keys the structure rules check in a schema (besides its children)
_SHAPE_KEYS = frozenset({"type", "required", "enum", "default", "properties"})
_WALK_KEYS = _SCHEMA_KEYS | _SHAPE_KEYS | {"$ref"}


class Index:
    """What the rules need of one swagger, gathered in one walk: the operations, the parameter
    objects and the `items` of those that are not a body, every schema entry (parents before
    children) and those that are named properties, and the holders of each indexed key."""

    __slots__ = (
        "_pointers",
        "by_key",
        "operations",
        "parameter_items",
        "parameters",
        "properties",
        "property_nodes",
        "schema_nodes",
        "schemas",
        "shape_problems",
    )

    def __init__(self) -> None:
        self.operations: list[Operation] = []
        self.parameters: list[Parameter] = []
        # the `items` of non-body parameters, nested ones too: Items objects, not schemas, so
        # they are not in `schemas`, but they carry the same extensions (see `_index_parameters`)
        self.parameter_items: list[SchemaEntry] = []
        self.schemas: list[SchemaEntry] = []
        self.properties: list[SchemaEntry] = []
        self.by_key: dict[str, list[Holder]] = {}
        self.shape_problems: list[ShapeProblem] = []  # the structure rules' schema findings
        # the schema objects of `schemas` and `properties`, in the same order, for the rules
        # that look up one key in all of them at once (see `values_at`)
        self.schema_nodes: list[dict[str, Any]] = []
        self.property_nodes: list[dict[str, Any]] = []
        # pointers of the entries asked for so far, by id: the index keeps its entries alive
        self._pointers: dict[int, str] = {}

    def schema_pointer(self, entry: SchemaEntry, *tokens: str | int) -> str:
        """`schema_pointer` for an entry of this index; the pointers of its entries are kept,
        as the findings about one schema and its properties share their beginning."""
        known = self._pointers
        pointer = known.get(id(entry))
        if pointer is None:
            # up to the nearest entry whose pointer is known (or a root), then down again
            chain = [entry]
            while True:
                parent = chain[-1][1]
                if parent is None or parent.__class__ is not tuple:
                    root = chain.pop()
                    pointer = known[id(root)] = schema_pointer(root)
                    break
                pointer = known.get(id(parent))
                if pointer is not None:
                    break
                chain.append(parent)
            for below in reversed(chain):
                _, _, key, token = below
                pointer += "/" + escape(key)
                if token is not None:
                    pointer += "/" + escape(token)
                known[id(below)] = pointer
        for token in tokens:
            pointer += "/" + escape(token)
        return pointer

    def note(self, holder: Holder, keys: frozenset[str]) -> None:
        for key in keys:
            self.by_key.setdefault(key, []).append(holder)


def _index_operations(swagger: dict[str, Any], index: Index) -> None:
    found = index.operations
    indexed = INDEXED_KEYS
    for path, item in as_dict(swagger.get("paths")).items():
        if not isinstance(item, dict):
            continue
        for method, node in item.items():
            if method in HTTP_METHODS and isinstance(node, dict):
                operation = Operation(path, method, node, item)
                found.append(operation)
                if not indexed.isdisjoint(node):
                    index.note(operation, indexed.intersection(node))


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
            listed = owner.get("parameters")
            if listed.__class__ is not list:
                continue
            for position, node in enumerate(listed):
                if isinstance(node, dict) and "$ref" not in node:
                    found.append(Parameter(node, tokens=(*owner_tokens, "parameters", position)))
    indexed = INDEXED_KEYS
    for parameter in found:
        node = parameter.node
        if not indexed.isdisjoint(node):
            index.note(parameter, indexed.intersection(node))
        if "items" in node and node.get("in") != "body":
            _index_parameter_items(parameter, index)


def _index_parameter_items(parameter: Parameter, index: Index) -> None:
    """The `items` of a parameter that is not a body, and the items of those items. They are
    Items objects, not schemas, so the schema walk never meets them; yet the designer reads the
    same extensions there: x-ms-dynamic-values or -list on the items of an array query or
    formData parameter fill a multi-select dropdown. Each is kept as a schema entry below its
    parameter, which gives its pointer (`.../parameters/0/items`) and the operations that take
    it."""
    indexed = INDEXED_KEYS
    entry: SchemaEntry = (parameter.node["items"], parameter, "items", None)
    while entry[0].__class__ is dict:
        items = entry[0]
        index.parameter_items.append(entry)
        if not indexed.isdisjoint(items):
            index.note(SchemaNode(entry), indexed.intersection(items))
        if "items" not in items:
            break
        entry = (items["items"], entry, "items", None)


def _index_roots(swagger: dict[str, Any], index: Index) -> list[SchemaEntry]:
    """The schemas the index starts from: definitions, body parameters' schemas, response
    schemas and webhook notification content (objects only)."""
    roots: list[SchemaEntry] = []
    for name, node in as_dict(swagger.get("definitions")).items():
        if isinstance(node, dict):
            roots.append((node, None, ("definitions", name), None))
    for parameter in index.parameters:
        schema = parameter.node.get("schema")
        if parameter.node.get("in") == "body" and isinstance(schema, dict):
            roots.append((schema, parameter, ("schema",), None))
    for name, response in as_dict(swagger.get("responses")).items():
        schema = as_dict(response).get("schema")
        if isinstance(schema, dict):
            roots.append((schema, None, ("responses", name, "schema"), None))
    seen_items: set[int] = set()
    for operation in index.operations:
        if id(operation.path_item) not in seen_items:
            seen_items.add(id(operation.path_item))
            content = as_dict(operation.path_item.get("x-ms-notification-content"))
            schema = content.get("schema")
            if isinstance(schema, dict):
                place = ("paths", operation.path, "x-ms-notification-content", "schema")
                roots.append((schema, None, place, None))
        for code, response in as_dict(operation.node.get("responses")).items():
            schema = as_dict(response).get("schema")
            if isinstance(schema, dict):
                tokens = ("paths", operation.path, operation.method, "responses", code, "schema")
                roots.append((schema, None, tokens, None))
    return roots


def _shape_roots(swagger: dict[str, Any]) -> list[SchemaEntry]:
    """The places the structure rules check as schemas, whatever their values: definitions,
    the `schema` of every parameter (shared or inline) and of every response (shared or of an
    operation)."""
    roots: list[SchemaEntry] = []
    for section in ("definitions", "parameters", "responses"):
        entries = swagger.get(section)
        if not isinstance(entries, dict):
            continue
        for name, node in entries.items():
            if section == "definitions":
                roots.append((node, None, (section, name), None))
            elif isinstance(node, dict) and "schema" in node:
                roots.append((node["schema"], None, (section, name, "schema"), None))
    paths = swagger.get("paths")
    if not isinstance(paths, dict):
        return roots
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        owners: list[tuple[dict[str, Any], tuple[str, ...]]] = [(item, ("paths", path))]
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                owners.append((node, ("paths", path, method)))
        for owner, tokens in owners:
            listed = owner.get("parameters")
            if isinstance(listed, list):
                for position, parameter in enumerate(listed):
                    if isinstance(parameter, dict) and "schema" in parameter:
                        place = (*tokens, "parameters", position, "schema")
                        roots.append((parameter["schema"], None, place, None))
        for operation, tokens in owners[1:]:
            declared = operation.get("responses")
            if isinstance(declared, dict):
                for code, response in declared.items():
                    if isinstance(response, dict) and "schema" in response:
                        place = (*tokens, "responses", code, "schema")
                        roots.append((response["schema"], None, place, None))
    return roots


# what the structure rules report about a schema: (rule, message, entry, tokens below it)
ShapeProblem = tuple[str, str, SchemaEntry, tuple[str, ...]]
SHAPE = "shape"  # schema-shape
DEFAULT = "default"  # default-matches-schema
SCHEMA_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null", "file")


def kind_of(value: Any) -> str:
    """A JSON type name for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


_TYPE_CHECKS: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def default_problem(node: dict[str, Any]) -> str | None:
    """What is wrong with the `default` of a parameter or schema, or None."""
    default = node["default"]
    kind = node.get("type")
    if default is None:
        if node.get("x-nullable") is True or kind == "null":
            return None
        return "The default is null, which the declared type does not allow."
    check = _TYPE_CHECKS.get(kind) if isinstance(kind, str) else None
    if check is not None and not check(default):
        return f"The default {json.dumps(default)} is not of the declared type {kind}."
    enum = node.get("enum")
    if isinstance(enum, list) and default not in enum:
        return f"The default {json.dumps(default)} is not one of the enum values."
    required = node.get("required")
    if isinstance(default, dict) and isinstance(required, list):
        missing = [name for name in required if isinstance(name, str) and name not in default]
        if missing:
            return f"The default object lacks the required propert(ies) {', '.join(missing)}."
    return None


def _type_problem(kind: Any, entry: SchemaEntry, found: list[ShapeProblem]) -> None:
    if not (
        kind in SCHEMA_TYPES
        or (isinstance(kind, list) and kind and all(item in SCHEMA_TYPES for item in kind))
    ):
        found.append(
            (
                SHAPE,
                f"Unknown schema type {json.dumps(kind)}; use string, number, integer, "
                "boolean, array or object.",
                entry,
                ("type",),
            )
        )


def _shape_problems(
    node: dict[str, Any], entry: SchemaEntry, found: list[ShapeProblem], *, with_type: bool = False
) -> None:
    """The structure rules' checks of one schema object (not a `$ref`); its `type` only when
    asked `with_type`."""
    if with_type and "type" in node:
        _type_problem(node["type"], entry, found)
    if "required" in node:
        required = node["required"]
        if not (isinstance(required, list) and all(type(item) is str for item in required)):
            found.append(
                (
                    SHAPE,
                    "'required' in a schema must be an array of property names.",
                    entry,
                    ("required",),
                )
            )
    if "enum" in node and type(node["enum"]) is not list:
        found.append((SHAPE, "'enum' must be an array.", entry, ("enum",)))
    if "default" in node:
        message = default_problem(node)
        if message is not None:
            found.append((DEFAULT, message, entry, ("default",)))
    if "properties" in node and type(node["properties"]) is not dict:
        found.append((SHAPE, "'properties' must be an object.", entry, ("properties",)))


def _not_an_object(value: Any, entry: SchemaEntry) -> ShapeProblem:
    return (SHAPE, f"A schema must be an object, not {kind_of(value)}.", entry, ())


def _index_schemas(swagger: dict[str, Any], index: Index) -> None:
    """Every schema object written in the document, parents before children (breadth first),
    and, in the same walk, what the structure rules find wrong in schemas.

    The two sets of schemas differ at the edges: the structure rules check every value written
    where a schema belongs (a string there is their finding) and stop at a `$ref`, where the
    index goes on; the index also starts from webhook notification content, the structure
    rules also from the schemas of non-body parameters. Nearly every schema belongs to both
    and is visited once; the others are walked on their own, after.

    The walk is iterative (a deeply nested document cannot exhaust the Python stack) and does
    not follow `$ref`, so reference cycles cannot loop; a parsed JSON document cannot contain a
    cycle of its own. It runs over every schema of every package, so the loop is kept tight:
    each schema costs one tuple, and most are leaves, for which it does two set tests."""
    problems = index.shape_problems
    indexed_roots = _index_roots(swagger, index)
    by_node = {id(entry[0]): entry for entry in indexed_roots}
    both: list[SchemaEntry] = []  # checked by the structure rules and indexed
    shape_only: list[SchemaEntry] = []
    for entry in _shape_roots(swagger):
        value = entry[0]
        if value.__class__ is not dict:
            problems.append(_not_an_object(value, entry))
            continue
        indexed = by_node.pop(id(value), None)
        if indexed is not None:
            both.append(indexed)
        else:
            shape_only.append(entry)
    index_only = [entry for entry in indexed_roots if id(entry[0]) in by_node]

    properties = index.properties
    interesting = _SCHEMA_KEYS
    schema_types = frozenset(SCHEMA_TYPES)
    indexed_keys = INDEXED_KEYS
    child_keys = _SCHEMA_CHILD_KEYS
    note = index.note
    walk_keys = _WALK_KEYS
    other_shape_keys = _SHAPE_KEYS - {"type"}
    for entry in both:  # `both` grows as children are discovered; the loop sees them
        node = entry[0]
        # the node's few keys that matter here, in one pass over them
        keys = walk_keys.intersection(node)
        if not keys:
            continue
        if "$ref" in keys:
            # the structure rules stop at a reference; the index goes on, on its own
            if not interesting.isdisjoint(keys):
                _index_node(entry, index, index_only)
            continue
        if "type" in keys:
            kind = node["type"]
            if kind.__class__ is not str or kind not in schema_types:
                _type_problem(kind, entry, problems)
        if not other_shape_keys.isdisjoint(keys):
            _shape_problems(node, entry, problems)
        if interesting.isdisjoint(keys):
            continue  # a leaf without extensions, as most schemas are
        keys &= interesting
        if not keys <= child_keys:
            note(SchemaNode(entry), keys & indexed_keys)
        if keys.isdisjoint(child_keys):
            continue
        if "properties" in keys:
            named = node["properties"]
            if named.__class__ is dict:
                children = [(child, entry, "properties", name) for name, child in named.items()]
                objects = [child for child in children if child[0].__class__ is dict]
                both.extend(objects)
                properties.extend(objects)
                if len(objects) != len(children):
                    problems.extend(
                        _not_an_object(child[0], child)
                        for child in children
                        if child[0].__class__ is not dict
                    )
        if "items" in keys:
            items = node["items"]
            if items.__class__ is dict:
                both.append((items, entry, "items", None))
            elif items.__class__ is list:
                for number, child in enumerate(items):
                    if child.__class__ is dict:
                        both.append((child, entry, "items", number))
                    else:
                        problems.append(_not_an_object(child, (child, entry, "items", number)))
            else:
                problems.append(_not_an_object(items, (items, entry, "items", None)))
        if "additionalProperties" in keys:
            additional = node["additionalProperties"]
            if additional.__class__ is dict:
                both.append((additional, entry, "additionalProperties", None))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in keys:
                composed = node[keyword]
                if composed.__class__ is list:
                    for number, child in enumerate(composed):
                        if child.__class__ is dict:
                            both.append((child, entry, keyword, number))
                        else:
                            problems.append(_not_an_object(child, (child, entry, keyword, number)))
    for entry in index_only:  # grows too
        if not interesting.isdisjoint(entry[0]):
            _index_node(entry, index, index_only)
    for entry in shape_only:  # grows too
        _shape_node(entry, problems, shape_only)
    both.extend(index_only)
    index.schemas = both
    index.schema_nodes = list(map(_first, both))
    index.property_nodes = list(map(_first, properties))


def _index_node(entry: SchemaEntry, index: Index, found: list[SchemaEntry]) -> None:
    """The index's look at one schema object outside the structure rules' set: its indexed
    keys, and its child schemas (appended to `found`)."""
    node = entry[0]
    keys = _SCHEMA_KEYS.intersection(node)
    if not keys <= _SCHEMA_CHILD_KEYS:
        index.note(SchemaNode(entry), keys & INDEXED_KEYS)
    if "properties" in keys and node["properties"].__class__ is dict:
        children = [
            (child, entry, "properties", name)
            for name, child in node["properties"].items()
            if child.__class__ is dict
        ]
        found.extend(children)
        index.properties.extend(children)
    if "items" in keys:
        items = node["items"]
        if items.__class__ is dict:
            found.append((items, entry, "items", None))
        elif items.__class__ is list:
            found.extend(
                (child, entry, "items", number)
                for number, child in enumerate(items)
                if child.__class__ is dict
            )
    if "additionalProperties" in keys and node["additionalProperties"].__class__ is dict:
        found.append((node["additionalProperties"], entry, "additionalProperties", None))
    for keyword in ("allOf", "anyOf", "oneOf"):
        if keyword in keys and node[keyword].__class__ is list:
            found.extend(
                (child, entry, keyword, number)
                for number, child in enumerate(node[keyword])
                if child.__class__ is dict
            )


def _shape_node(entry: SchemaEntry, problems: list[ShapeProblem], found: list[SchemaEntry]) -> None:
    """The structure rules' look at one schema object the index does not hold: its problems,
    and its child schemas (appended to `found`; values that are not objects are reported)."""
    node = entry[0]
    if "$ref" in node:
        return
    _shape_problems(node, entry, problems, with_type=True)
    children: list[tuple[Any, Any, int | None]] = []  # (value, key, token)
    properties = node.get("properties")
    if "properties" in node and properties.__class__ is dict:
        children.extend((child, "properties", name) for name, child in properties.items())
    if "items" in node:
        items = node["items"]
        if items.__class__ is list:
            children.extend((child, "items", number) for number, child in enumerate(items))
        else:
            children.append((items, "items", None))
    additional = node.get("additionalProperties")
    if additional.__class__ is dict:
        children.append((additional, "additionalProperties", None))
    for keyword in ("allOf", "anyOf", "oneOf"):
        composed = node.get(keyword)
        if composed.__class__ is list:
            children.extend((child, keyword, number) for number, child in enumerate(composed))
    for value, key, token in children:
        child_entry = (value, entry, key, token)
        if value.__class__ is dict:
            found.append(child_entry)
        else:
            problems.append(_not_an_object(value, child_entry))


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


def schema_entries(package: Package) -> list[SchemaEntry]:
    """Every schema object written in the document once, parents before children."""
    return index(package).schemas


def parameter_items(package: Package) -> list[SchemaEntry]:
    """The `items` of every parameter written in the document that is not a body, nested ones
    too, parents first (see `_index_parameter_items`)."""
    return index(package).parameter_items


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
