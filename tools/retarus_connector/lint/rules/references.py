"""Cross-references inside the swagger and between the swagger and apiProperties.json:
operationIds, the parameters dynamic extensions pass and read, connection parameters, request
values used by policies, and the match between security definitions and connection parameters
(reference REF-01 to REF-03)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from retarus_connector.lint.model import FileKind, Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO
from retarus_connector.lint.rules._properties import (
    OPERATION_NAME,
    connection_parameter_names,
    instances,
    parameter_maps,
)
from retarus_connector.lint.rules._walk import (
    Holder,
    Index,
    Operation,
    Parameter,
    SchemaEntry,
    SchemaNode,
    as_dict,
    as_list,
    escape,
    follow,
    holders_with,
    holding,
    join,
    one_of,
    operation_ids,
    operation_parameters,
    operations,
    strings,
    text,
    values_at,
)
from retarus_connector.lint.rules._walk import index as schema_index

DYNAMIC_KEYS = frozenset(
    {"x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema", "x-ms-dynamic-properties"}
)
_TREE_KEY = "x-ms-dynamic-tree"
_REFERRING_KEYS = DYNAMIC_KEYS | {_TREE_KEY}
# the platform reads function names in any letter case (a published connector writes
# @ConnectionParameters); the names they take are matched exactly
_CONNECTION_PARAMETER = re.compile(r"@((?i:connectionParameters))\(\s*['\"]([^'\"]*)['\"]")
_REQUEST_VALUE = re.compile(r"@((?i:headers|queryParameters))\(\s*['\"]([^'\"]*)['\"]")


def _dynamic_references(package: Package) -> Iterator[tuple[Any, str, str]]:
    """(named operationId, pointer to it, extension) for the dynamic extensions of parameters
    and schemas."""
    for key in sorted(_REFERRING_KEYS):
        for holder in holders_with(package, key):
            extension = as_dict(holder.node[key])
            if key == _TREE_KEY:
                for part in ("open", "browse"):
                    target = as_dict(extension.get(part))
                    if "operationId" in target:
                        yield (
                            target["operationId"],
                            join(holder.pointer, key, part, "operationId"),
                            key,
                        )
            elif "operationId" in extension:
                yield extension["operationId"], join(holder.pointer, key, "operationId"), key


def _operation_references(package: Package) -> Iterator[tuple[Any, str, str]]:
    """(named operationId, pointer to it, extension) for the operation-level extensions."""
    for holder in holders_with(package, "x-ms-notification"):
        notification = as_dict(holder.node["x-ms-notification"])
        if "operationId" in notification:
            yield (
                notification["operationId"],
                join(holder.pointer, "x-ms-notification", "operationId"),
                "x-ms-notification",
            )
    for holder in holders_with(package, "x-ms-operation-context"):
        simulate = as_dict(as_dict(holder.node["x-ms-operation-context"]).get("simulate"))
        if "operationId" in simulate:
            yield (
                simulate["operationId"],
                join(holder.pointer, "x-ms-operation-context", "simulate", "operationId"),
                "x-ms-operation-context",
            )
    for holder in holders_with(package, "x-ms-openai-data"):
        openai = as_dict(holder.node["x-ms-openai-data"])
        for index, entry in enumerate(as_list(openai.get("operations"))):
            if "operationId" in as_dict(entry):
                yield (
                    entry["operationId"],
                    join(holder.pointer, "x-ms-openai-data", "operations", index, "operationId"),
                    "x-ms-openai-data",
                )


def _capability_references(package: Package) -> Iterator[tuple[Any, str, str]]:
    capabilities = as_dict(as_dict(package.swagger).get("x-ms-capabilities"))
    test = as_dict(capabilities.get("testConnection"))
    if "operationId" in test:
        yield (
            test["operationId"],
            "/x-ms-capabilities/testConnection/operationId",
            "x-ms-capabilities",
        )
    picker = as_dict(capabilities.get("file-picker"))
    for part in ("open", "browse"):
        target = as_dict(picker.get(part))
        if "operationId" in target:
            yield (
                target["operationId"],
                join("/x-ms-capabilities/file-picker", part, "operationId"),
                "x-ms-capabilities",
            )


def _property_references(package: Package) -> Iterator[tuple[Any, str, str]]:
    properties = as_dict(as_dict(package.properties).get("properties"))
    for index, operation_id in enumerate(as_list(properties.get("scriptOperations"))):
        yield operation_id, join("/properties/scriptOperations", index), "scriptOperations"
    for instance in instances(package.properties):
        names = instance.parameters.get(OPERATION_NAME)
        for index, operation_id in enumerate(as_list(names)):
            pointer = join(instance.pointer, "parameters", OPERATION_NAME, index)
            yield operation_id, pointer, f"the policy {instance.label}"


@rule("reference-operation-id", Severity.ERROR)
def operation_id_references(package: Package) -> Iterator[Problem]:
    """Every operationId that something names exists under `paths`.

    What: x-ms-dynamic-values, -list, -schema, -properties and -tree, x-ms-capabilities
    (testConnection, file-picker), x-ms-notification, x-ms-operation-context, x-ms-openai-data,
    and in apiProperties.json `scriptOperations` and the policies'
    `x-ms-apimTemplate-operationName` name operations by id (reference REF-01).
    Why: a dangling name fails only at run time: an empty dropdown, a policy that never
    applies, custom code that never runs.
    Fix: correct the name, or add the operation it refers to (often an internal helper).
    """
    known = operation_ids(package)
    known_by_lower = {operation_id.lower(): operation_id for operation_id in known}
    sources = [
        (FileKind.SWAGGER, _dynamic_references(package)),
        (FileKind.SWAGGER, _operation_references(package)),
        (FileKind.SWAGGER, _capability_references(package)),
        (FileKind.PROPERTIES, _property_references(package)),
    ]
    for file, references in sources:
        for operation_id, pointer, source in references:
            if not isinstance(operation_id, str):
                yield Problem(f"The operationId named by {source} must be a string", pointer, file)
            elif operation_id not in known:
                similar = known_by_lower.get(operation_id.lower())
                hint = f" (the operationId is spelled {similar!r})" if similar else ""
                yield Problem(
                    f"The operationId {operation_id!r} named by {source} does not exist in "
                    f"'paths'{hint}",
                    pointer,
                    file,
                )


# How a dynamic extension passes a value of the operation it sits in (the caller) to the
# operation it calls: x-ms-dynamic-values and -schema with {"parameter": "name"}, where the name
# may also be a property of the caller's body (Microsoft documents the ambiguity); -list and
# -properties with {"parameterReference": "name/property/..."}, a parameter and a path into its
# body, and their keys are such paths too.
_NAMED_BY_NAME = frozenset({"x-ms-dynamic-values", "x-ms-dynamic-schema"})
# a schema whose properties are not all written down: a path into it cannot be checked
_OPEN_SCHEMA_KEYS = ("allOf", "anyOf", "oneOf", "x-ms-dynamic-schema", "x-ms-dynamic-properties")


def _spelled(name: str, known: Iterable[str]) -> str:
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
            return f"has no {what} {first!r}{_spelled(first, self.by_name)}"
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
            return repr("/".join(segments[: depth + 1])) + _spelled(segment, properties)
        schema = properties[segment]
    return None


class _DynamicCall(NamedTuple):
    """A dynamic extension that calls an operation of the package."""

    key: str  # the extension
    holder: Holder  # the parameter or schema it is written in
    arguments: dict[str, Any]  # its `parameters`
    target: Operation
    callers: list[Operation]  # the operations whose values it reads (see `_callers`)
    via: str  # for a schema under `definitions` or `responses`: how a message names it

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


def _dynamic_calls(package: Package) -> _Calls:
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


@rule("reference-dynamic-parameter", Severity.ERROR)
def dynamic_parameters(package: Package) -> Iterator[Problem]:
    """The parameters a dynamic extension passes exist in the operation it calls.

    What: each key of `parameters` in x-ms-dynamic-values, -list, -schema and -properties names
    a parameter of the operation its `operationId` names. In -list and -properties a key may be
    a path, `parameter/property/...`, into the body of that operation; its properties are
    checked where the body schema lists them. In -values and -schema a key may also be a
    property of that body (Microsoft documents that such names are ambiguous).
    Why: the portal rejects the definition ("The parameter could not be found in operation
    'GetMyPages' in the swagger document", microsoft/PowerPlatformConnectors#254), and a
    misnamed value never reaches the call that fills the dropdown or schema.
    Fix: use the exact `name` of the called operation's parameter, or declare the parameter
    there.
    """
    found = _dynamic_calls(package)
    for call in found.calls:
        called = found.inputs(call.target)
        for name in call.arguments:
            lacks = called.unknown(name, by_name=call.key in _NAMED_BY_NAME)
            if lacks is not None:
                yield Problem(
                    f"{call.key} passes {name!r} to the operation {call.target.label!r}, "
                    f"which {lacks}",
                    call.pointer("parameters", name),
                )


@rule("reference-dynamic-source", Severity.ERROR)
def dynamic_sources(package: Package) -> Iterator[Problem]:
    """The inputs a dynamic extension reads exist in the operation it belongs to.

    What: a value `{"parameter": "name"}` (x-ms-dynamic-values, -schema) or
    `{"parameterReference": "name/property/..."}` (x-ms-dynamic-list, -properties) takes what
    the user entered in a parameter, or a property of the body, of the operation that holds
    the extension. The name must be one of its parameters (for `parameter` also a property
    anywhere in its body); a path's properties are checked where the body schema lists them.
    A parameter shared through `#/parameters` is checked against each operation that uses it,
    one in a path item against each operation there that does not replace it with its own
    (an extension on the `items` of an array parameter, a multi-select dropdown, counts as the
    parameter's);
    an extension in `#/definitions` against each operation whose body parameter reaches that
    definition through `$ref` (directly, or through other definitions). In an output (a
    response, `#/responses`, the notification content of a webhook trigger, or a definition
    they reach) only -schema and -properties are checked, against the operation that returns
    it: a dynamic response schema reads that operation's parameters, while -values and -list
    fill an input's dropdown and are never evaluated in an output. A definition no operation
    reaches, or reached only by a `$ref` into one of its parts, is not checked here.
    Why: an unresolved reference leaves the value empty, so the call that fills the dropdown
    or loads the dynamic schema fails or returns the wrong thing.
    Fix: reference the exact `name` of a parameter of the same operation (with the path to
    the property for a body), or pass a literal: the value itself in -values and -schema,
    `{"value": ...}` in -list and -properties.
    """
    found = _dynamic_calls(package)
    for call in found.calls:
        if not call.callers:
            continue
        for name, argument in call.arguments.items():
            argument = as_dict(argument)
            by_name = "parameter" in argument
            reference = text(argument.get("parameter" if by_name else "parameterReference"))
            if reference is None:
                continue  # a literal: `{"value": ...}` or a bare value
            lacking = [
                (caller, lacks)
                for caller in call.callers
                if (lacks := found.inputs(caller).unknown(reference, by_name=by_name))
            ]
            if not lacking:
                continue
            names = ", ".join(repr(caller.label) for caller, _ in lacking[:3])
            names += " ..." if len(lacking) > 3 else ""
            yield Problem(
                f"{call.key} reads {reference!r} for {name!r} from the operation {names} it "
                f"belongs to{call.via}, which {lacking[0][1]}",
                call.pointer("parameters", name, "parameter" if by_name else "parameterReference"),
            )


@rule("reference-dynamic-required", Severity.WARNING)
def dynamic_required(package: Package) -> Iterator[Problem]:
    """A dynamic extension passes every required input of the operation it calls.

    What: a required parameter (or a path parameter) of the operation named by the
    `operationId` of x-ms-dynamic-values, -list, -schema or -properties that has no `default`
    must be a key of the extension's `parameters`. A body counts as passed by a key that is a
    path into it (`body/property`), and in -values and -schema also by a key naming one of
    its properties.
    Why: the designer calls that operation with only the values the extension lists, so the
    call fails and the dropdown stays empty or the dynamic schema does not load.
    Fix: add the parameter to `parameters`, with `{"parameter": ...}` /
    `{"parameterReference": ...}` for a value of this operation, or a literal; or give the
    called parameter a `default`.
    """
    found = _dynamic_calls(package)
    for call in found.calls:
        called = found.inputs(call.target)
        passed = {name.partition("/")[0] for name in call.arguments}
        missing = [
            parameter
            for parameter in called.parameters
            if parameter.name is not None  # a nameless one is the structure rules' finding
            and parameter.name not in passed
            and "default" not in parameter.node
            and (parameter.node.get("required") is True or parameter.location == "path")
        ]
        if (
            call.key in _NAMED_BY_NAME
            and any(parameter.location == "body" for parameter in missing)
            and not passed.isdisjoint(called.body_names)
        ):
            # a key naming a property of the body passes the body
            missing = [parameter for parameter in missing if parameter.location != "body"]
        if missing:
            shown = ", ".join(repr(parameter.name) for parameter in missing)
            yield Problem(
                f"{call.key} calls {call.target.label!r} without its required parameter(s) "
                f"{shown}, which have no default",
                call.pointer(),
            )


@rule("reference-connection-parameter", Severity.ERROR, needs=(FileKind.PROPERTIES,))
def connection_parameter_references(package: Package) -> Iterator[Problem]:
    """`@connectionParameters('name')` names a connection parameter that exists.

    What: policy values such as `@connectionParameters('region')` (optionally with a default,
    `@connectionParameters('region','de')`) are replaced by the value the user entered for
    that connection parameter (reference REF-02).
    Why: a misspelled name makes the policy produce an empty value at run time.
    Fix: use the exact key of a parameter under `connectionParameters` (or of a parameter set).
    """
    properties = as_dict(as_dict(package.properties).get("properties"))
    names = connection_parameter_names(properties)
    for value, pointer in strings(package.properties):
        if "@" not in value:
            continue
        for match in _CONNECTION_PARAMETER.finditer(value):
            if match.group(2) not in names:
                yield Problem(
                    f"@{match.group(1)}('{match.group(2)}') names no connection parameter",
                    pointer,
                    FileKind.PROPERTIES,
                )


def _declares(package: Package, operation: Any, location: str, name: str) -> bool:
    for parameter in operation_parameters(package.swagger, operation):
        declared = parameter.name
        if parameter.location != location or declared is None:
            continue
        # header names are case-insensitive in HTTP, query names are not
        if declared == name or (location == "header" and declared.lower() == name.lower()):
            return True
    return False


@rule(
    "reference-policy-request-value",
    Severity.ERROR,
    needs=(FileKind.SWAGGER, FileKind.PROPERTIES),
)
def policy_request_values(package: Package) -> Iterator[Problem]:
    """Request values a policy reads (`@headers('x')`) are parameters of its operations.

    What: a policy value may use a request header or query parameter; each operation listed in
    `x-ms-apimTemplate-operationName` (or, without that list, every operation) must declare a
    header or query parameter of that name.
    Why: for an operation without it, the value is empty and the policy builds a broken URL or
    header.
    Fix: declare the parameter on those operations, or restrict the policy with
    `x-ms-apimTemplate-operationName`.
    """
    all_operations = operations(package)
    by_id = {op.operation_id: op for op in all_operations if op.operation_id}
    for instance in instances(package.properties):
        names = instance.parameters.get(OPERATION_NAME)
        if isinstance(names, list):
            targets = [by_id[name] for name in names if isinstance(name, str) and name in by_id]
        else:
            targets = list(all_operations)
        for value, pointer in strings(instance.parameters, join(instance.pointer, "parameters")):
            if "@" not in value:
                continue
            for match in _REQUEST_VALUE.finditer(value):
                location = "header" if match.group(1).lower() == "headers" else "query"
                name = match.group(2)
                missing = [op.label for op in targets if not _declares(package, op, location, name)]
                if missing:
                    shown = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
                    yield Problem(
                        f"@{match.group(1)}('{name}') in the policy {instance.label}: "
                        f"{len(missing)} targeted operation(s) declare no {location} parameter "
                        f"{name!r} ({shown})",
                        pointer,
                        FileKind.PROPERTIES,
                    )


def _parameter_types(package: Package) -> dict[str, Any]:
    properties = as_dict(as_dict(package.properties).get("properties"))
    found: dict[str, Any] = {}
    for parameters, _ in parameter_maps(properties):
        for name, definition in parameters.items():
            found.setdefault(name, as_dict(definition).get("type"))
    return found


@rule(
    "reference-security-connection", Severity.WARNING, needs=(FileKind.SWAGGER, FileKind.PROPERTIES)
)
def security_connection(package: Package) -> Iterator[Problem]:
    """The swagger's security definition matches the connection parameters.

    What: `basic` pairs with connection parameters `username` and `password` (securestring),
    `apiKey` with a securestring `api_key`, `oauth2` with `token` of type oauthSetting
    (reference REF-03).
    Why: the platform fills the credentials of the security definition from the connection
    parameters of those conventional names.
    Fix: rename the connection parameters, or change the security definition.
    """
    definitions = as_dict(package.swagger).get("securityDefinitions")
    if not isinstance(definitions, dict):
        return
    types = _parameter_types(package)
    for name, definition in definitions.items():
        kind = as_dict(definition).get("type")
        pointer = join("/securityDefinitions", name)
        expected: list[tuple[str, tuple[str, ...]]] = []
        if kind == "basic":
            expected = [("username", ("string", "securestring")), ("password", ("securestring",))]
        elif kind == "apiKey":
            expected = [("api_key", ("securestring",))]
        elif kind == "oauth2":
            expected = [("token", ("oauthSetting",))]
        for parameter, allowed in expected:
            actual = types.get(parameter)
            if actual is None:
                yield Problem(
                    f"The '{kind}' security definition {name!r} expects a connection parameter "
                    f"'{parameter}' of type {' or '.join(allowed)}",
                    pointer,
                )
            elif actual not in allowed:
                yield Problem(
                    f"The connection parameter '{parameter}' for the '{kind}' security "
                    f"definition {name!r} should be of type {' or '.join(allowed)}, not "
                    f"{actual!r}",
                    pointer,
                )


# The identity providers whose sign-in the connector describes itself, so that the swagger's
# oauth2 definition and the apiProperties settings describe the same thing. `aad` and
# `aadcertificate` sign in with a resource URI and keep a boilerplate definition (certified
# connectors write the login.windows.net authorize URL as tokenUrl and a placeholder scope);
# named providers (facebook, ...) bring their own settings.
_SELF_DESCRIBED_PROVIDERS = frozenset({"oauth2", "oauth2generic"})
# the URLs only `oauth2` carries as custom parameters; `oauth2generic` has *UrlTemplate values
# with placeholders, which certified connectors fill differently in the swagger
_OAUTH2_URLS = ("authorizationUrl", "tokenUrl")


def _oauth_settings(package: Package) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(name, oAuthSettings, pointer) of each oauthSetting connection parameter, in
    `connectionParameters` and in every parameter set."""
    properties = as_dict(as_dict(package.properties).get("properties"))
    for parameters, pointer in parameter_maps(properties):
        for name, definition in parameters.items():
            definition = as_dict(definition)
            settings = definition.get("oAuthSettings")
            if definition.get("type") == "oauthSetting" and isinstance(settings, dict):
                yield name, settings, join(pointer, name, "oAuthSettings")


def _scope_names(scopes: Iterable[Any]) -> set[str]:
    """The scopes named, one by one: certified connectors write "a b" as one entry on one side
    and as two on the other, and the platform sends them space-separated either way."""
    return {name for scope in scopes if isinstance(scope, str) for name in scope.split()}


def _shown(names: set[str]) -> str:
    return ", ".join(repr(name) for name in sorted(names)) or "none"


@rule(
    "reference-security-oauth",
    Severity.WARNING,
    needs=(FileKind.SWAGGER, FileKind.PROPERTIES),
    severities=CUSTOM_INFO,
)
def security_oauth(package: Package) -> Iterator[Problem]:
    """The swagger's oauth2 security definition agrees with apiProperties' `oAuthSettings`.

    What: for a connection parameter of type oauthSetting whose `identityProvider` is
    `oauth2` or `oauth2generic`, the scopes of the swagger's oauth2 definition (the keys of
    `scopes`) and `oAuthSettings.scopes` name the same scopes (an entry "a b" counts as the
    two scopes a and b, as both spellings occur in certified connectors); for `oauth2`, the
    definition's `authorizationUrl` and `tokenUrl` equal the `value` of the custom parameters
    of those names (reference REF-03).
    Not compared: `aad` and `aadcertificate`, which sign in with a resource URI and whose
    swagger definition is boilerplate in certified connectors; `oauth2generic` URLs, which are
    templates with placeholders that certified connectors fill differently in the swagger;
    `flow`, which `oAuthSettings` do not state; a swagger with several oauth2 definitions,
    which cannot be paired with the parameters.
    Why: the platform signs in with the apiProperties.json settings, and certification
    reviewers ask for the two files to match ("The scopes here and in the swagger file don't
    match", microsoft/PowerPlatformConnectors#904), so a mismatch misleads whoever reads the
    swagger and delays the review.
    Fix: write the same scopes and URLs in both files, taking the ones the service really
    needs.
    """
    definitions = as_dict(package.swagger).get("securityDefinitions")
    if not isinstance(definitions, dict):
        return
    oauth = [
        (name, definition)
        for name, definition in definitions.items()
        if as_dict(definition).get("type") == "oauth2"
    ]
    if len(oauth) != 1:
        return
    name, definition = oauth[0]
    pointer = join("/securityDefinitions", name)
    reported: set[tuple[str, str]] = set()
    for parameter, settings, _ in _oauth_settings(package):
        provider = settings.get("identityProvider")
        if not one_of(provider, _SELF_DESCRIBED_PROVIDERS):
            continue
        found: list[Problem] = []
        declared = definition.get("scopes")
        requested = settings.get("scopes", [])
        if isinstance(declared, dict) and isinstance(requested, list):
            in_swagger, in_properties = _scope_names(declared), _scope_names(requested)
            if in_swagger != in_properties:
                only_swagger = _shown(in_swagger - in_properties)
                only_properties = _shown(in_properties - in_swagger)
                found.append(
                    Problem(
                        f"The scopes of the oauth2 security definition {name!r} differ from "
                        f"those of the connection parameter {parameter!r} in "
                        f"apiProperties.json: only in the swagger {only_swagger}; only in "
                        f"apiProperties.json {only_properties} (the platform signs in with the "
                        f"apiProperties.json scopes)",
                        join(pointer, "scopes"),
                    )
                )
        if provider == "oauth2":
            # certified connectors spell the custom parameters in either case (AuthorizationUrl)
            custom = {
                str(key).lower(): value
                for key, value in as_dict(settings.get("customParameters")).items()
            }
            for key in _OAUTH2_URLS:
                in_swagger_url = text(definition.get(key))
                in_properties_url = text(as_dict(custom.get(key.lower())).get("value"))
                if in_swagger_url is None or in_properties_url is None:
                    continue  # a missing URL is reported by the structure and properties rules
                if in_swagger_url.strip() != in_properties_url.strip():
                    # neither value is shown: a URL may carry a client id or secret
                    found.append(
                        Problem(
                            f"The {key} of the oauth2 security definition {name!r} differs "
                            f"from the custom parameter {key!r} of the connection parameter "
                            f"{parameter!r} in apiProperties.json (the platform signs in with "
                            f"the apiProperties.json value)",
                            join(pointer, key),
                        )
                    )
        for problem in found:
            # the same parameter repeated in several parameter sets gives the same finding
            if (problem.pointer, problem.message) not in reported:
                reported.add((problem.pointer, problem.message))
                yield problem


RULES: tuple[Rule, ...] = (
    operation_id_references,
    dynamic_parameters,
    dynamic_sources,
    dynamic_required,
    connection_parameter_references,
    policy_request_values,
    security_connection,
    security_oauth,
)
