"""Swagger 2.0 structure: what every Swagger 2.0 reader (and Microsoft's validator before any
certification rule) requires of the document: the version, the required keys, the types of the
main objects, paths, operations' responses, parameters, references, unique operationIds and
declared path parameters (reference sections 3 and 4, SW-01, OP-07, OP-09, PRM-03, SCH-04,
SCH-05).

Each check reads the document as it is, with no assumption on types: a rule that meets a list
where an object belongs reports it (or leaves it to the rule that does) and goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from retarus_connector.core.names import HTTP_METHODS
from retarus_connector.core.pointer import join, split, walk
from retarus_connector.core.refs import MAX_REF_HOPS, RefStatus, classify, ref_pointer, resolve
from retarus_connector.lint.model import FileKind, Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._walk import (
    DEFAULT,
    SHAPE,
    Index,
    Operation,
    default_problem,
    follow,
    kind_of,
)
from retarus_connector.lint.rules._walk import index as schema_index

ROOT_KEYS = frozenset(
    {
        "swagger",
        "info",
        "host",
        "basePath",
        "schemes",
        "consumes",
        "produces",
        "paths",
        "definitions",
        "parameters",
        "responses",
        "securityDefinitions",
        "security",
        "tags",
        "externalDocs",
    }
)
PARAMETER_LOCATIONS = ("query", "header", "path", "formData", "body")
PARAMETER_TYPES = ("string", "number", "integer", "boolean", "array", "file")
SCHEMES = ("http", "https", "ws", "wss")
REF_SECTIONS = ("definitions", "parameters", "responses")
_HOST = re.compile(r"^[^{}/ :\\]+(?::\d+)?$")
_RESPONSE_CODE = re.compile(r"^([1-5]\d\d|default)$")
_TEMPLATE_NAME = re.compile(r"{([^{}]*)}")
# "$ref" members in the raw text: a quick way to see every reference without walking the tree
_REF_IN_TEXT = re.compile(r'"\$ref"\s*:\s*("[^"\\]*(?:\\.[^"\\]*)*"|.)')
# a key can also be spelt with escapes ("\u0024ref"); then the text search is not enough
_ESCAPED_REF_LETTER = re.compile(r"\\u00(24|72|65|66)", re.IGNORECASE)


def _raw_swagger(package: Package) -> dict[str, Any] | None:
    """The swagger's root object even when it is not Swagger 2.0 (for the version rules)."""
    document = package.documents.get(FileKind.SWAGGER)
    data = document.data if document is not None else None
    return data if isinstance(data, dict) else None


# --------------------------------------------------------------------------- traversal


# a list of parameters where it is written: the list (any value) and the tokens of its pointer
_ParameterList = tuple[Any, tuple[str, ...]]


_METHOD_RANK = {method: rank for rank, method in enumerate(HTTP_METHODS)}


def _by_method(operations: list[Operation]) -> list[Operation]:
    """The operations of the index with those of each path item (next to each other there) in
    the order Swagger lists the methods, as these rules have always reported them."""
    ordered: list[Operation] = []
    group: list[Operation] = []
    for operation in operations:
        if group and operation.path_item is not group[0].path_item:
            ordered.extend(sorted(group, key=lambda each: _METHOD_RANK[each.method]))
            group = []
        group.append(operation)
    ordered.extend(sorted(group, key=lambda each: _METHOD_RANK[each.method]))
    return ordered


def _operations(package: Package) -> list[Operation]:
    return package.memo(_package_operations)


def _package_operations(package: Package) -> list[Operation]:
    return _by_method(schema_index(package).operations)


def _parameter_lists(found: Index) -> list[_ParameterList]:
    """Each `parameters` written in a path item or an operation, in document order (the path
    item's first, then its operations' in the order Swagger lists the methods)."""
    lists: list[_ParameterList] = []
    for path, item in found.path_items:
        if "parameters" in item:
            lists.append((item["parameters"], ("paths", path, "parameters")))
        for method in HTTP_METHODS:
            node = item.get(method)
            if node.__class__ is dict and "parameters" in node:
                lists.append((node["parameters"], ("paths", path, method, "parameters")))
    return lists


# --------------------------------------------------------------------------- version and root


@rule("swagger-version", Severity.ERROR, needs=())
def swagger_version(package: Package) -> Iterator[Problem]:
    """The swagger declares `"swagger": "2.0"`.

    What: the root object's `swagger` key is missing or holds something other than the string
    "2.0" (reference SW-01).
    Why: Power Platform reads Swagger 2.0 only; the version key is how every tool knows which
    format it reads.
    Fix: put `"swagger": "2.0"` first in the document.
    """
    swagger = _raw_swagger(package)
    if swagger is None or ("openapi" in swagger and "swagger" not in swagger):
        return
    if "swagger" not in swagger:
        yield Problem('The swagger has no "swagger" key; it must be "swagger": "2.0".', "")
    elif swagger["swagger"] != "2.0":
        yield Problem(
            f'"swagger" must be the string "2.0", not {json.dumps(swagger["swagger"])}.',
            "/swagger",
        )


@rule("swagger-openapi-3", Severity.ERROR, needs=())
def swagger_openapi_3(package: Package) -> Iterator[Problem]:
    """The swagger is not an OpenAPI 3 document.

    What: the document has an `openapi` key (3.0, 3.1) instead of `"swagger": "2.0"`. No other
    swagger rule runs on it: their findings would only repeat that the format is wrong.
    Why: Power Platform custom connectors accept Swagger 2.0 (OpenAPI 2.0) only; an OpenAPI 3
    file is refused on import.
    Fix: convert the definition to Swagger 2.0 (servers become host, basePath and schemes;
    components/schemas become definitions; requestBody becomes a body parameter).
    """
    swagger = _raw_swagger(package)
    if swagger is not None and "openapi" in swagger and "swagger" not in swagger:
        yield Problem(
            f"This is an OpenAPI {swagger['openapi']} document; Power Platform connectors must "
            'be Swagger 2.0 ("swagger": "2.0").',
            "/openapi",
        )


@rule("swagger-required", Severity.ERROR)
def swagger_required(package: Package) -> Iterator[Problem]:
    """The swagger has `info` with `title` and `version`, and `paths`.

    What: a required key of Swagger 2.0 is missing.
    Why: these are the keys every Swagger 2.0 reader needs; Microsoft's validator refuses the
    document without them (reference section 3).
    Fix: add the missing key: `info.title` is the connector's name, `info.version` its version,
    `paths` its operations.
    """
    swagger = package.swagger
    info = swagger.get("info")
    if "info" not in swagger:
        yield Problem('The required key "info" is missing.', "")
    elif isinstance(info, dict):
        for key in ("title", "version"):
            if key not in info:
                yield Problem(f'The required key "{key}" is missing from "info".', "/info")
    if "paths" not in swagger:
        yield Problem('The required key "paths" is missing.', "")


_ROOT_OBJECTS = ("info", "paths", "definitions", "parameters", "responses", "securityDefinitions")
_ROOT_STRING_ARRAYS = ("schemes", "consumes", "produces")


@rule("swagger-types", Severity.ERROR)
def swagger_types(package: Package) -> Iterator[Problem]:
    """The main objects of the swagger have the types Swagger 2.0 gives them.

    What: `info`, `paths`, `definitions`, `parameters`, `responses` and `securityDefinitions`
    are objects (the entries of the last four too); `schemes`, `consumes` and `produces` are
    arrays of strings, schemes among http, https, ws, wss; `host` is a host name with an optional
    port and no scheme or path; `basePath` starts with "/"; `security` and `tags` are arrays of
    objects; the texts in `info` are strings and `info.contact` is an object.
    Why: a reader that finds a string where an object belongs cannot use the document; the
    portal builds the backend URL from the first scheme, host and basePath.
    A placeholder host that a dynamichosturl policy replaces at run time must still be a host
    name: of the about 150 certified connectors with that policy (October 2024) all but one
    write a host name such as `yourinstance.contoso.com`; the one exception
    (`{{replace_with_your_domain}}`, 2020) predates the check in Microsoft's published schema.
    Fix: give the key the type named in the message.
    """
    swagger = package.swagger
    for key in _ROOT_OBJECTS:
        if key in swagger and not isinstance(swagger[key], dict):
            yield Problem(f'"{key}" must be an object, not {kind_of(swagger[key])}.', f"/{key}")
    for key in ("definitions", "parameters", "responses", "securityDefinitions"):
        section = swagger.get(key)
        if isinstance(section, dict):
            for name, entry in section.items():
                if not isinstance(entry, dict):
                    yield Problem(
                        f'"{key}" entries must be objects; {name!r} is {kind_of(entry)}.',
                        join(f"/{key}", name),
                    )
    for key in _ROOT_STRING_ARRAYS:
        if key not in swagger:
            continue
        value = swagger[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            yield Problem(f'"{key}" must be an array of strings.', f"/{key}")
        elif key == "schemes":
            for index, scheme in enumerate(value):
                if scheme not in SCHEMES:
                    yield Problem(
                        f"Unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)}.",
                        f"/schemes/{index}",
                    )
    if "host" in swagger:
        host = swagger["host"]
        if not isinstance(host, str) or not _HOST.match(host):
            yield Problem(
                f"'host' must be a host name with an optional port, no scheme or path: "
                f"{json.dumps(host)}.",
                "/host",
            )
    if "basePath" in swagger:
        base_path = swagger["basePath"]
        if not isinstance(base_path, str) or not base_path.startswith("/"):
            yield Problem(f"'basePath' must start with '/': {json.dumps(base_path)}.", "/basePath")
    for key in ("security", "tags"):
        if key in swagger:
            value = swagger[key]
            if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                yield Problem(f'"{key}" must be an array of objects.', f"/{key}")
    info = swagger.get("info")
    if isinstance(info, dict):
        for key in ("title", "version", "description", "termsOfService"):
            if key in info and not isinstance(info[key], str):
                yield Problem(
                    f'"info.{key}" must be a string, not {kind_of(info[key])}.', f"/info/{key}"
                )
        for key in ("contact", "license"):
            if key in info and not isinstance(info[key], dict):
                yield Problem(
                    f'"info.{key}" must be an object, not {kind_of(info[key])}.', f"/info/{key}"
                )


@rule("swagger-unknown-root-key", Severity.ERROR)
def swagger_unknown_root_key(package: Package) -> Iterator[Problem]:
    """The root of the swagger holds only Swagger 2.0 keys and `x-` extensions.

    What: a root key that Swagger 2.0 does not define and that does not start with "x-", such as
    `scriptOperations` (which belongs in apiProperties.json) or `servers` (OpenAPI 3).
    Why: Microsoft's validator rejects it with "ExtensionNameNotValid" (reference SCH-05).
    Fix: move the key where it belongs, or prefix a vendor extension with "x-".
    """
    for key in package.swagger:
        if key not in ROOT_KEYS and not key.startswith("x-"):
            yield Problem(
                f"Unknown root key {key!r}: not a Swagger 2.0 key and not an x- extension.",
                join("", key),
            )


# --------------------------------------------------------------------------- paths and operations


@rule("paths-shape", Severity.ERROR)
def paths_shape(package: Package) -> Iterator[Problem]:
    """Every path starts with "/" and holds only operations, `parameters` and extensions.

    What: a key of `paths` that does not start with "/"; a path item that is not an object; a key
    in a path item other than the methods get, put, post, delete, options, head, patch (lower
    case), `parameters`, `$ref` or an `x-` extension; an operation that is not an object.
    Why: Swagger 2.0 defines paths relative to basePath and starting with "/"; an unknown key
    such as "GET" or "summary" is silently ignored by readers, so the operation is lost.
    Fix: start the path with "/", write methods in lower case, move other keys into an operation.
    """
    paths = package.swagger.get("paths")
    if not isinstance(paths, dict):
        return
    allowed = frozenset((*HTTP_METHODS, "parameters", "$ref"))
    for path, item in paths.items():
        pointer = join("/paths", path)
        if not path.startswith("/") and not path.startswith("x-"):
            yield Problem(f"The path {path!r} must start with '/'.", pointer)
        if path.startswith("x-"):
            continue
        if not isinstance(item, dict):
            yield Problem(
                f"The path item {path!r} must be an object, not {kind_of(item)}.", pointer
            )
            continue
        for key, value in item.items():
            if key.startswith("x-"):
                continue
            if key not in allowed:
                yield Problem(
                    f"Unknown key {key!r} in path item {path!r}; operations are lower-case "
                    "methods (get, put, post, delete, options, head, patch).",
                    join(pointer, key),
                )
            elif key in HTTP_METHODS and not isinstance(value, dict):
                yield Problem(
                    f"The operation {key.upper()} {path} must be an object, not {kind_of(value)}.",
                    join(pointer, key),
                )


@rule("operation-responses", Severity.ERROR)
def operation_responses(package: Package) -> Iterator[Problem]:
    """Every operation has responses, keyed by 3-digit status codes or "default", each with a
    description.

    What: `responses` is missing, is not an object or declares no response; a response key is
    neither a status code from 100 to 599 nor "default"; a response has no `description`
    (references to `#/responses` are checked where they point).
    Why: Swagger 2.0 requires at least one response per operation with a description; Microsoft's
    validator rejects the operation otherwise (reference OP-09).
    Fix: declare the success response, e.g. `"200": {"description": "The message.", "schema":
    ...}`, and a `"default"` response without schema for errors.
    """
    for operation in _operations(package):
        label = operation.route
        if "responses" not in operation.node:
            yield Problem(f"The operation {label} has no responses.", operation.pointer)
            continue
        declared = operation.node["responses"]
        if not isinstance(declared, dict):
            yield Problem(
                f"The responses of {label} must be an object.",
                join(operation.pointer, "responses"),
            )
            continue
        codes = [code for code in declared if not code.startswith("x-")]
        if not codes:
            yield Problem(
                f"The operation {label} declares no response.",
                join(operation.pointer, "responses"),
            )
        for code in codes:
            response = declared[code]
            if not _RESPONSE_CODE.match(code):
                yield Problem(
                    f"The response key {code!r} of {label} is neither a status code nor 'default'.",
                    join(operation.pointer, "responses", code),
                )
            message = _response_problem(response, f"{code} of {label}")
            if message is not None:
                yield Problem(message, join(operation.pointer, "responses", code))
    responses = package.swagger.get("responses")
    if isinstance(responses, dict):
        for name, response in responses.items():
            message = _response_problem(response, f"#/responses/{name}")
            if message is not None and isinstance(response, dict):
                yield Problem(message, join("/responses", name))


def _response_problem(response: Any, label: str) -> str | None:
    if not isinstance(response, dict):
        return f"The response {label} must be an object, not {kind_of(response)}."
    if "$ref" not in response and not isinstance(response.get("description"), str):
        return f"The response {label} has no description."
    return None


@rule("operation-id-unique", Severity.ERROR)
def operation_id_unique(package: Package) -> Iterator[Problem]:
    """No two operations share an operationId.

    What: the same `operationId` on two operations; the later ones are reported (reference OP-07).
    Why: flows, dynamic values, policies and scriptOperations name operations by operationId;
    Swagger 2.0 requires them to be unique.
    Fix: give each operation its own operationId.
    """
    first_seen: dict[str, str] = {}
    for operation in _operations(package):
        operation_id = operation.node.get("operationId")
        if not isinstance(operation_id, str):
            continue
        if operation_id in first_seen:
            yield Problem(
                f"The operationId {operation_id!r} is also used by {first_seen[operation_id]}.",
                join(operation.pointer, "operationId"),
            )
        else:
            first_seen[operation_id] = operation.route


# --------------------------------------------------------------------------- parameters


@rule("parameter-shape", Severity.ERROR)
def parameter_shape(package: Package) -> Iterator[Problem]:
    """Every parameter has a name, a valid location and a type (or, in the body, a schema).

    What: a `parameters` list that is not an array or holds something other than objects; a
    parameter without a string `name`; `in` other than query, header, path, formData, body; a
    body parameter without a `schema` object; a non-body parameter without a `type` among
    string, number, integer, boolean, array (file only in formData); an array parameter without
    an `items` object, or whose items (at any depth) have a `type` other than string, number,
    integer, boolean or array, or an `enum` that is not an array; the same name and location
    twice in one list; more than one body parameter, or body and formData parameters together
    (reference PRM-03).
    Why: the designer builds the action's inputs from these fields; Swagger 2.0 and Microsoft's
    validator require them.
    Fix: complete the parameter as the message says.
    """
    swagger = package.swagger
    for parameters_list, at in _parameter_lists(schema_index(package)):
        if not isinstance(parameters_list, list):
            yield Problem("'parameters' must be an array.", join("", *at))
            continue
        seen: set[tuple[Any, Any]] = set()
        locations: list[Any] = []
        for index, parameter in enumerate(parameters_list):
            if not isinstance(parameter, dict):
                yield Problem(
                    f"A parameter must be an object, not {kind_of(parameter)}.",
                    join("", *at, index),
                )
                continue
            if "$ref" in parameter:
                parameter = follow(swagger, parameter, "")[0]
                if not isinstance(parameter, dict) or "$ref" in parameter:
                    continue  # ref-target reports it
            else:
                for message, tokens in _parameter_problems(parameter):
                    yield Problem(message, join("", *at, index, *tokens))
            key = (parameter.get("name"), parameter.get("in"))
            try:
                repeated = key in seen
                seen.add(key)
            except TypeError:  # a list or an object as name or location: reported above
                repeated = False
            if repeated and isinstance(key[0], str):
                yield Problem(
                    f"The parameter {key[0]!r} in {key[1]} is declared twice in this list.",
                    join("", *at, index),
                )
            locations.append(parameter.get("in"))
        if locations.count("body") > 1:
            yield Problem("An operation can have only one body parameter.", join("", *at))
        if "body" in locations and "formData" in locations:
            yield Problem("Body and formData parameters cannot be used together.", join("", *at))
    definitions = swagger.get("parameters")
    if isinstance(definitions, dict):
        for name, parameter in definitions.items():
            if isinstance(parameter, dict):
                for message, tokens in _parameter_problems(parameter):
                    yield Problem(message, join("/parameters", name, *tokens))


def _parameter_problems(parameter: dict[str, Any]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Messages about one parameter object, each with the tokens of the key it is about."""
    name = parameter.get("name")
    label = repr(name) if isinstance(name, str) else "without a name"
    if not isinstance(name, str):
        yield "The parameter has no string 'name'.", ()
    location = parameter.get("in")
    if location not in PARAMETER_LOCATIONS:
        yield (
            f"The parameter {label} has 'in' {json.dumps(location)}; use one of "
            f"{', '.join(PARAMETER_LOCATIONS)}.",
            ("in",) if "in" in parameter else (),
        )
        return
    if location == "body":
        if not isinstance(parameter.get("schema"), dict):
            yield f"The body parameter {label} needs a 'schema' object.", ()
        return
    kind = parameter.get("type")
    if kind not in PARAMETER_TYPES or (kind == "file" and location != "formData"):
        allowed = ", ".join(t for t in PARAMETER_TYPES if t != "file")
        yield (
            f"The {location} parameter {label} has 'type' {json.dumps(kind)}; use one of "
            f"{allowed} (file only in formData).",
            ("type",) if "type" in parameter else (),
        )
    elif kind == "array":
        yield from _items_problems(parameter.get("items"), location, label)


# an items object describes one element of a parameter sent as text, never an object or a file
_ITEMS_TYPES = ("string", "number", "integer", "boolean", "array")


def _items_problems(items: Any, location: str, label: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Messages about the `items` of an array parameter, level by level: each an object with a
    `type` of _ITEMS_TYPES and an `enum` that is an array, and with `items` of its own when it
    is an array again."""
    owner = f"{location} parameter {label}"
    tokens: tuple[str, ...] = ()
    missing = f"The array parameter {label} needs an 'items' object."
    while True:
        if not isinstance(items, dict):
            yield missing, tokens
            return
        tokens = (*tokens, "items")
        kind = items.get("type")
        if kind not in _ITEMS_TYPES:
            written = f"'type' {json.dumps(kind)}" if "type" in items else "no 'type'"
            yield (
                f"The items of the {owner} have {written}; use one of {', '.join(_ITEMS_TYPES)}.",
                (*tokens, "type") if "type" in items else tokens,
            )
        if "enum" in items and not isinstance(items["enum"], list):
            yield "'enum' must be an array.", (*tokens, "enum")
        if kind != "array":
            return
        missing = f"The items of the {owner} are arrays and need an 'items' object."
        items = items.get("items")


@rule("path-parameters", Severity.ERROR)
def path_parameters(package: Package) -> Iterator[Problem]:
    """Every `{name}` in a path is a declared, required path parameter, and every path parameter
    appears in its path.

    What: a path template names a parameter that neither the operation nor its path item
    declares with `"in": "path"`; a path parameter is not `"required": true`; a path parameter
    is declared but its name is not in the path (reference PRM-03).
    Why: the runtime fills the path from these parameters; a missing one leaves "{name}" in the
    URL, an optional one can produce "//" in it.
    Fix: declare `{"name": "id", "in": "path", "required": true, "type": "string", ...}` for each
    template name, and remove path parameters the path does not use.
    """
    swagger = package.swagger
    for operation in _operations(package):
        names = _TEMPLATE_NAME.findall(operation.path)
        label = operation.route
        declared: dict[str, tuple[dict[str, Any], str, int]] = {}
        for owner, owner_at in (
            (operation.path_item, operation.path_pointer),
            (operation.node, operation.pointer),
        ):
            parameters = owner.get("parameters")
            if not isinstance(parameters, list):
                continue
            for index, parameter in enumerate(parameters):
                target = follow(swagger, parameter, "")[0]
                if (
                    isinstance(target, dict)
                    and target.get("in") == "path"
                    and isinstance(target.get("name"), str)
                ):
                    declared[target["name"]] = (target, owner_at, index)
        for name in dict.fromkeys(names):
            if name not in declared:
                yield Problem(
                    f"The path parameter {{{name}}} of {label} is not declared.", operation.pointer
                )
        for name, (parameter, owner_at, index) in declared.items():
            if name not in names:
                yield Problem(
                    f"The path parameter {name!r} of {label} does not appear in the path.",
                    join(owner_at, "parameters", index),
                )
            elif parameter.get("required") is not True:
                yield Problem(
                    f'The path parameter {name!r} of {label} must be "required": true.',
                    join(owner_at, "parameters", index),
                )


# --------------------------------------------------------------------------- references


@rule("ref-target", Severity.ERROR)
def ref_target(package: Package) -> Iterator[Problem]:
    """Every `$ref` points into #/definitions, #/parameters or #/responses and resolves.

    What: a reference that is not a string, that points into another file or URL, into another
    part of the document, or to a name that is not defined; or a chain of references that loops
    back on itself without reaching a definition (reference SCH-04).
    Why: Power Platform resolves only local references into those three sections; an
    unresolved reference fails at import, a loop never ends.
    A reference is read the way the diff and `call` read it too: percent-decoded
    ("#/definitions/A%20B" names "A B"), with "~1" for "/" and "~0" for "~", and a chain of
    references is followed for at most 32 in a row.
    Fix: define the missing entry, or correct the reference to "#/definitions/Name" (or
    "#/parameters/Name", "#/responses/Name").
    """
    swagger = package.swagger
    document = package.document(FileKind.SWAGGER)
    text = document.text if document is not None else None
    if text is not None and ("\\u00" not in text or not _ESCAPED_REF_LETTER.search(text)):
        # the common case: every reference in the text is fine, nothing to walk
        values = _ref_values(text)
        if all(
            value.startswith('"')
            and _ref_problem(swagger, json.loads(value) if "\\" in value else value[1:-1]) is None
            for value in values
        ):
            return
    for node, pointer in walk(swagger):
        if node.__class__ is dict and "$ref" in node:
            message = _ref_problem(swagger, node["$ref"])
            if message is not None:
                yield Problem(message, join(pointer, "$ref"))


def _ref_values(text: str) -> set[str]:
    """The text of every value written after a "$ref" key (the first character of it when it is
    not a string), as `_REF_IN_TEXT.finditer` would find them; `str.find` jumps from one "$ref"
    to the next much faster than the expression searches for its start."""
    values: set[str] = set()
    find, match = text.find, _REF_IN_TEXT.match
    position = find('"$ref"')
    while position != -1:
        found = match(text, position)
        if found is None:
            position = find('"$ref"', position + 1)
        else:
            values.add(found.group(1))
            position = find('"$ref"', found.end())
    return values


def _ref_problem(swagger: dict[str, Any], ref: Any) -> str | None:
    """What is wrong with one reference, as written where it is; a later reference of its
    chain that does not resolve is reported where that one is written."""
    status = classify(ref)
    if status is RefStatus.NOT_TEXT:
        return f"'$ref' must be a string, not {kind_of(ref)}."
    if status is RefStatus.EXTERNAL:
        return f"The reference {ref!r} points outside this document; use local references."
    tokens = split(ref_pointer(ref) or "") if status is None else None
    if not tokens or len(tokens) < 2 or tokens[0] not in REF_SECTIONS:
        return f"The reference {ref!r} must point into #/definitions, #/parameters or #/responses."
    found = resolve(swagger, ref)
    if found.status is RefStatus.MISSING and len(found.refs) == 1:
        return f"The reference {ref!r} does not resolve: no such entry."
    if found.status is RefStatus.CYCLE:
        return f"The reference {ref!r} loops: {' -> '.join(found.refs)}."
    if found.status is RefStatus.TOO_LONG:
        return (
            f"The reference {ref!r} starts a chain of more than {MAX_REF_HOPS} references; "
            "point at the definition itself."
        )
    return None


# --------------------------------------------------------------------------- security


@rule("security-definitions", Severity.ERROR)
def security_definitions(package: Package) -> Iterator[Problem]:
    """Security schemes are complete, and security requirements name defined schemes.

    What: a `securityDefinitions` entry whose `type` is not basic, apiKey or oauth2; an apiKey
    scheme without `name` or with `in` other than header or query; an oauth2 scheme without a
    valid `flow`, without the `authorizationUrl` or `tokenUrl` its flow needs, or without
    `scopes`; a `security` requirement (root or operation) naming an undefined scheme.
    Why: the portal derives the connection's sign-in from these schemes.
    Fix: complete the scheme as the message says, or correct the name in `security`.
    """
    swagger = package.swagger
    schemes = swagger.get("securityDefinitions")
    schemes = schemes if isinstance(schemes, dict) else {}
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict):
            continue  # swagger-types reports it
        pointer = join("/securityDefinitions", name)
        kind = scheme.get("type")
        if kind not in ("basic", "apiKey", "oauth2"):
            yield Problem(
                f"The security scheme {name!r} has type {json.dumps(kind)}; use basic, apiKey or "
                "oauth2.",
                pointer,
            )
        elif kind == "apiKey":
            if not isinstance(scheme.get("name"), str):
                yield Problem(f"The apiKey scheme {name!r} needs a 'name'.", pointer)
            if scheme.get("in") not in ("header", "query"):
                yield Problem(f"The apiKey scheme {name!r} needs 'in': header or query.", pointer)
        elif kind == "oauth2":
            flow = scheme.get("flow")
            needs = {
                "implicit": ("authorizationUrl",),
                "password": ("tokenUrl",),
                "application": ("tokenUrl",),
                "accessCode": ("authorizationUrl", "tokenUrl"),
            }
            if not isinstance(flow, str) or flow not in needs:
                yield Problem(
                    f"The oauth2 scheme {name!r} needs 'flow': implicit, password, application "
                    "or accessCode.",
                    pointer,
                )
            else:
                for key in needs[flow]:
                    if not isinstance(scheme.get(key), str):
                        yield Problem(f"The oauth2 scheme {name!r} needs {key!r}.", pointer)
            if not isinstance(scheme.get("scopes"), dict):
                yield Problem(f"The oauth2 scheme {name!r} needs a 'scopes' object.", pointer)
    requirements: list[tuple[Any, str]] = [(swagger.get("security"), "")]
    requirements.extend(
        (operation.node.get("security"), operation.pointer)
        for operation in _operations(package)
        if "security" in operation.node
    )
    for security, owner_at in requirements:
        if not isinstance(security, list):
            continue
        for index, requirement in enumerate(security):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if name not in schemes:
                    yield Problem(
                        f"The security requirement names {name!r}, which securityDefinitions "
                        "does not define.",
                        join(owner_at, "security", index, name),
                    )


# --------------------------------------------------------------------------- schemas


@rule("schema-shape", Severity.ERROR)
def schema_shape(package: Package) -> Iterator[Problem]:
    """Schemas are objects with valid `type`, `properties`, `items`, `required` and `enum`.

    What: a schema (in definitions, body parameters, responses, and nested in properties, items,
    additionalProperties, allOf) that is not an object; a `type` that is not one of string,
    number, integer, boolean, array, object (or file for a response); `properties` that is not
    an object; `required` that is not an array of strings; `enum` that is not an array.
    Why: the designer builds the dynamic content and the input fields from these schemas; a
    malformed one is refused by Microsoft's validator.
    Fix: correct the keyword as the message says.
    """
    found = schema_index(package)
    for rule_key, message, entry, tokens in found.shape_problems:
        if rule_key == SHAPE:
            yield Problem(message, found.schema_pointer(entry, *tokens))


@rule("default-matches-schema", Severity.WARNING)
def default_matches_schema(package: Package) -> Iterator[Problem]:
    """A `default` value fits its own parameter or schema.

    What: a `default` of another type than the declared one (the string "false" for a boolean,
    null for a string), outside the declared `enum`, or an object default that lacks a property
    the schema requires.
    Why: the designer pre-fills the field with the default, and a value of the wrong type is
    sent as it is; internal required parameters send nothing else. Swagger validators reject
    such documents.
    Fix: write the default in the declared type (`false`, not `"false"`), pick an enum value, or
    drop the default.
    """
    document = package.document(FileKind.SWAGGER)
    if document is not None and document.text is not None and '"default"' not in document.text:
        return
    found = schema_index(package)
    candidates: list[tuple[dict[str, Any], tuple[str | int, ...]]] = []
    for parameters_list, at in _parameter_lists(found):
        if isinstance(parameters_list, list):
            candidates.extend(
                (parameter, (*at, index))
                for index, parameter in enumerate(parameters_list)
                if isinstance(parameter, dict) and "default" in parameter
            )
    definitions = package.swagger.get("parameters")
    if isinstance(definitions, dict):
        candidates.extend(
            (parameter, ("parameters", name))
            for name, parameter in definitions.items()
            if isinstance(parameter, dict) and "default" in parameter
        )
    for node, place in candidates:
        message = default_problem(node)
        if message is not None:
            yield Problem(message, join("", *place, "default"))
    for entry in found.parameter_items:  # the items of non-body parameters
        if "default" in entry[0]:
            message = default_problem(entry[0])
            if message is not None:
                yield Problem(message, found.schema_pointer(entry, "default"))
    for rule_key, message, entry, tokens in found.shape_problems:
        if rule_key == DEFAULT:
            yield Problem(message, found.schema_pointer(entry, *tokens))


RULES: tuple[Rule, ...] = (
    swagger_version,
    swagger_openapi_3,
    swagger_required,
    swagger_types,
    swagger_unknown_root_key,
    paths_shape,
    operation_responses,
    operation_id_unique,
    parameter_shape,
    path_parameters,
    ref_target,
    security_definitions,
    schema_shape,
    default_matches_schema,
)
