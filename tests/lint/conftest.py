"""Fixtures for lint tests; the package helpers live in lint_packages.py."""

from __future__ import annotations

import os
from typing import Any

import pytest


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process id of each process forked from here on (worker processes are forked)."""
    forked: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    return forked


@pytest.fixture
def minimal_swagger() -> dict[str, Any]:
    """A small swagger that satisfies the certification rules; tests change one thing in it."""
    return {
        "swagger": "2.0",
        "info": {
            "title": "Contoso Messages",
            "description": "Send and track text messages through the Contoso messaging service.",
            "version": "1.0.0",
            "contact": {
                "name": "Contoso",
                "url": "https://contoso.example",
                "email": "a@contoso.example",
            },
        },
        "host": "api.contoso.example",
        "basePath": "/v1",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": {
            "/messages/{id}": {
                "get": {
                    "operationId": "GetMessage",
                    "summary": "Get a message",
                    "description": "Returns one message by its identifier.",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "type": "string",
                            "x-ms-summary": "Message ID",
                            "description": "The identifier of the message.",
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The message.",
                            "schema": {"$ref": "#/definitions/Message"},
                        },
                        "default": {"description": "Operation failed."},
                    },
                }
            }
        },
        "definitions": {
            "Message": {
                "type": "object",
                "properties": {
                    "id": {
                        "type": "string",
                        "x-ms-summary": "Message ID",
                        "description": "The identifier of the message.",
                    }
                },
            }
        },
        "securityDefinitions": {"basic_auth": {"type": "basic"}},
        "security": [{"basic_auth": []}],
        "x-ms-connector-metadata": [
            {"propertyName": "Website", "propertyValue": "https://contoso.example"},
            {"propertyName": "Privacy policy", "propertyValue": "https://contoso.example/privacy"},
            {"propertyName": "Categories", "propertyValue": "Communication"},
        ],
    }
