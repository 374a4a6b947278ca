"""Line and column of a JSON pointer in the text it was parsed from, found only when needed.

Parsing does not keep positions (the C parser cannot), so a clean file costs nothing here. When a
finding names a pointer, a `Locator` walks down the text one container at a time: it reads the
keys of an object (or counts the items of an array) and skips every value with the C scanner.
The offsets of a container's children are remembered, so many findings in one file scan each
container at most once.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # C scanner, untyped
from json.scanner import make_scanner

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# a plain decoder: skipping a value must not run the loader's duplicate-key hook again
_scan_value = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def split_pointer(pointer: str) -> list[str] | None:
    """The reference tokens of an RFC 6901 pointer, or None when it is not one."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        return None
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


class Locator:
    """Finds where pointers are in one JSON text (that parsed without error)."""

    def __init__(self, text: str, *, unique_keys: bool = False) -> None:
        """`unique_keys`: the text has no repeated key in any object, so the scan of an object
        may stop at the member it looks for; otherwise it reads on, because the parsed data
        keeps the last of repeated keys and so must the locator."""
        self._text = text
        self._unique_keys = unique_keys
        self._line_starts: list[int] | None = None
        # token path -> (offset of the member's key or the item, offset of its value)
        self._places: dict[tuple[str, ...], tuple[int, int]] = {}
        # container path -> where its scan stopped and the index of the next item (arrays);
        # a container that was read to its end is absent
        self._resume: dict[tuple[str, ...], tuple[int, int]] = {}
        self._finished: set[tuple[str, ...]] = set()

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """(line, column), 1-based, of the deepest existing node on the pointer's path: the key of
        an object member, the value of an array item. None when the text cannot be read."""
        tokens = split_pointer(pointer)
        if tokens is None:
            return None
        try:
            offset = self._offset(tuple(tokens))
        except (ValueError, IndexError, StopIteration, RecursionError):
            return None
        return self._line_column(offset)

    def _offset(self, tokens: tuple[str, ...]) -> int:
        root: tuple[str, ...] = ()
        if root not in self._places:
            start = _WHITESPACE.match(self._text, 0)
            value_at = start.end() if start else 0
            self._places[root] = (value_at, value_at)
        best = self._places[root][0]
        for depth in range(1, len(tokens) + 1):
            path = tokens[:depth]
            if path not in self._places and not self._scan_for(tokens[: depth - 1], path):
                break
            best = self._places[path][0]
        return best

    def _scan_for(self, parent: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
        """Read the members or items of `parent` until `wanted` is found (or to the end)."""
        if parent in self._finished:
            return wanted in self._places
        text = self._text
        if parent in self._resume:
            position, index = self._resume.pop(parent)
            opening = text[self._places[parent][1]]
        else:
            position = self._places[parent][1]
            opening = text[position] if position < len(text) else ""
            if opening not in ("{", "["):
                self._finished.add(parent)
                return False
            position, index = self._skip_space(position + 1), 0
            if text[position] in "}]":
                self._finished.add(parent)
                return False
        while True:
            if opening == "{":
                if text[position] != '"':
                    raise ValueError("expected a key")
                key_at = position
                key, position = scanstring(text, position + 1)
                position = self._skip_space(position)
                if text[position] != ":":
                    raise ValueError("expected a colon")
                value_at = self._skip_space(position + 1)
                path = (*parent, key)
                # a repeated key overwrites: the parsed data keeps the last one too
                self._places[path] = (key_at, value_at)
            else:
                key_at = value_at = position
                path = (*parent, str(index))
                self._places[path] = (key_at, value_at)
                index += 1
            position = self._skip_space(_scan_value(text, value_at)[1])
            if text[position] in "}]":
                self._finished.add(parent)
                return wanted in self._places
            position = self._skip_space(position + 1)
            if path == wanted and (self._unique_keys or opening == "["):
                self._resume[parent] = (position, index)
                return True

    def _skip_space(self, position: int) -> int:
        match = _WHITESPACE.match(self._text, position)
        return match.end() if match else position

    def _line_column(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1
