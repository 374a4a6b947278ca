"""The dynamic extensions of a package that call one of its operations, with the inputs of
the operations they call and of those whose values they read; found once per package for the
three rules that check them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from retarus_connector.core.pointer import escape, join
from retarus_connector.lint.model import Package
from retarus_connector.lint.rules._walk import (
    Holder,
    Index,
    Operation,
    Parameter,
    SchemaEntry,
    SchemaNode,
    as_dict,
    as_list,
    follow,
    holders_with,
    holding,
    operation_parameters,
    operations,
    text,
    values_at,
)
from retarus_connector.lint.rules._walk import index as schema_index

DYNAMIC_KEYS = frozenset(
    {"x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema", "x-ms-dynamic-properties"}
)


# How a dynamic extension passes a value of the operation it sits in (the caller) to the
# operation it calls: x-ms-dynamic-values and -schema with {"parameter": "name"}, where the name
# may also be a property of the caller's body (Microsoft documents the ambiguity); -list and
# -properties with {"parameterReference": "name/property/..."}, a parameter and a path into its
# body, and their keys are such paths too.
NAMED_BY_NAME = frozenset({"x-ms-dynamic-values", "x-ms-dynamic-schema"})
# a schema whose properties are not all written down: a path into it cannot be checked
_OPEN_SCHEMA_KEYS = ("allOf", "anyOf", "oneOf", "x-ms-dynamic-schema", "x-ms-dynamic-properties")


def spelled(name: str, known: Iterable[str]) -> str:
    similar = [declared for declared in known if declared.lower() == name.lower()]
    return f" (it is spelled {similar[0]!r})" if similar else ""


class _Inputs:
    """The inputs of one operation: its parameters, by name too, and the property names found
    anywhere in its body (computed when first asked for)."""

    __slots__ = ("_body_names", "by_name", "parameters", "swagger")

    def __init__(self, swagger: Any, parameters: list[Parameter]) -> None:
        self.swagger = swagger
        self.parameters = parameters
        # two parameters may share a name in different locations; a name then stands for the
        # body, the only one a path into properties can go on in
        self.by_name = {
            parameter.name: parameter
            for parameter in sorted(parameters, key=lambda parameter: parameter.location == "body")
            if parameter.name
        }
        self._body_names: set[str] | None = None

    @property
    def body_names(self) -> set[str]:
        if self._body_names is None:
            self._body_names = set()
            for parameter in self.parameters:
                if parameter.location == "body":
                    self._body_names |= _property_names(self.swagger, parameter.node.get("schema"))
        return self._body_names

    def unknown(self, reference: str, *, by_name: bool) -> str | None:
        """What this operation lacks to resolve `reference` (a parameter name, or a parameter
        and a path into its body), as the end of a sentence about the operation; None when it
        resolves or cannot be checked. With `by_name` a body property name anywhere also
        resolves it."""
        if reference in self.by_name or (by_name and reference in self.body_names):
            return None
        first, _, path = reference.partition("/")
        parameter = self.by_name.get(first)
        if parameter is None:
            what = "parameter or body property" if by_name and not path else "parameter"
            return f"has no {what} {first!r}{spelled(first, self.by_name)}"
        missing = _unknown_property(self.swagger, parameter.node.get("schema"), path)
        if missing is None:
            return None
        return f"declares no property {missing} in its parameter {first!r}"


def _property_names(swagger: Any, schema: Any) -> set[str]:
    """Every property name in a schema, through references, items and compositions."""
    names: set[str] = set()
    seen: set[int] = set()
    pending = [schema]
    while pending:
        node, _ = follow(swagger, pending.pop(), "")
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        properties = as_dict(node.get("properties"))
        names.update(properties)
        pending.extend(properties.values())
        pending.append(node.get("items"))
        pending.append(node.get("additionalProperties"))
        for keyword in ("allOf", "anyOf", "oneOf"):
            pending.extend(as_list(node.get(keyword)))
    return names


def _unknown_property(swagger: Any, schema: Any, path: str) -> str | None:
    """The path up to the first segment that names no declared property (quoted, with a hint
    when only its case differs), or None when every segment resolves or a schema on the way
    does not list all its properties (free-form, composed, dynamic or an array)."""
    segments = path.split("/")
    for depth, segment in enumerate(segments):
        node, _ = follow(swagger, schema, "")
        if not isinstance(node, dict) or any(key in node for key in _OPEN_SCHEMA_KEYS):
            return None
        properties = node.get("properties")
        additional = node.get("additionalProperties")
        if not isinstance(properties, dict) or additional is True or isinstance(additional, dict):
            return None
        if segment not in properties:
            return repr("/".join(segments[: depth + 1])) + spelled(segment, properties)
        schema = properties[segment]
    return None


class _DynamicCall:
    """A dynamic extension that calls an operation of the package."""

    __slots__ = ("arguments", "callers", "holder", "key", "target", "via")

    def __init__(
        self,
        key: str,
        holder: Holder,
        arguments: dict[str, Any],
        target: Operation,
        callers: list[Operation],
        via: str,
    ) -> None:
        self.key = key  # the extension
        self.holder = holder  # the parameter or schema it is written in
        self.arguments = arguments  # its `parameters`
        self.target = target
        self.callers = callers  # the operations whose values it reads (see `_callers`)
        self.via = via  # for a schema under `definitions` or `responses`: how a message names it

    def pointer(self, *tokens: str) -> str:
        """The pointer to the extension, or to `tokens` below it (computed for findings only)."""
        return join(self.holder.pointer, self.key, *tokens)


class _Calls:
    """The dynamic calls of a package, and the inputs of the operations they involve (computed
    when first asked for)."""

    __slots__ = ("_inputs", "calls", "swagger")

    def __init__(self, swagger: Any) -> None:
        self.swagger = swagger
        self.calls: list[_DynamicCall] = []
        self._inputs: dict[int, _Inputs] = {}

    def inputs(self, operation: Operation) -> _Inputs:
        found = self._inputs.get(id(operation))
        if found is None:
            parameters = operation_parameters(self.swagger, operation)
            found = self._inputs[id(operation)] = _Inputs(self.swagger, parameters)
        return found


def _root(entry: SchemaEntry) -> SchemaEntry:
    """The outermost schema entry `entry` lies in: a definition, a body parameter's schema, a
    response's schema or webhook content."""
    while entry[1].__class__ is tuple:
        entry = entry[1]
    return entry


def _parameter_of(holder: Holder) -> dict[str, Any] | None:
    """The parameter object a holder is, or whose body schema it lies in."""
    if isinstance(holder, Parameter):
        return holder.node
    if not isinstance(holder, SchemaNode):
        return None
    parent = _root(holder.entry)[1]
    return parent.node if isinstance(parent, Parameter) else None


def _shared_place(holder: Holder) -> tuple[str, str] | None:
    """("definitions", name) or ("responses", name) for a schema written in `#/definitions` or
    `#/responses`, else None."""
    if not isinstance(holder, SchemaNode):
        return None
    root = _root(holder.entry)
    place = root[2]
    if root[1] is None and place.__class__ is tuple and place[0] in ("definitions", "responses"):
        return place[0], place[1]
    return None


def _users(
    swagger: Any, all_operations: list[Operation], wanted: set[int]
) -> dict[int, list[Operation]]:
    """The operations that take each wanted parameter object (by id): written in the operation
    or its path item, or referenced from there. A path item's parameter is not taken by an
    operation that declares one of the same name and location, which replaces it."""

    def resolved(owner: dict[str, Any]) -> list[Any]:
        listed = owner.get("parameters")
        if listed.__class__ is not list:
            return []
        return [
            follow(swagger, node, "")[0] if node.__class__ is dict and "$ref" in node else node
            for node in listed
        ]

    users: dict[int, list[Operation]] = {}
    for operation in all_operations:
        taken = resolved(operation.node)
        inherited = resolved(operation.path_item)
        if inherited:
            own = {_parameter_key(node) for node in taken}
            taken += [node for node in inherited if _parameter_key(node) not in own]
        for node in taken:
            if id(node) in wanted:
                taking = users.setdefault(id(node), [])
                if not taking or taking[-1] is not operation:
                    taking.append(operation)
    return users


def _parameter_key(node: Any) -> tuple[Any, Any]:
    """What makes a parameter the same as another in Swagger 2.0: its name and location."""
    node = as_dict(node)
    return text(node.get("name")), text(node.get("in"))


# Of the dynamic extensions, only those that describe a schema are read in an output (a
# response or webhook content), with the parameters of the operation that returns it (a
# dynamic response schema); -values and -list fill the dropdown of an input and are never
# evaluated in an output.
_OUTPUT_KEYS = frozenset({"x-ms-dynamic-schema", "x-ms-dynamic-properties"})
_DEFINITION_REF = "#/definitions/"
_RESPONSE_REF = "#/responses/"


def _named_by(ref: str, prefix: str) -> str | None:
    """The entry name a local `$ref` names right below `prefix` ("#/definitions/A" -> "A"), or
    None for a reference further down (into one of its properties), which is not followed."""
    name = ref[len(prefix) :]
    if "/" in name:
        return None
    return name.replace("~1", "/").replace("~0", "~")


def _is_definition_ref(value: Any) -> bool:
    return value.__class__ is str and value.startswith(_DEFINITION_REF)


# Operations keyed by the place of a schema they return (see `_returned_by`)
_Returners = dict[tuple[str, ...], list[Operation]]


def _returners(all_operations: list[Operation]) -> _Returners:
    """Who returns each output schema, keyed by the start of its place: an operation, its own
    responses; the operations that refer to a `#/responses` entry, that entry; the webhook
    triggers of a path item (its operations marked `x-ms-trigger`), its notification content,
    which the service sends when it calls back. The path item's other operations (listing or
    deleting subscriptions) do not return that content."""
    found: _Returners = {}
    for operation in all_operations:
        found[("paths", operation.path, operation.method)] = [operation]
        if "x-ms-trigger" in operation.node:
            content = ("paths", operation.path, "x-ms-notification-content")
            found.setdefault(content, []).append(operation)
        for response in as_dict(operation.node.get("responses")).values():
            ref = response.get("$ref") if response.__class__ is dict else None
            if ref.__class__ is str and ref.startswith(_RESPONSE_REF):
                name = _named_by(ref, _RESPONSE_REF)
                if name is not None:
                    found.setdefault(("responses", name), []).append(operation)
    return found


def _returned_by(place: tuple[str, ...], returners: _Returners) -> list[Operation]:
    """The operations that return the schema whose root lies at `place` (the tokens of a root
    schema entry: a response of an operation or of `#/responses`, or webhook content)."""
    return returners.get(place[:2] if place[0] == "responses" else place[:3], [])


class _Reach:
    """Which operations use each schema written in `#/definitions` or `#/responses`: as input,
    when a body parameter's schema refers to it (directly, or through other definitions), or
    as output, when a response or webhook content does. Built from the `$ref`s the shared index
    holds (one lookup over all its schema entries, no walk), only for packages that have a
    dynamic extension in such a schema."""

    __slots__ = ("_order", "_returners", "_sources", "_uses", "parameters")

    def __init__(
        self, index: Index, all_operations: list[Operation], returners: _Returners
    ) -> None:
        self._returners = returners
        self._order = {id(operation): number for number, operation in enumerate(all_operations)}
        self._uses: dict[tuple[str, str], tuple[list[Operation], list[Operation]]] = {}
        # the outermost schemas that refer to each definition, at any depth inside them
        self._sources: dict[str, list[SchemaEntry]] = {}
        refs = values_at(index.schema_nodes, "$ref")
        for entry in holding(index.schemas, refs, _is_definition_ref):
            name = _named_by(entry[0]["$ref"], _DEFINITION_REF)
            if name is not None:
                self._sources.setdefault(name, []).append(_root(entry))
        # the body parameters whose schemas refer to a definition, for `_users`
        self.parameters = {
            id(root[1].node)
            for roots in self._sources.values()
            for root in roots
            if isinstance(root[1], Parameter)
        }

    def callers(
        self, key: str, place: tuple[str, str], users: dict[int, list[Operation]]
    ) -> list[Operation]:
        """The operations whose values an extension `key` in the shared schema at `place`
        reads: those that use the schema as input, and for -schema and -properties also those
        that return it; each once, in document order."""
        if place not in self._uses:
            self._uses[place] = self._find_uses(place, users)
        inputs, outputs = self._uses[place]
        found = inputs + outputs if key in _OUTPUT_KEYS else inputs
        unique = {id(operation): operation for operation in found}
        return sorted(unique.values(), key=lambda operation: self._order[id(operation)])

    def _find_uses(
        self, place: tuple[str, str], users: dict[int, list[Operation]]
    ) -> tuple[list[Operation], list[Operation]]:
        inputs: list[Operation] = []
        outputs: list[Operation] = []
        if place[0] == "responses":
            return inputs, _returned_by(place, self._returners)
        seen = {place[1]}
        pending = [place[1]]
        while pending:  # definitions that refer to one another may form a cycle
            for root in self._sources.get(pending.pop(), ()):
                parent, where = root[1], root[2]
                if isinstance(parent, Parameter):
                    inputs.extend(users.get(id(parent.node), ()))
                elif where[0] == "definitions":
                    if where[1] not in seen:
                        seen.add(where[1])
                        pending.append(where[1])
                else:  # a response, or webhook content
                    outputs.extend(_returned_by(where, self._returners))
        return inputs, outputs


def _callers(
    key: str,
    holder: Holder,
    users: dict[int, list[Operation]],
    returners: _Returners,
) -> list[Operation]:
    """The operations whose values an extension written in a parameter or an inline schema
    reads: those that take the parameter (inline, from the path item or by reference), whose
    body the schema is in, or, for -schema and -properties, that return it (see
    `_returners`). Schemas in `#/definitions` and `#/responses` are resolved by `_Reach`."""
    parameter = _parameter_of(holder)
    if parameter is not None:
        return users.get(id(parameter), [])
    if not isinstance(holder, SchemaNode) or key not in _OUTPUT_KEYS:
        return []
    root = _root(holder.entry)
    place = root[2]
    if root[1] is not None or place.__class__ is not tuple or place[0] != "paths":
        return []
    return _returned_by(place, returners)


def dynamic_calls(package: Package) -> _Calls:
    """The dynamic extensions (-values, -list, -schema, -properties) whose operationId names
    exactly one operation (a missing or repeated one is reported by other rules); found once
    per package, for the three rules that read them."""
    return package.memo(_find_dynamic_calls)


def _find_dynamic_calls(package: Package) -> _Calls:
    index = schema_index(package)
    swagger = package.swagger
    found = _Calls(swagger)
    holders = [
        (key, holder) for key in sorted(DYNAMIC_KEYS) for holder in holders_with(package, key)
    ]
    if not holders:
        return found
    all_operations = operations(package)
    by_id: dict[str, Operation | None] = {}
    for operation in all_operations:
        operation_id = operation.operation_id
        if operation_id is not None:
            by_id[operation_id] = None if operation_id in by_id else operation
    returners = _returners(all_operations)
    shared = {holder: place for _, holder in holders if (place := _shared_place(holder))}
    reach = _Reach(index, all_operations, returners) if shared else None
    wanted = {id(node) for _, holder in holders if (node := _parameter_of(holder)) is not None}
    if reach is not None:
        wanted |= reach.parameters
    users = _users(swagger, all_operations, wanted) if wanted else {}
    for key, holder in holders:
        extension = as_dict(holder.node[key])
        target = by_id.get(text(extension.get("operationId")) or "")
        if target is None:
            continue
        place = shared.get(holder)
        if reach is None or place is None:
            callers = _callers(key, holder, users, returners)
            via = ""
        else:
            callers = reach.callers(key, place, users)
            via = f" (through '#/{place[0]}/{escape(place[1])}')"
        arguments = as_dict(extension.get("parameters"))
        found.calls.append(_DynamicCall(key, holder, arguments, target, callers, via))
    return found
