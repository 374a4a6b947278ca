"""A flow model as the workflow JSON a solution carries (`Workflows/<name>-<GUID>.json`).

Every reference is resolved against the connector's API model: an operation, parameter or
field the connector does not have is a FlowError naming the flow, the action and the name,
so a renamed operation or field stops the build instead of shipping a broken flow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from retarus_connector.models import flow as model
from retarus_connector.models.dataverse import ConnectionReference
from retarus_connector.models.operation import Operation
from retarus_connector.models.package import Api
from retarus_connector.models.schema import ArrayOf, ObjectOf, Property, ValueType, Visibility
from retarus_connector.models.schema import Ref as SchemaRef

JSON = dict[str, Any]

DEFINITION_SCHEMA = (
    "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/"
    "workflowdefinition.json#"
)
AUTHENTICATION = "@parameters('$authentication')"


class FlowError(ValueError):
    """A flow names something the connector (or the flow itself) does not have."""


@dataclass(frozen=True)
class _Context:
    flow: model.Flow
    api: Api
    reference: ConnectionReference
    connector_actions: dict[str, model.ConnectorAction]
    variables: frozenset[str]
    inputs: frozenset[str]
    action_names: frozenset[str]

    def fail(self, where: str, message: str) -> FlowError:
        return FlowError(f"flow {self.flow.display_name!r}, {where}: {message}")

    def operation(self, operation_id: str, where: str) -> Operation:
        try:
            return self.api.operation(operation_id)
        except KeyError:
            raise self.fail(where, f"the connector has no operation {operation_id!r}") from None


def flow_document(flow: model.Flow, api: Api, reference: ConnectionReference) -> JSON:
    """The workflow JSON of `flow`, calling the connector through `reference`."""
    all_actions = model.walk(flow.actions)
    context = _Context(
        flow,
        api,
        reference,
        {a.name: a for a in all_actions if isinstance(a, model.ConnectorAction)},
        frozenset(a.variable for a in all_actions if isinstance(a, model.InitializeVariable)),
        frozenset(item.key for item in flow.trigger.inputs),
        frozenset(a.name for a in all_actions),
    )
    connector = reference.connector
    return {
        "properties": {
            "connectionReferences": {
                connector.api_name: {
                    "runtimeSource": "embedded",
                    "connection": {"connectionReferenceLogicalName": reference.logical_name},
                    "api": {"name": connector.api_name, "logicalName": connector.name},
                }
            },
            "definition": {
                "$schema": DEFINITION_SCHEMA,
                "contentVersion": "1.0.0.0",
                "parameters": {
                    "$connections": {"defaultValue": {}, "type": "Object"},
                    "$authentication": {"defaultValue": {}, "type": "SecureObject"},
                },
                "triggers": {flow.trigger.name: _trigger(flow)},
                "actions": _actions(context, flow.actions),
            },
            "templateName": "",
        },
        "schemaVersion": "1.0.0.0",
    }


def _trigger(flow: model.Flow) -> JSON:
    properties = {
        item.key: {
            "title": item.title,
            "type": "string",
            "x-ms-dynamically-added": True,
            "description": item.description,
            "x-ms-content-hint": "TEXT",
        }
        for item in flow.trigger.inputs
    }
    schema = {"type": "object", "properties": properties, "required": list(properties)}
    return {"type": "Request", "kind": "Button", "inputs": {"schema": schema}}


def _actions(context: _Context, actions: tuple[model.Action, ...]) -> JSON:
    siblings = {action.name for action in actions}
    return {action.name: _action(context, action, siblings) for action in actions}


def _action(context: _Context, action: model.Action, siblings: set[str]) -> JSON:
    where = f"action {action.name!r}"
    run_after = _run_after(context, action.run_after, siblings, where)
    if isinstance(action, model.ConnectorAction):
        return {
            "runAfter": run_after,
            "type": "OpenApiConnection",
            "inputs": _call(context, action),
        }
    if isinstance(action, model.Until):
        return {
            "actions": _actions(context, action.actions),
            "runAfter": run_after,
            "expression": _value(context, action.expression, where),
            "limit": {"count": action.count, "timeout": action.timeout},
            "type": "Until",
        }
    if isinstance(action, model.Condition):
        return {
            "actions": _actions(context, action.actions),
            "runAfter": run_after,
            "else": {"actions": _actions(context, action.else_actions)},
            "expression": _value(context, action.expression, where),
            "type": "If",
        }
    return {"runAfter": run_after, **_builtin(context, action, where)}


def _builtin(context: _Context, action: model.Action, where: str) -> JSON:
    if isinstance(action, model.InitializeVariable):
        variable = {"name": action.variable, "type": action.type}
        variable["value"] = _value(context, action.value, where)
        return {"type": "InitializeVariable", "inputs": {"variables": [variable]}}
    if isinstance(action, model.SetVariable):
        if action.variable not in context.variables:
            raise context.fail(where, f"variable {action.variable!r} is never initialized")
        value = _value(context, action.value, where)
        return {"type": "SetVariable", "inputs": {"name": action.variable, "value": value}}
    if isinstance(action, model.Wait):
        return {
            "type": "Wait",
            "inputs": {"interval": {"count": action.count, "unit": action.unit}},
        }
    if isinstance(action, model.FilterArray):
        query = {
            "from": _value(context, action.source, where),
            "where": _value(context, action.where, where),
        }
        return {"type": "Query", "inputs": query}
    if isinstance(action, model.Compose):
        return {"type": "Compose", "inputs": _value(context, action.inputs, where)}
    if isinstance(action, model.Terminate):
        inputs: JSON = {"runStatus": action.status}
        if action.status == "Failed":
            message = _value(context, action.message, where)
            inputs["runError"] = {"code": action.code, "message": message}
        return {"type": "Terminate", "inputs": inputs}
    raise context.fail(where, f"{type(action).__name__} cannot be written")


def _run_after(
    context: _Context, run_after: model.RunAfter, siblings: set[str], where: str
) -> JSON:
    for name, _ in run_after:
        if name not in siblings:
            raise context.fail(where, f"runs after {name!r}, which is not beside it")
    return {name: list(statuses) for name, statuses in run_after}


def _call(context: _Context, action: model.ConnectorAction) -> JSON:
    where = f"action {action.name!r}"
    operation = context.operation(action.operation_id, where)
    given = [key for key, _ in action.parameters]
    for key, value in action.parameters:
        _check_parameter(context, operation, key, value, where)
    _check_required(context, operation, given, where)
    connector = context.reference.connector
    return {
        "host": {
            "connectionName": connector.api_name,
            "operationId": operation.operation_id,
            "apiId": connector.api_id,
        },
        "parameters": {key: _value(context, value, where) for key, value in action.parameters},
        "authentication": AUTHENTICATION,
    }


def _check_parameter(
    context: _Context, operation: Operation, key: str, value: model.Value, where: str
) -> None:
    first, *rest = key.split("/")
    try:
        schema: ValueType = operation.parameter(first).value
    except KeyError:
        raise context.fail(where, f"{operation.operation_id} has no parameter {first!r}") from None
    for segment in rest:
        schema = _field(context, schema, segment, where, key).value
    _check_value(context, schema, value, where, key)


def _check_required(context: _Context, operation: Operation, given: list[str], where: str) -> None:
    for parameter in operation.parameters:
        name = parameter.name
        if not parameter.required or parameter.visibility is Visibility.INTERNAL:
            continue
        if name in given:
            continue
        nested = [key.split("/")[1] for key in given if key.startswith(f"{name}/")]
        if not nested:
            raise context.fail(where, f"{operation.operation_id} needs the parameter {name!r}")
        for prop in _properties(context, parameter.value, where, name):
            if prop.required and prop.name not in nested:
                raise context.fail(where, f"{operation.operation_id} needs {name}/{prop.name}")


def _check_value(
    context: _Context, schema: ValueType, value: model.Value, where: str, path: str
) -> None:
    """Literal lists and objects given for array and object parameters name real fields."""
    resolved = _resolve(context, schema)
    if isinstance(value, list) and isinstance(resolved, ArrayOf):
        for item in value:
            _check_value(context, resolved.items, item, where, path)
    elif isinstance(value, dict) and not isinstance(resolved, ArrayOf):
        properties = _properties(context, schema, where, path)
        for key, item in value.items():
            _check_value(
                context,
                _field(context, schema, key, where, path).value,
                item,
                where,
                f"{path}/{key}",
            )
        for prop in properties:
            if prop.required and prop.name not in value:
                raise context.fail(where, f"{path} needs the field {prop.name!r}")


def _resolve(context: _Context, schema: ValueType) -> ValueType | tuple[Property, ...]:
    if isinstance(schema, SchemaRef):
        try:
            return context.api.definition(schema.definition).properties
        except KeyError:
            return ()
    return schema


def _properties(
    context: _Context, schema: ValueType, where: str, path: str
) -> tuple[Property, ...]:
    resolved = _resolve(context, schema)
    if isinstance(resolved, ObjectOf):
        return resolved.properties
    if isinstance(resolved, tuple):
        return resolved
    raise context.fail(where, f"{path} is not an object, so it has no fields")


def _field(context: _Context, schema: ValueType, name: str, where: str, path: str) -> Property:
    for prop in _properties(context, schema, where, path):
        if prop.name == name:
            return prop
    raise context.fail(where, f"{path} has no field {name!r}")


def _value(context: _Context, value: model.Value, where: str) -> Any:
    if isinstance(value, model.Expr):
        rendered = [_render(context, reference, where) for reference in value.refs]
        return "@" + value.template.removeprefix("@").format(*rendered)
    if isinstance(value, model.DocumentedStatus):
        operation = context.operation(value.operation_id, where)
        try:
            operation.response(value.status)
        except KeyError:
            raise context.fail(
                where, f"{operation.operation_id} documents no status {value.status}"
            ) from None
        return value.status
    if isinstance(value, list):
        return [_value(context, item, where) for item in value]
    if isinstance(value, dict):
        return {key: _value(context, item, where) for key, item in value.items()}
    return value


def _render(context: _Context, reference: model.Ref, where: str) -> str:
    if isinstance(reference, model.TriggerInputRef):
        if reference.key not in context.inputs:
            raise context.fail(where, f"the trigger has no input {reference.key!r}")
        return f"triggerBody()['{reference.key}']"
    if isinstance(reference, model.VariableRef):
        if reference.name not in context.variables:
            raise context.fail(where, f"variable {reference.name!r} is never initialized")
        return f"variables('{reference.name}')"
    if isinstance(reference, model.ItemRef):
        operation = context.operation(reference.operation_id, where)
        body = operation.success.body
        if not isinstance(body, ArrayOf):
            raise context.fail(where, f"{operation.operation_id} does not return an array")
        _walk_output(context, body.items, reference.path, where, operation.operation_id)
        return "item()" + _accessors(reference.path)
    action = context.connector_actions.get(reference.action)
    if action is None:
        # The body of a built-in action (a filtered array, say) has no model to check a
        # path against, so only the whole body may be used.
        known = reference.action in context.action_names
        if isinstance(reference, model.BodyRef) and not reference.path and known:
            return f"body('{reference.action}')"
        raise context.fail(where, f"there is no connector action {reference.action!r}")
    if isinstance(reference, model.StatusCodeRef):
        return f"outputs('{reference.action}')?['statusCode']"
    operation = context.operation(action.operation_id, where)
    body = operation.success.body
    if reference.path:
        if body is None:
            raise context.fail(where, f"{operation.operation_id} returns no body")
        _walk_output(context, body, reference.path, where, operation.operation_id)
    return f"body('{reference.action}')" + _accessors(reference.path)


def _walk_output(
    context: _Context, schema: ValueType, path: Iterable[str], where: str, operation_id: str
) -> None:
    walked = operation_id
    for segment in path:
        schema = _field(context, schema, segment, where, f"the output of {walked}").value
        walked = f"{walked}/{segment}"


def _accessors(path: tuple[str, ...]) -> str:
    return "".join(f"?['{segment}']" for segment in path)
