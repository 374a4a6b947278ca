"""The Swagger 2.0 document (apiDefinition.swagger.json) from the API model.

Dictionaries are built in the order the keys appear in the file; the files layer fixes the
root order again, so a reordering here cannot break determinism.
"""

from __future__ import annotations

from typing import Any

from retarus_connector.models.operation import Location, Operation, Parameter, Response
from retarus_connector.models.package import Api
from retarus_connector.models.schema import (
    ArrayOf,
    Definition,
    ObjectOf,
    Property,
    Ref,
    Scalar,
    ValueType,
)

JSON = dict[str, Any]


def swagger_document(api: Api) -> JSON:
    return {
        "swagger": "2.0",
        "info": _info(api),
        "host": api.host,
        "basePath": api.base_path,
        "schemes": list(api.schemes),
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": _paths(api),
        "definitions": {definition.name: _definition(definition) for definition in api.definitions},
        "securityDefinitions": {api.security_name: {"type": "basic"}},
        "security": [{api.security_name: []}],
        "x-ms-connector-metadata": [
            {"propertyName": "Website", "propertyValue": api.metadata.website},
            {"propertyName": "Privacy policy", "propertyValue": api.metadata.privacy_policy},
            {"propertyName": "Categories", "propertyValue": ";".join(api.metadata.categories)},
        ],
        "x-ms-openai-manifest": {
            "humanName": api.agent_manifest.human_name,
            "modelDescription": api.agent_manifest.model_description,
            "contactEmail": api.agent_manifest.contact_email,
            "legalUrl": api.agent_manifest.legal_url,
        },
    }


def _info(api: Api) -> JSON:
    return {
        "title": api.title,
        "description": api.description,
        "version": api.version,
        "contact": {"name": api.contact.name, "url": api.contact.url, "email": api.contact.email},
        "x-ms-api-annotation": {"status": api.status},
    }


def _paths(api: Api) -> JSON:
    paths: JSON = {}
    for operation in api.operations:
        paths.setdefault(operation.path, {})[operation.method.value] = _operation(operation)
    return paths


def _operation(operation: Operation) -> JSON:
    document: JSON = {
        "summary": operation.summary,
        "description": operation.description,
        "operationId": operation.operation_id,
    }
    if operation.parameters:
        document["parameters"] = [_parameter(parameter) for parameter in operation.parameters]
    document["responses"] = {response.key: _response(response) for response in operation.responses}
    document["x-ms-openai-data"] = {
        "openai-enabled": True,
        "operations": [
            {
                "operationId": operation.operation_id,
                "x-ms-require-user-confirmation": operation.requires_confirmation,
            }
        ],
    }
    return document


def _parameter(parameter: Parameter) -> JSON:
    document: JSON = {
        "name": parameter.name,
        "in": parameter.location.value,
        "required": parameter.required,
    }
    if parameter.location is Location.BODY:
        document["schema"] = _value(parameter.value)
    else:
        document.update(_value(parameter.value))
    document["x-ms-summary"] = parameter.summary
    document["description"] = parameter.description
    document["x-ms-visibility"] = parameter.visibility.value
    if isinstance(parameter.value, Scalar):
        document.update(_enum_values(parameter.value))
    return document


def _response(response: Response) -> JSON:
    document: JSON = {"description": response.description}
    if response.body is not None:
        document["schema"] = _value(response.body)
    return document


def _definition(definition: Definition) -> JSON:
    return _object(definition.properties, definition.required, definition.description)


def _object(
    properties: tuple[Property, ...], required: tuple[str, ...], description: str | None
) -> JSON:
    document: JSON = {"type": "object"}
    if description is not None:
        document["description"] = description
    document["properties"] = {prop.name: _property(prop) for prop in properties}
    if required:
        document["required"] = list(required)
    return document


def _property(prop: Property) -> JSON:
    document = _value(prop.value)
    if prop.nullable:
        document["x-nullable"] = True
    document["x-ms-summary"] = prop.summary
    document["description"] = prop.description
    if prop.visibility is not None:
        document["x-ms-visibility"] = prop.visibility.value
    if isinstance(prop.value, Scalar):
        document.update(_enum_values(prop.value))
    return document


def _value(value: ValueType) -> JSON:
    if isinstance(value, Ref):
        return {"$ref": f"#/definitions/{value.definition}"}
    if isinstance(value, ArrayOf):
        document: JSON = {"type": "array", "items": _value(value.items)}
        if value.min_items is not None:
            document["minItems"] = value.min_items
        if value.max_items is not None:
            document["maxItems"] = value.max_items
        return document
    if isinstance(value, ObjectOf):
        return _object(value.properties, value.required, None)
    return _scalar(value)


def _scalar(scalar: Scalar) -> JSON:
    document: JSON = {"type": scalar.type}
    optional: list[tuple[str, object]] = [
        ("format", scalar.format),
        ("default", scalar.default),
        ("minimum", scalar.minimum),
        ("maximum", scalar.maximum),
        ("minLength", scalar.min_length),
        ("maxLength", scalar.max_length),
        ("pattern", scalar.pattern),
    ]
    for key, value in optional:
        if value is not None:
            document[key] = value
    if scalar.enum:
        document["enum"] = [item.value for item in scalar.enum]
    return document


def _enum_values(scalar: Scalar) -> JSON:
    """The picker labels of a string enum; a fixed boolean needs none."""
    if scalar.type != "string" or not scalar.enum:
        return {}
    return {
        "x-ms-enum-values": [
            {"value": item.value, "displayName": item.display_name} for item in scalar.enum
        ]
    }
