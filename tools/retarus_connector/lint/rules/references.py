"""Cross-references inside the swagger and between the swagger and apiProperties.json:
operationIds, connection parameters, request values used by policies, and the match between
security definitions and connection parameters (reference REF-01 to REF-03)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retarus_connector.lint.model import FileKind, Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules import policies
from retarus_connector.lint.rules._walk import (
    as_dict,
    as_list,
    holders_with,
    join,
    operation_ids,
    operation_parameters,
    operations,
    strings,
)
from retarus_connector.lint.rules.properties import connection_parameter_names, parameter_maps

DYNAMIC_KEYS = frozenset(
    {"x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema", "x-ms-dynamic-properties"}
)
_TREE_KEY = "x-ms-dynamic-tree"
_REFERRING_KEYS = DYNAMIC_KEYS | {_TREE_KEY}
_CONNECTION_PARAMETER = re.compile(r"@connectionParameters\(\s*['\"]([^'\"]*)['\"]")
_REQUEST_VALUE = re.compile(r"@(headers|queryParameters)\(\s*['\"]([^'\"]*)['\"]")


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
    for instance in policies.instances(package.properties):
        names = instance.parameters.get(policies.OPERATION_NAME)
        for index, operation_id in enumerate(as_list(names)):
            pointer = join(instance.pointer, "parameters", policies.OPERATION_NAME, index)
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
        if "@connectionParameters" not in value:
            continue
        for match in _CONNECTION_PARAMETER.finditer(value):
            if match.group(1) not in names:
                yield Problem(
                    f"@connectionParameters('{match.group(1)}') names no connection parameter",
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
    for instance in policies.instances(package.properties):
        names = instance.parameters.get(policies.OPERATION_NAME)
        if isinstance(names, list):
            targets = [by_id[name] for name in names if isinstance(name, str) and name in by_id]
        else:
            targets = list(all_operations)
        for value, pointer in strings(instance.parameters, join(instance.pointer, "parameters")):
            if "@headers" not in value and "@queryParameters" not in value:
                continue
            for match in _REQUEST_VALUE.finditer(value):
                location = "header" if match.group(1) == "headers" else "query"
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


RULES: tuple[Rule, ...] = (
    operation_id_references,
    connection_parameter_references,
    policy_request_values,
    security_connection,
)
