"""Cross-references from apiProperties.json: the connection parameters and request values its
policies use (REF-02)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retarus_connector.lint.model import FileKind, Package, Problem, Severity, rule
from retarus_connector.lint.rules._properties import (
    OPERATION_NAME,
    api_properties,
    policy_label,
)
from retarus_connector.lint.rules._walk import (
    join,
    operation_parameters,
    operations,
    strings,
)

# the platform reads function names in any letter case (a published connector writes
# @ConnectionParameters); the names they take are matched exactly
_REQUEST_VALUE = r"@((?i:headers|queryParameters))\(\s*['\"]([^'\"]*)['\"]"


@rule("reference-connection-parameter", Severity.ERROR, needs=(FileKind.PROPERTIES,))
def connection_parameter_references(package: Package) -> Iterator[Problem]:
    """`@connectionParameters('name')` names a connection parameter that exists.

    What: policy values such as `@connectionParameters('region')` (optionally with a default,
    `@connectionParameters('region','de')`) are replaced by the value the user entered for
    that connection parameter (reference REF-02).
    Why: a misspelled name makes the policy produce an empty value at run time.
    Fix: use the exact key of a parameter under `connectionParameters` (or of a parameter set).
    """
    from retarus_connector.core.properties import CONNECTION_PARAMETER_REFERENCE

    names = api_properties(package).connection_parameter_names()
    for value, pointer in strings(package.properties):
        if "@" not in value:
            continue
        for match in CONNECTION_PARAMETER_REFERENCE.finditer(value):
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
    for instance in api_properties(package).policies:
        names = instance.parameters.get(OPERATION_NAME)
        if isinstance(names, list):
            targets = [by_id[name] for name in names if isinstance(name, str) and name in by_id]
        else:
            targets = list(all_operations)
        for value, pointer in strings(instance.parameters, join(instance.pointer, "parameters")):
            if "@" not in value:
                continue
            for match in re.finditer(_REQUEST_VALUE, value):
                location = "header" if match.group(1).lower() == "headers" else "query"
                name = match.group(2)
                missing = [op.label for op in targets if not _declares(package, op, location, name)]
                if missing:
                    shown = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
                    yield Problem(
                        f"@{match.group(1)}('{name}') in the policy {policy_label(instance)}: "
                        f"{len(missing)} targeted operation(s) declare no {location} parameter "
                        f"{name!r} ({shown})",
                        pointer,
                        FileKind.PROPERTIES,
                    )
