"""The documented shape of each extension's value, for `extension-shape`: a validator per
extension returns None for a good value, else what is wrong, worded to follow the key's name
("'x-ms-pageable' must be an object")."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any


def _is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _is_string(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _is_object(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be an object"


def _needs_operation_id(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be an object"
    if not isinstance(value.get("operationId"), str):
        return "needs an 'operationId'"
    if "parameters" in value and not isinstance(value["parameters"], dict):
        return "has 'parameters' that are not an object"
    return None


def _dynamic_values(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be an object"
    sources = [key for key in ("operationId", "builtInOperation", "capability") if key in value]
    if len(sources) != 1:
        return "needs exactly one of 'operationId', 'builtInOperation' or 'capability'"
    if not isinstance(value[sources[0]], str):
        return f"has a '{sources[0]}' that is not a string"
    if "parameters" in value and not isinstance(value["parameters"], dict):
        return "has 'parameters' that are not an object"
    return None


def _enum_values(value: Any) -> str | None:
    if not isinstance(value, list) or not all(
        isinstance(entry, dict) and "value" in entry for entry in value
    ):
        return "must be an array of {value, displayName} objects"
    return None


def _pageable(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be an object"
    if not isinstance(value.get("nextLinkName"), str | None):
        return "needs a string 'nextLinkName'"
    return None


def _operation_capabilities(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be an object"
    if "chunkTransfer" in value and not isinstance(value["chunkTransfer"], bool):
        return "has a 'chunkTransfer' that is not true or false"
    return None


def api_annotation(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be an object"
    if "status" in value and value["status"] not in ("Production", "Preview"):
        return f"has a 'status' {value['status']!r} that is not Production or Preview"
    revision = value.get("revision")
    if "revision" in value and (
        not isinstance(revision, int) or isinstance(revision, bool) or revision < 1
    ):
        return "has a 'revision' that is not an integer of at least 1"
    return None


_DEPLOYMENT_VERSION = r"^\d+(\.\d+)+$"


def deployment_version(value: Any) -> str | None:
    if isinstance(value, str) and re.match(_DEPLOYMENT_VERSION, value):
        return None
    return "must be a dotted version such as '1.0.0'"


Validator = Callable[[Any], "str | None"]
_COMMON: Mapping[str, Validator] = MappingProxyType(
    {
        "x-ms-dynamic-values": _dynamic_values,
        "x-ms-dynamic-list": _needs_operation_id,
        "x-ms-dynamic-schema": _needs_operation_id,
        "x-ms-dynamic-properties": _needs_operation_id,
        "x-ms-dynamic-tree": _is_object,
        "x-ms-enum-values": _enum_values,
        "x-ms-notification-url": _is_bool,
        "x-ms-localizeDefaultValue": _is_bool,
    }
)
SHAPES: Mapping[str, Mapping[str, Validator]] = MappingProxyType(
    {
        "operation": {
            "x-ms-trigger-hint": _is_string,
            "x-ms-trigger-metadata": _is_object,
            "x-ms-notification": _needs_operation_id,
            "x-ms-capabilities": _operation_capabilities,
            "x-ms-pageable": _pageable,
            "x-ms-api-annotation": api_annotation,
            "x-ms-no-generic-test": _is_bool,
            "x-ms-safe-operation": _is_bool,
            "x-ms-operation-context": _is_object,
        },
        "parameter": _COMMON,
        "schema": _COMMON,
    }
)


def root_capabilities(value: Any) -> str | None:
    """The connector's capabilities: `testConnection` names the operation that tests a new
    connection, `file-picker.open` the one that lists the files to pick from."""
    if not isinstance(value, dict):
        return "must be an object"
    picker = value.get("file-picker")
    if "file-picker" in value and not isinstance(picker, dict):
        return "has a 'file-picker' that is not an object"
    calls = [("testConnection", value.get("testConnection"))] if "testConnection" in value else []
    if isinstance(picker, dict) and "open" in picker:
        calls.append(("file-picker.open", picker["open"]))
    for name, call in calls:
        problem = _needs_operation_id(call)
        if problem:
            return f"has a '{name}' that {problem}"
    return None
