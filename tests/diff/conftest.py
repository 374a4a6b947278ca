"""A small swagger that the diff tests change one thing in."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def base_swagger() -> dict[str, Any]:
    """Three operations, a body built from $refs, a recursive definition, a shared error
    schema, response headers (one response shared through #/responses) and an API key: enough
    to reach every kind of change."""
    return {
        "swagger": "2.0",
        "info": {"title": "Contoso SMS", "version": "1.0"},
        "host": "sms.contoso.example",
        "basePath": "/v1",
        "schemes": ["https"],
        "securityDefinitions": {"api_key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        "security": [{"api_key": []}],
        "paths": {
            "/jobs": {
                "post": {
                    "operationId": "SendSms",
                    "summary": "Send an SMS",
                    "description": "Sends a text message to one or more recipients.",
                    "parameters": [
                        {
                            "name": "body",
                            "in": "body",
                            "required": True,
                            "schema": {"$ref": "#/definitions/JobRequest"},
                        },
                        {"name": "X-Trace", "in": "header", "type": "string"},
                    ],
                    "responses": {
                        "201": {
                            "description": "The job was accepted.",
                            "schema": {"$ref": "#/definitions/JobResponse"},
                            "headers": {
                                "Location": {"type": "string", "description": "The job's URL."},
                                "X-Parts": {"type": "integer", "format": "int32"},
                            },
                        },
                        "400": {
                            "description": "The request is invalid.",
                            "schema": {"$ref": "#/definitions/Error"},
                        },
                        "default": {"description": "The request failed."},
                    },
                },
                "get": {
                    "operationId": "ListJobs",
                    "summary": "List jobs",
                    "parameters": [
                        {"name": "limit", "in": "query", "type": "integer", "format": "int32"},
                        {"name": "open", "in": "query", "type": "boolean"},
                    ],
                    "responses": {
                        "200": {
                            "description": "The job ids.",
                            "schema": {"type": "array", "items": {"type": "string"}},
                        },
                        "default": {"description": "The request failed."},
                    },
                },
            },
            "/jobs/{jobId}": {
                "get": {
                    "operationId": "GetJob",
                    "summary": "Get a job",
                    "parameters": [
                        {"name": "jobId", "in": "path", "required": True, "type": "string"},
                        {
                            "name": "dc",
                            "in": "query",
                            "type": "string",
                            "enum": ["de1", "de2"],
                            "default": "de2",
                        },
                    ],
                    "responses": {
                        "200": {"$ref": "#/responses/JobFound"},
                        "404": {
                            "description": "No such job.",
                            "schema": {"$ref": "#/definitions/Error"},
                        },
                    },
                }
            },
        },
        "responses": {
            "JobFound": {
                "description": "The job.",
                "schema": {"$ref": "#/definitions/JobReport"},
                "headers": {
                    "X-Rate-Limit": {"type": "integer"},
                    "X-Recipients": {"type": "array", "items": {"type": "string"}},
                },
            }
        },
        "definitions": {
            "JobRequest": {
                "type": "object",
                "required": ["messages"],
                "properties": {
                    "messages": {"type": "array", "items": {"$ref": "#/definitions/Message"}},
                    "options": {"$ref": "#/definitions/Options"},
                },
            },
            "Message": {
                "type": "object",
                "required": ["text", "recipients"],
                "properties": {
                    "text": {"type": "string", "description": "The message text."},
                    "recipients": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["dst"],
                            "properties": {
                                "dst": {"type": "string"},
                                "customerRef": {"type": "string"},
                            },
                        },
                    },
                },
            },
            "Options": {
                "type": "object",
                "properties": {
                    "encoding": {"type": "string", "enum": ["STANDARD", "UTF-16"]},
                    "validityMin": {"type": "integer", "format": "int32"},
                    "jobPeriod": {"type": "string", "format": "date-time"},
                },
            },
            "JobResponse": {"type": "object", "properties": {"jobId": {"type": "string"}}},
            "JobReport": {
                "type": "object",
                "properties": {
                    "jobId": {"type": "string"},
                    "created": {"type": "string", "format": "date-time"},
                    "recipients": {
                        "type": "array",
                        "items": {"$ref": "#/definitions/RecipientReport"},
                    },
                },
            },
            "RecipientReport": {
                "type": "object",
                "properties": {
                    "dst": {"type": "string"},
                    "status": {"type": "string"},
                    # a cycle back to the report, as real swaggers have
                    "job": {"$ref": "#/definitions/JobReport"},
                },
            },
            "Error": {
                "type": "object",
                "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
            },
        },
    }
