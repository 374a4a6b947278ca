"""Tiny connector packages for the runtime tests: swagger and apiProperties built inline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from retarus_connector.runtime import Connector

HOST = "api.example.test"
BASE = f"https://{HOST}/v1"

PackageFactory = Callable[..., Connector]


def swagger_document(
    paths: dict[str, Any],
    *,
    definitions: dict[str, Any] | None = None,
    security: dict[str, Any] | None = None,
    **root: Any,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "Example", "version": "1.0"},
        "host": HOST,
        "basePath": "/v1",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": definitions or {},
    }
    if security is not None:
        document["securityDefinitions"] = security
    document.update(root)
    return document


def operation(
    operation_id: str,
    parameters: list[dict[str, Any]] | None = None,
    responses: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "summary": operation_id,
        "parameters": parameters or [],
        "responses": responses or {"200": {"description": "OK"}},
        **extra,
    }


def properties_document(
    connection: dict[str, str] | None = None, policies: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "properties": {
            "connectionParameters": {
                name: {"type": kind, "uiDefinition": {"displayName": name}}
                for name, kind in (connection or {}).items()
            },
            "iconBrandColor": "#123456",
            "capabilities": [],
            "policyTemplateInstances": policies or [],
        }
    }


def policy(template_id: str, operations: list[str] | None = None, **values: Any) -> dict[str, Any]:
    # Template parameters take the x-ms-apimTemplateParameter. prefix; x-ms-* keys such as
    # x-ms-apimTemplate-policySection are written as given.
    parameters: dict[str, Any] = {
        name if name.startswith("x-ms-") else f"x-ms-apimTemplateParameter.{name}": value
        for name, value in values.items()
    }
    if operations is not None:
        parameters["x-ms-apimTemplate-operationName"] = operations
    return {"templateId": template_id, "title": f"{template_id} test", "parameters": parameters}


def write_package(
    folder: Path, swagger: dict[str, Any], properties: dict[str, Any] | None = None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(swagger), encoding="utf-8")
    if properties is not None:
        (folder / "apiProperties.json").write_text(json.dumps(properties), encoding="utf-8")
    return folder
