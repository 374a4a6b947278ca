"""The `x-ms-*` extensions: only known ones, with values of the documented kind (reference
section 3 table, SCH-05 and OP-12)."""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from types import MappingProxyType
from typing import Any

from retarus_connector.lint.model import FileKind, Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._extension_shapes import (
    SHAPES,
    api_annotation,
    deployment_version,
    root_capabilities,
)
from retarus_connector.lint.rules._profiles import CUSTOM_WARNING
from retarus_connector.lint.rules._walk import (
    Holder,
    Parameter,
    SchemaNode,
    as_dict,
    holders_with,
    join,
    operations,
    parameter_definitions,
    parameter_items,
    responses,
    schema_entries,
)
from retarus_connector.lint.rules._walk import (
    index as schema_index,
)

# the table of section 3, the AutoRest keys it lists as ignored, and extensions production
# connectors use although the repository schema lacks them
KNOWN_EXTENSIONS = frozenset(
    {
        "x-ms-summary",
        "x-ms-visibility",
        "x-ms-connector-metadata",
        "x-ms-capabilities",
        "x-ms-dynamic-values",
        "x-ms-dynamic-list",
        "x-ms-dynamic-schema",
        "x-ms-dynamic-properties",
        "x-ms-dynamic-tree",
        "x-ms-trigger",
        "x-ms-trigger-hint",
        "x-ms-trigger-metadata",
        "x-ms-trigger-value",
        "x-ms-notification-content",
        "x-ms-notification-url",
        "x-ms-notification",
        "x-ms-url-encoding",
        "x-ms-api-annotation",
        "x-ms-operation-context",
        "x-ms-pageable",
        "x-ms-no-generic-test",
        "x-ms-safe-operation",
        "x-ms-localizeDefaultValue",
        "x-ms-enum-values",
        "x-ms-media-kind",
        "x-ms-test-value",
        "x-ms-docs",
        "x-ms-deployment-version",
        "x-ms-parameter-location",
        "x-ms-skip-url-encoding",
        "x-ms-enum",
        # production extras
        "x-ms-openai-data",
        "x-ms-openai-manifest",
        "x-ms-openai-published-to-copilots",
        "x-ms-require-user-confirmation",
        "x-ms-keywords",
        "x-ms-long-running-operation",
        "x-ms-editor",
        "x-ms-editor-options",
    }
)
# values that are data, not swagger, so extension-like keys inside them mean nothing
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "x-ms-test-value"})
# maps whose keys are names chosen by the author, not swagger keywords; a response's
# `headers` are HTTP header names, and Microsoft's own headers (x-ms-request-id,
# x-ms-async-operation-timeout, ...) start like an extension without being one
_NAME_MAPS = frozenset(
    {
        "properties",
        "definitions",
        "parameters",
        "responses",
        "paths",
        "securityDefinitions",
        "headers",
    }
)
_EXTENSION_KEY = re.compile(r'"(x-ms-[^"\\]*)"\s*:')


def _used_extension_names(package: Package) -> set[str] | None:
    """The x-ms-* key names the swagger's text contains, or None when the text is not at hand.
    A cheap scan: only when it finds an unknown name does the rule walk the document."""
    document = package.document(FileKind.SWAGGER)
    if document is None or document.text is None:
        return None
    # str.find jumps to each candidate far faster than the expression searches the text
    text = document.text
    names: set[str] = set()
    find, match = text.find, _EXTENSION_KEY.match
    position = find('"x-ms-')
    while position != -1:
        found = match(text, position)
        if found is None:
            position = find('"x-ms-', position + 1)
        else:
            names.add(found.group(1))
            position = find('"x-ms-', found.end())
    return names


def _unknown_keys(swagger: Any) -> Iterator[tuple[str, str]]:
    stack: list[tuple[Any, str, bool]] = [(swagger, "", False)]
    while stack:
        node, pointer, is_name_map = stack.pop()
        if isinstance(node, dict):
            children = []
            for key, value in node.items():
                if not is_name_map and key.startswith("x-ms-") and key not in KNOWN_EXTENSIONS:
                    yield key, join(pointer, key)
                if not isinstance(value, dict | list):
                    continue
                if not is_name_map and key in _DATA_KEYS:
                    continue
                children.append((value, join(pointer, key), not is_name_map and key in _NAME_MAPS))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(
                (value, join(pointer, index), False)
                for index, value in reversed(list(enumerate(node)))
                if isinstance(value, dict | list)
            )


@rule("extension-unknown", Severity.ERROR, severities=CUSTOM_WARNING)
def unknown_extension(package: Package) -> Iterator[Problem]:
    """Every `x-ms-*` key is an extension Power Platform knows.

    What: the connector schema accepts only its listed `x-ms-*` extensions (x-ms-summary,
    x-ms-visibility, x-ms-dynamic-values, ...); production also accepts x-ms-openai-data,
    x-ms-openai-manifest, x-ms-keywords, x-ms-long-running-operation, x-ms-editor-options and a
    few more (reference SCH-05). Keys inside examples and defaults are ignored, and so are
    the names of response headers (`responses/*/headers`): `x-ms-request-id` or
    `x-ms-async-operation-timeout` there is an HTTP header the service sends, not an extension.
    Why: the validator rejects unknown extensions ("ExtensionNameNotValid"); misspelled ones
    (`x-ms-visiblity`) silently do nothing.
    Fix: correct the spelling, or use a vendor extension without the `ms-` part (`x-contoso-...`).
    """
    names = _used_extension_names(package)
    if names is not None and names <= KNOWN_EXTENSIONS:
        return
    for key, pointer in _unknown_keys(package.swagger):
        yield Problem(f"ExtensionNameNotValid: {key!r} is not a known x-ms extension", pointer)


# the keys Swagger 2.0 defines for each kind of object below the root (the root and path
# items are checked by the structure rules)
_ITEMS_KEYS = frozenset(
    {
        "type", "format", "items", "collectionFormat", "default", "maximum", "exclusiveMaximum",
        "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems",
        "minItems", "uniqueItems", "enum", "multipleOf",
    }
)  # fmt: skip
SWAGGER_KEYS: Mapping[str, frozenset[str]] = MappingProxyType({
    "info": frozenset(
        {"title", "description", "termsOfService", "contact", "license", "version"}
    ),
    "contact": frozenset({"name", "url", "email"}),
    "license": frozenset({"name", "url"}),
    # the `items` of a parameter that is not a body (an Items object, not a schema)
    "items object": _ITEMS_KEYS,
    "operation": frozenset(
        {
            "tags", "summary", "description", "externalDocs", "operationId", "consumes",
            "produces", "parameters", "responses", "schemes", "deprecated", "security",
        }
    ),
    "parameter": _ITEMS_KEYS
    | {"name", "in", "description", "required", "allowEmptyValue", "schema", "$ref"},
    "response": frozenset({"description", "schema", "headers", "examples", "$ref"}),
    "schema": frozenset(
        {
            "$ref", "format", "title", "description", "default", "multipleOf", "maximum",
            "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
            "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties",
            "required", "enum", "type", "items", "allOf", "properties", "additionalProperties",
            "discriminator", "readOnly", "xml", "externalDocs", "example",
        }
    ),
    "security scheme": frozenset(
        {"type", "description", "name", "in", "flow", "authorizationUrl", "tokenUrl", "scopes"}
    ),
})  # fmt: skip


_ARTICLE = MappingProxyType({kind: "an" if kind[0] in "aeiou" else "a" for kind in SWAGGER_KEYS})
# the Swagger 2.0 keys and the extensions objects commonly carry: an object holding only these
# has no key the rule reports (it never reports an "x-" key), which one set test shows
_LOOSELY_ALLOWED = MappingProxyType(
    {kind: keys | KNOWN_EXTENSIONS | {"x-nullable"} for kind, keys in SWAGGER_KEYS.items()}
)


def _objects_to_check(package: Package) -> Iterator[tuple[str, dict[str, Any], Callable[[], str]]]:
    """(kind, object, pointer) for the objects whose keys Swagger 2.0 fixes; the pointer is
    built when asked for."""
    swagger = as_dict(package.swagger)
    info = swagger.get("info")
    if isinstance(info, dict):
        yield "info", info, partial(str, "/info")
        for part in ("contact", "license"):
            if isinstance(info.get(part), dict):
                yield part, info[part], partial(join, "/info", part)
    for name, scheme in as_dict(swagger.get("securityDefinitions")).items():
        if isinstance(scheme, dict):
            yield "security scheme", scheme, partial(join, "/securityDefinitions", name)
    for operation in operations(package):
        yield "operation", operation.node, partial(getattr, operation, "pointer")
        for _, response, pointer in responses(package.swagger, operation):
            yield "response", response, partial(str, pointer)
    for parameter in parameter_definitions(package):
        yield "parameter", parameter.node, partial(getattr, parameter, "pointer")
    pointer_of = schema_index(package).schema_pointer
    for entry in parameter_items(package):
        yield "items object", entry[0], partial(pointer_of, entry)


@rule("extension-name-invalid", Severity.ERROR, severities=CUSTOM_WARNING)
def name_invalid(package: Package) -> Iterator[Problem]:
    """Objects hold only their Swagger 2.0 keys and `x-` extensions.

    What: a key that Swagger 2.0 does not define for an info, contact, license, operation,
    parameter, response, schema or security scheme object, or for the `items` of a parameter
    that is not a body (an items object: type, format, items, collectionFormat, default, enum
    and the validation keywords only), and that does not start with "x-", e.g.
    `"nullable": true` (OpenAPI 3) in a schema or `"scriptOperations"` in an operation
    (reference SCH-05; root keys and path items are checked by the structure rules).
    Why: Microsoft's validator rejects such keys with "ExtensionNameNotValid"; other readers
    silently ignore them, so they do nothing.
    Fix: use the Swagger 2.0 keyword (`x-nullable` for `nullable`), move the key where it
    belongs, or prefix a vendor extension with "x-".
    """
    # a shared `#/responses` entry is checked once: its pointer is known after the first
    # visit. One pointer names one object, so only an object met again has its pointer
    # compared with those it was met under
    met: dict[int, list[Callable[[], str]]] = {}
    for kind, node, place in _objects_to_check(package):
        earlier = met.get(id(node))
        if earlier is None:
            met[id(node)] = [place]
        else:
            if place() in {seen() for seen in earlier}:
                continue
            earlier.append(place)
        if _LOOSELY_ALLOWED[kind].issuperset(node):
            continue  # no key beyond the Swagger 2.0 ones but known extensions
        allowed = SWAGGER_KEYS[kind]
        pointer = place()
        for key in sorted(node.keys() - allowed):
            if not key.startswith("x-"):
                yield Problem(
                    f"ExtensionNameNotValid: {key!r} is not a Swagger 2.0 key of {_ARTICLE[kind]} {kind}; "
                    f"prefix vendor extensions with 'x-'",
                    join(pointer, key),
                )
    allowed = SWAGGER_KEYS["schema"]
    # issuperset walks the few keys of the node; `keys() - allowed` would walk `allowed`
    found = schema_index(package)
    pointer_of = found.schema_pointer
    misfits = map(operator.not_, map(_LOOSELY_ALLOWED["schema"].issuperset, found.schema_nodes))
    for entry in list(itertools.compress(found.schemas, misfits)):
        for key in sorted(entry[0].keys() - allowed):
            if not key.startswith("x-"):
                yield Problem(
                    f"ExtensionNameNotValid: {key!r} is not a Swagger 2.0 key of a schema; "
                    f"prefix vendor extensions with 'x-'",
                    pointer_of(entry, key),
                )


VISIBILITY = ("important", "advanced", "internal")
TRIGGER = ("batch", "single")
URL_ENCODING = ("single", "double")
MEDIA_KIND = ("image", "audio")
_ENUMS_BY_HOLDER = MappingProxyType(
    {
        "operation": {"x-ms-visibility": VISIBILITY, "x-ms-trigger": TRIGGER},
        "parameter": {"x-ms-visibility": VISIBILITY, "x-ms-url-encoding": URL_ENCODING},
        "schema": {"x-ms-visibility": VISIBILITY, "x-ms-media-kind": MEDIA_KIND},
    }
)
_ENUM_KEYS_ANYWHERE = frozenset(key for enums in _ENUMS_BY_HOLDER.values() for key in enums)


def _holders(package: Package, keys: Iterable[str]) -> Iterator[tuple[str, Holder]]:
    """(key, holder) for each operation, parameter and schema that carries one of `keys`."""
    for key in keys:
        for holder in holders_with(package, key):
            yield key, holder


@rule("extension-enum-value", Severity.ERROR)
def enum_value(package: Package) -> Iterator[Problem]:
    """Enumerated extensions such as `x-ms-visibility` hold one of their allowed values.

    What: x-ms-visibility is important, advanced or internal; x-ms-trigger is batch or single;
    x-ms-url-encoding is single or double; x-ms-media-kind is image or audio (reference OP-12).
    Why: the validator rejects other values; the designer would not know how to show the item.
    Fix: use one of the listed values, in lower case.
    """
    for key, holder in _holders(package, sorted(_ENUM_KEYS_ANYWHERE)):
        allowed = _ENUMS_BY_HOLDER[holder.kind].get(key)
        if allowed is not None:
            value = holder.node[key]
            if value not in allowed:
                yield Problem(
                    f"The value {value!r} of '{key}' is not one of {', '.join(allowed)}",
                    join(holder.pointer, key),
                )


# an x-ms-summary whose value does not start as a JSON string
_SUMMARY_NOT_STRING = re.compile(r'"x-ms-summary"\s*:\s*[^"\s]')


def _summaries_may_not_be_strings(package: Package) -> bool:
    """False when the text shows every x-ms-summary is a string: a scan of the text is much
    cheaper than visiting every node, as x-ms-summary sits on most of them."""
    document = package.document(FileKind.SWAGGER)
    if document is None or document.text is None:
        return True
    text = document.text
    # str.find jumps to each "x-ms-summary" far faster than the expression searches the text;
    # where a string follows as most files write it (`: "` or `:"`), the expression cannot match
    find, match = text.find, _SUMMARY_NOT_STRING.match
    position = find('"x-ms-summary"')
    while position != -1:
        after = position + len('"x-ms-summary"')
        if (
            not text.startswith(': "', after)
            and not text.startswith(':"', after)
            and match(text, position)
        ):
            return True
        position = find('"x-ms-summary"', position + 1)
    return False


def _summary_problems(package: Package) -> Iterator[Problem]:
    holders: list[Any] = [*parameter_definitions(package)]
    holders.extend(SchemaNode(entry) for entry in schema_entries(package))
    holders.extend(SchemaNode(entry) for entry in parameter_items(package))
    holders.extend(operations(package))
    for holder in holders:
        if "x-ms-summary" in holder.node and not isinstance(holder.node["x-ms-summary"], str):
            yield Problem("'x-ms-summary' must be a string", join(holder.pointer, "x-ms-summary"))
    response_pointers: set[str] = set()  # a shared `#/responses` entry is checked once
    for operation in operations(package):
        for _, response, pointer in responses(package.swagger, operation):
            if pointer not in response_pointers:
                response_pointers.add(pointer)
                if not isinstance(response.get("x-ms-summary", ""), str):
                    yield Problem("'x-ms-summary' must be a string", join(pointer, "x-ms-summary"))


@rule("extension-shape", Severity.ERROR)
def shape(package: Package) -> Iterator[Problem]:
    """Extensions hold values of the documented shape.

    What: for example x-ms-dynamic-list, -schema and -properties need an `operationId`;
    x-ms-dynamic-values needs one of operationId, builtInOperation or capability; x-ms-summary
    is a string; x-ms-notification-url, x-ms-no-generic-test and x-ms-safe-operation are
    booleans; x-ms-enum-values is a list of {value, displayName}; x-ms-api-annotation has
    status Production or Preview and a revision of at least 1 (on operations and in `info`);
    info's x-ms-deployment-version is a dotted version; the root x-ms-capabilities'
    `testConnection` and `file-picker.open` are objects naming an `operationId`, with
    `parameters` an object (reference section 3 table).
    Why: the validator checks these against the connector schema; a wrong shape is rejected or
    ignored.
    Fix: write the extension as the message says.
    """
    shape_keys = sorted({key for shapes in SHAPES.values() for key in shapes} - {"x-ms-summary"})
    for key, holder in _holders(package, shape_keys):
        validate = SHAPES[holder.kind].get(key)
        problem = validate(holder.node[key]) if validate else None
        if problem:
            yield Problem(f"'{key}' {problem}", join(holder.pointer, key))
    if _summaries_may_not_be_strings(package):
        yield from _summary_problems(package)
    info = as_dict(as_dict(package.swagger).get("info"))
    if "x-ms-deployment-version" in info:
        problem = deployment_version(info["x-ms-deployment-version"])
        if problem:
            yield Problem(f"'x-ms-deployment-version' {problem}", "/info/x-ms-deployment-version")
    if "x-ms-api-annotation" in info:
        problem = api_annotation(info["x-ms-api-annotation"])
        if problem:
            yield Problem(f"'x-ms-api-annotation' {problem}", "/info/x-ms-api-annotation")
    root = as_dict(package.swagger)
    if "x-ms-capabilities" in root:
        problem = root_capabilities(root["x-ms-capabilities"])
        if problem:
            yield Problem(f"'x-ms-capabilities' {problem}", "/x-ms-capabilities")


# where the extension table puts each extension that belongs to one kind of object: keys read
# only on operations, and keys read only on the inputs and schemas of an operation
OPERATION_ONLY = (
    "x-ms-trigger",
    "x-ms-trigger-hint",
    "x-ms-trigger-metadata",
    "x-ms-notification",
    "x-ms-pageable",
    "x-ms-api-annotation",
    "x-ms-operation-context",
    "x-ms-openai-data",
    "x-ms-capabilities",
)
NOT_ON_OPERATIONS = (
    "x-ms-dynamic-values",
    "x-ms-dynamic-list",
    "x-ms-dynamic-schema",
    "x-ms-dynamic-properties",
    "x-ms-dynamic-tree",
    "x-ms-notification-url",
    "x-ms-enum-values",
    "x-ms-media-kind",
)
URL_ENCODED_LOCATIONS = ("path", "query")


def _misplaced(key: str, holder: Holder) -> str | None:
    """Why `key` does nothing on `holder`, or None where it belongs."""
    if key in OPERATION_ONLY and holder.kind != "operation":
        return f"belongs on an operation, not on {_described(holder)}"
    if key in NOT_ON_OPERATIONS and holder.kind == "operation":
        return "belongs on a parameter or a schema, not on an operation"
    if key == "x-ms-url-encoding":
        location = holder.node.get("in") if holder.kind == "parameter" else None
        if location not in URL_ENCODED_LOCATIONS:
            where = f"a {location} parameter" if isinstance(location, str) else _described(holder)
            return f"applies to path and query parameters only, not to {where}"
    return None


def _described(holder: Holder) -> str:
    """The holder's kind as a message names it: the items of a parameter that is not a body
    are indexed as schemas, but they are an items object."""
    if (
        isinstance(holder, SchemaNode)
        and holder.entry[2] == "items"
        and isinstance(holder.entry[1], Parameter)
    ):
        return "the items of a parameter"
    return f"a {holder.kind}"


@rule("extension-placement", Severity.WARNING)
def placement(package: Package) -> Iterator[Problem]:
    """Extensions sit on the kind of object Power Platform reads them from.

    What: x-ms-trigger, -trigger-hint, -trigger-metadata, x-ms-notification, x-ms-pageable,
    x-ms-api-annotation, x-ms-operation-context, x-ms-openai-data and x-ms-capabilities are
    read on operations (the last two also elsewhere: x-ms-api-annotation in `info`,
    x-ms-capabilities at the root, neither of which this rule looks at); the dynamic
    extensions, x-ms-notification-url, x-ms-enum-values and x-ms-media-kind on parameters and
    schemas, never on an operation; x-ms-url-encoding on path and query parameters only
    (reference section 3, the "Where" column of the extension table).
    Why: an extension on another kind of object is ignored, so what it was meant to do (a
    trigger, a dropdown, double encoding) silently does not happen.
    Fix: move the extension to the object named in the message, or remove it.
    """
    keys = sorted({*OPERATION_ONLY, *NOT_ON_OPERATIONS, "x-ms-url-encoding"})
    for key, holder in _holders(package, keys):
        problem = _misplaced(key, holder)
        if problem:
            yield Problem(f"'{key}' {problem}", join(holder.pointer, key))


RULES: tuple[Rule, ...] = (unknown_extension, name_invalid, enum_value, shape, placement)
