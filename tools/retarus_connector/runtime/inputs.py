"""Input values for an operation: read from text, completed with defaults, checked against
the swagger before anything is sent.

Completion follows what the flow designer hands the gateway: a parameter left out takes its
`default`; an `x-ms-visibility: internal` parameter is hidden from users and always carries its
default, and so do internal properties inside a body object.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from retarus_connector.core.pointer import escape

from .errors import InputError, InputProblem
from .package import ConnectorPackage, OperationSpec, Parameter

_TRUE = frozenset({"true"})
_FALSE = frozenset({"false"})


def _secret(parameter: Parameter) -> bool:
    return parameter.schema.get("format") == "password"


def _show(parameter: Parameter, text: str) -> str:
    return "the given value" if _secret(parameter) else repr(text)


def parse_text_value(parameter: Parameter, texts: Sequence[str]) -> Any:
    """The typed value of a parameter given as text (`-p NAME=VALUE`, once or repeatedly).

    Arrays take one item per occurrence or a JSON array; bodies take JSON; file parameters take
    a path whose bytes are sent.
    """
    if not texts:
        raise InputError((InputProblem(parameter.name, "", "no value given"),))
    kind = parameter.schema.get("type")
    if kind == "array" and parameter.location != "body":
        if len(texts) == 1 and texts[0].lstrip().startswith("["):
            return _json(parameter, texts[0])
        items = parameter.schema.get("items", {})
        item_kind = items.get("type") if isinstance(items, Mapping) else None
        return [_scalar(parameter, text, item_kind) for text in texts]
    if len(texts) > 1:
        problem = InputProblem(
            parameter.name, "", f"given {len(texts)} times, but it takes a single value"
        )
        raise InputError((problem,))
    text = texts[0]
    if parameter.location == "body":
        return _json(parameter, text)
    if parameter.is_file:
        try:
            return Path(text).read_bytes()
        except OSError as error:
            message = f"cannot read file '{text}' ({error.strerror})"
            raise InputError((InputProblem(parameter.name, "", message),)) from None
    return _scalar(parameter, text, kind)


def _json(parameter: Parameter, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise InputError((InputProblem(parameter.name, "", message),)) from None


def _scalar(parameter: Parameter, text: str, kind: Any) -> Any:
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            number = float(text)
            return int(text) if text.strip().lstrip("+-").isdigit() else number
    except ValueError:
        message = f"expects {'an integer' if kind == 'integer' else 'a number'}, got {_show(parameter, text)}"
        raise InputError((InputProblem(parameter.name, "", message),)) from None
    if kind == "boolean":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        message = f"expects true or false, got {_show(parameter, text)}"
        raise InputError((InputProblem(parameter.name, "", message),))
    return text


def resolve_inputs(
    package: ConnectorPackage, operation: OperationSpec, inputs: Mapping[str, Any]
) -> dict[str, Any]:
    """Every value the request will carry, defaults and internal values included.

    Raises InputError listing every problem at once, so that one run shows them all.
    """
    values: dict[str, Any] = {}
    problems = list(_completion_problems(operation, inputs, values))
    for parameter in operation.parameters:
        if parameter.name in values:
            if parameter.location == "body":
                values[parameter.name], found = _with_internal_values(
                    package, parameter, values[parameter.name]
                )
                problems += found
            problems += _value_problems(package, parameter, values[parameter.name])
    if problems:
        raise InputError(tuple(problems))
    return values


def _completion_problems(
    operation: OperationSpec, inputs: Mapping[str, Any], values: dict[str, Any]
) -> Iterator[InputProblem]:
    known = [parameter.name for parameter in operation.parameters]
    for name in inputs:
        if name not in known:
            listing = ", ".join(known) if known else "none"
            yield InputProblem(
                name,
                "",
                f"is not a parameter of operation '{operation.operation_id}' (its parameters: {listing})",
            )
    for parameter in operation.parameters:
        given = inputs.get(parameter.name)
        if parameter.internal and parameter.has_default:
            values[parameter.name] = parameter.default
            if given is not None and given != parameter.default:
                yield InputProblem(
                    parameter.name,
                    "",
                    f"is internal (x-ms-visibility) and always {json.dumps(parameter.default)}; leave it out",
                )
        elif given is not None or (parameter.location == "body" and parameter.name in inputs):
            values[parameter.name] = given
        elif parameter.has_default:
            values[parameter.name] = parameter.default
        elif parameter.required:
            where = (
                "a request body"
                if parameter.location == "body"
                else f"a {parameter.location} parameter"
            )
            yield InputProblem(parameter.name, "", f"is required ({where}) but was not given")


def _value_problems(
    package: ConnectorPackage, parameter: Parameter, value: Any
) -> Iterator[InputProblem]:
    if parameter.is_file:
        if not isinstance(value, bytes | str):
            yield InputProblem(parameter.name, "", "a file parameter takes bytes or text")
        return
    where = f"{parameter.pointer}/schema" if parameter.location == "body" else parameter.pointer
    for pointer, message in package.violations(
        parameter.schema, where, value, hide_values=_secret(parameter)
    ):
        yield InputProblem(parameter.name, pointer, message)


def _with_internal_values(
    package: ConnectorPackage, parameter: Parameter, body: Any
) -> tuple[Any, list[InputProblem]]:
    """The body with every internal property that has a default set to it."""
    problems: list[InputProblem] = []
    completed = _complete(package, parameter, parameter.schema, body, "", problems, depth=0)
    return completed, problems


def _complete(
    package: ConnectorPackage,
    parameter: Parameter,
    schema: Any,
    value: Any,
    pointer: str,
    problems: list[InputProblem],
    depth: int,
) -> Any:
    # Recursive schemas (a tree of nodes) end where the value ends; the depth cap only guards
    # against a schema that refers to itself without ever consuming any of the value.
    if depth > 64:
        return value
    schema, _ = package.resolve(schema)
    if not isinstance(schema, Mapping):
        return value
    for part in schema.get("allOf", []):
        value = _complete(package, parameter, part, value, pointer, problems, depth + 1)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if isinstance(properties, Mapping):
            value = dict(value)
            for name, sub in properties.items():
                resolved, _ = package.resolve(sub)
                where = f"{pointer}/{escape(name)}"
                if (
                    isinstance(resolved, Mapping)
                    and resolved.get("x-ms-visibility") == "internal"
                    and "default" in resolved
                ):
                    if name in value and value[name] != resolved["default"]:
                        problems.append(
                            InputProblem(
                                parameter.name,
                                where,
                                f"is internal (x-ms-visibility) and always {json.dumps(resolved['default'])}; leave it out",
                            )
                        )
                    value[name] = resolved["default"]
                elif name in value:
                    value[name] = _complete(
                        package, parameter, sub, value[name], where, problems, depth + 1
                    )
    elif isinstance(value, list) and "items" in schema:
        value = [
            _complete(
                package, parameter, schema["items"], item, f"{pointer}/{index}", problems, depth + 1
            )
            for index, item in enumerate(value)
        ]
    return value
