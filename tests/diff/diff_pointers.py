"""Test helper shared by the diff tests: whether a change's pointer names a node."""

from __future__ import annotations

from typing import Any


def resolves(document: Any, pointer: str) -> bool:
    """True when the RFC 6901 `pointer` leads to a node of `document`."""
    node = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True
