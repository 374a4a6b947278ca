"""Deterministic JSON: fixed key order, 4-space indent, ASCII only, one trailing newline."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from retarus_connector.core.names import SWAGGER_ROOT_KEYS

# Keys not listed (the x-ms-* extensions) follow in the order the emitter gave them.
SWAGGER_ROOT_ORDER = SWAGGER_ROOT_KEYS


def ordered_swagger(document: Mapping[str, Any]) -> dict[str, Any]:
    known = [key for key in SWAGGER_ROOT_ORDER if key in document]
    rest = [key for key in document if key not in SWAGGER_ROOT_ORDER]
    return {key: document[key] for key in (*known, *rest)}


def json_bytes(document: Any) -> bytes:
    """UTF-8 without a byte order mark; every non-ASCII character is escaped as \\uXXXX,
    because paconn create/update read files in the platform's default encoding."""
    return (json.dumps(document, indent=4, ensure_ascii=True) + "\n").encode("utf-8")


def text_bytes(text: str) -> bytes:
    """Markdown as UTF-8 with LF line ends and exactly one trailing newline."""
    return (text.replace("\r\n", "\n").rstrip("\n") + "\n").encode("utf-8")
