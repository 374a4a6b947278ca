"""Cross-references: every operationId something names exists (REF-01)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from retarus_connector.lint.model import FileKind, Package, Problem, Severity, rule
from retarus_connector.lint.rules._properties import (
    OPERATION_NAME,
    api_properties,
    policy_label,
)
from retarus_connector.lint.rules._walk import (
    as_dict,
    as_list,
    holders_with,
    join,
    operation_ids,
)
from retarus_connector.lint.rules.references._calls import (
    DYNAMIC_KEYS,
)

_TREE_KEY = "x-ms-dynamic-tree"
_REFERRING_KEYS = DYNAMIC_KEYS | {_TREE_KEY}


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
    api = api_properties(package)
    for item in api.script_operations:
        yield item.value, item.pointer, "scriptOperations"
    for instance in api.policies:
        names = instance.parameters.get(OPERATION_NAME)
        for index, operation_id in enumerate(as_list(names)):
            pointer = join(instance.pointer, "parameters", OPERATION_NAME, index)
            yield operation_id, pointer, f"the policy {policy_label(instance)}"


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
