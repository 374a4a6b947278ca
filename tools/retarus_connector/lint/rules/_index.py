"""The index of one swagger, gathered in one walk and kept with the package (`Package.memo`)
for every rule that follows: the operations, the parameter objects, every schema entry and the
holders of each indexed extension key, and, in the same walk, what the structure rules find
wrong in schemas.

The walk checks the type of each node before it looks inside and never follows a `$ref`
(definitions are walked where they are defined, so a reference cycle cannot loop); pointers are
only computed for nodes that end up in a finding.
"""

from __future__ import annotations

import operator
from typing import Any

from retarus_connector.core.names import HTTP_METHODS
from retarus_connector.core.pointer import escape
from retarus_connector.lint.model import FileKind, Package
from retarus_connector.lint.rules._nodes import (
    Holder,
    Operation,
    Parameter,
    SchemaEntry,
    SchemaNode,
    schema_pointer,
)
from retarus_connector.lint.rules._shapes import (
    SCHEMA_TYPES,
    SHAPE_KEYS,
    ShapeProblem,
    not_an_object,
    shape_node,
    shape_problems,
    shape_roots,
    type_problem,
)
from retarus_connector.lint.rules._values import as_dict

_first = operator.itemgetter(0)

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
# the keys of a literal value written in a schema, which the secrets and example rules read
VALUE_KEYS = ("default", "example", "x-example", "x-ms-test-value")
_VALUE_KEY_SET = frozenset(VALUE_KEYS)
_WALK_KEYS = _SCHEMA_KEYS | SHAPE_KEYS | _VALUE_KEY_SET | {"$ref"}


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
        "path_items",
        "properties",
        "property_nodes",
        "schema_nodes",
        "schemas",
        "shape_problems",
        "value_holders",
    )

    def __init__(self) -> None:
        self.operations: list[Operation] = []
        # every path item that is an object, with its path, operations or not
        self.path_items: list[tuple[str, dict[str, Any]]] = []
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
        # the entries of `schemas`, in the same order, that hold one of VALUE_KEYS
        self.value_holders: list[SchemaEntry] = []
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
        index.path_items.append((path, item))
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
    for entry in shape_roots(swagger):
        value = entry[0]
        if value.__class__ is not dict:
            problems.append(not_an_object(value, entry))
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
    other_shape_keys = SHAPE_KEYS - {"type"}
    value_keys = _VALUE_KEY_SET
    value_holders = index.value_holders
    for entry in both:  # `both` grows as children are discovered; the loop sees them
        node = entry[0]
        # the node's few keys that matter here, in one pass over them
        keys = walk_keys.intersection(node)
        if not keys:
            continue
        if not value_keys.isdisjoint(keys):
            value_holders.append(entry)
        if "$ref" in keys:
            # the structure rules stop at a reference; the index goes on, on its own
            if not interesting.isdisjoint(keys):
                _index_node(entry, index, index_only)
            continue
        if "type" in keys:
            kind = node["type"]
            if kind.__class__ is not str or kind not in schema_types:
                type_problem(kind, entry, problems)
        if not other_shape_keys.isdisjoint(keys):
            shape_problems(node, entry, problems)
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
                        not_an_object(child[0], child)
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
                        problems.append(not_an_object(child, (child, entry, "items", number)))
            else:
                problems.append(not_an_object(items, (items, entry, "items", None)))
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
                            problems.append(not_an_object(child, (child, entry, keyword, number)))
    for entry in index_only:  # grows too
        if not value_keys.isdisjoint(entry[0]):
            value_holders.append(entry)
        if not interesting.isdisjoint(entry[0]):
            _index_node(entry, index, index_only)
    for entry in shape_only:  # grows too
        shape_node(entry, problems, shape_only)
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


def _build_index(swagger: Any) -> Index:
    index = Index()
    if isinstance(swagger, dict):
        _index_operations(swagger, index)
        _index_parameters(swagger, index)
        _index_schemas(swagger, index)
    return index


def index(package: Package) -> Index:
    """The index of a package's swagger, built by the first rule that asks and kept with the
    package for the others."""
    return package.memo(_package_index)


def _package_index(package: Package) -> Index:
    document = package.document(FileKind.SWAGGER)
    return _build_index(document.data) if document is not None else Index()


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
