"""Deterministic JSON: key order, indent, ASCII escapes, newline, no BOM."""

from __future__ import annotations

import json

from retarus_connector.files.serialize import (
    SWAGGER_ROOT_ORDER,
    json_bytes,
    ordered_swagger,
    text_bytes,
)


def test_swagger_root_keys_follow_microsofts_order_then_extensions() -> None:
    scrambled = {
        "x-ms-connector-metadata": [],
        "paths": {},
        "securityDefinitions": {},
        "info": {},
        "x-ms-openai-manifest": {},
        "swagger": "2.0",
        "host": "h",
        "definitions": {},
    }
    assert list(ordered_swagger(scrambled)) == [
        "swagger",
        "info",
        "host",
        "paths",
        "definitions",
        "securityDefinitions",
        "x-ms-connector-metadata",
        "x-ms-openai-manifest",
    ]
    assert SWAGGER_ROOT_ORDER.index("security") < SWAGGER_ROOT_ORDER.index("tags")


def test_json_bytes_format() -> None:
    data = json_bytes({"b": {"c": [1, "ü€"]}, "a": True})
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"}\n")
    assert not data.endswith(b"\n\n")
    assert data.isascii()
    assert b"\\u00fc\\u20ac" in data
    lines = data.decode().splitlines()
    assert lines[1] == '    "b": {'
    assert all(line == line.rstrip() for line in lines)
    assert list(json.loads(data)) == ["b", "a"], "insertion order is kept, not sorted"


def test_text_bytes_normalises_line_ends_and_final_newline() -> None:
    assert text_bytes("a\r\nb\n\n\n") == b"a\nb\n"
    assert text_bytes("x") == b"x\n"
