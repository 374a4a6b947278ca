"""The operations of a connector's swagger as a flow calls them: by operationId, with the
inputs a flow's `parameters` object may give (`name` for path, query, header and form inputs;
`<body name>/<property>/...` for a body's properties, or the body's name for the whole)."""

from typing import Any, NamedTuple

from retarus_connector.core.names import HTTP_METHODS
from retarus_connector.core.refs import follow


def resolve(swagger: dict[str, Any], node: Any) -> Any:
    """`node` with its `$ref`s followed (None when one does not resolve)."""
    found = follow(swagger, node)
    return found.node if found.resolved else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class Input(NamedTuple):
    name: str
    location: str
    required: bool
    has_default: bool
    schema: Any


def operations(swagger: Any) -> dict[str, list[Input]]:
    """operationId -> the operation's inputs (path-level ones included)."""
    found: dict[str, list[Input]] = {}
    paths = swagger.get("paths") if isinstance(swagger, dict) else None
    if not isinstance(paths, dict):
        return found
    for item in paths.values():
        if not isinstance(item, dict):
            continue
        shared = _list(item.get("parameters"))
        for method, operation in item.items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            identifier = operation.get("operationId")
            if not isinstance(identifier, str):
                continue
            own = _list(operation.get("parameters"))
            inputs: dict[tuple[str, str], Input] = {}
            for raw in [*shared, *own]:
                parameter = resolve(swagger, raw)
                if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
                    continue
                location = str(parameter.get("in", ""))
                inputs[(parameter["name"], location)] = Input(
                    parameter["name"],
                    location,
                    parameter.get("required") is True,
                    "default" in parameter,
                    resolve(swagger, parameter.get("schema")) if location == "body" else None,
                )
            found[identifier] = list(inputs.values())
    return found


def properties_of(swagger: dict[str, Any], schema: Any) -> tuple[dict[str, Any], list[str]] | None:
    """The properties and required names of an object schema (its `allOf` parts merged); None
    when the schema does not fix its properties (no `properties`, or any extra allowed)."""
    schema = resolve(swagger, schema)
    if not isinstance(schema, dict):
        return None
    properties: dict[str, Any] = {}
    required: list[str] = []
    parts = [schema, *_list(schema.get("allOf"))]
    for part in parts:
        part = resolve(swagger, part)
        if not isinstance(part, dict):
            return None
        if isinstance(part.get("properties"), dict):
            properties.update(part["properties"])
        if isinstance(part.get("required"), list):
            required += [name for name in part["required"] if isinstance(name, str)]
        extra = part.get("additionalProperties")
        if extra not in (None, False):
            return None
    if not properties:
        return None
    return properties, required
