"""Line and column of JSON pointers in the text they were parsed from, found only when needed.

Parsing does not keep positions (the C parser cannot), so a clean file costs nothing here. When
findings name pointers, `Locator.locate_all` reads the text once for all of them: it follows the
members and items that lie on the way to a wanted pointer, and skips every other value with the
C scanner, so each part of the text is read once, whatever the number of findings.
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import re
from collections.abc import Iterable
from json.decoder import scanstring  # type: ignore[attr-defined]  # C scanner, untyped
from json.scanner import make_scanner
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# a plain decoder: skipping a value must not run the loader's duplicate-key hook again
_scan_value = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]

Place = tuple[int, int]  # line, column (1-based)
_Trie = dict[str, Any]  # token -> the trie of the tokens below it


def split_pointer(pointer: str) -> list[str] | None:
    """The reference tokens of an RFC 6901 pointer, or None when it is not one."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        return None
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


class Locator:
    """Finds where pointers are in one JSON text (that parsed without error)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts: list[int] | None = None

    def locate(self, pointer: str) -> Place | None:
        return self.locate_all([pointer])[pointer]

    def locate_all(self, pointers: Iterable[str]) -> dict[str, Place | None]:
        """For each pointer, the (line, column) of the deepest node on its path that exists:
        the key of an object member, the value of an array item; None when the pointer is not
        one. Of a key written twice in an object, the last counts, as in the parsed data."""
        results: dict[str, Place | None] = {}
        wanted: dict[str, tuple[str, ...]] = {}
        trie: _Trie = {}
        for pointer in pointers:
            tokens = split_pointer(pointer)
            if tokens is None:
                results[pointer] = None
                continue
            wanted[pointer] = tuple(tokens)
            node = trie
            for token in tokens:
                node = node.setdefault(token, {})
        found = self._walk(trie)
        for pointer, path in wanted.items():
            for depth in range(len(path), -1, -1):
                offset = found.get(path[:depth])
                if offset is not None:
                    results[pointer] = self._line_column(offset)
                    break
            else:
                results[pointer] = None
        return results

    def _walk(self, trie: _Trie) -> dict[tuple[str, ...], int]:
        """The offsets of the nodes named by the trie's paths, read in one pass over the text.

        The walk keeps its own stack of open containers (deep nesting cannot exhaust Python's)
        and stops quietly at text that is not JSON, keeping what it found until then."""
        text = self._text
        skip = _WHITESPACE.match  # matches everywhere (possibly nothing): never None
        found: dict[tuple[str, ...], int] = {}
        start = skip(text, 0).end()  # type: ignore[union-attr]
        found[()] = start
        if not trie or start >= len(text) or text[start] not in "{[":
            return found
        # open containers: [path, trie below it, "{" or "[", next position, next item index]
        frames: list[list[Any]] = [[(), trie, text[start], start + 1, 0]]
        try:
            while frames:
                frame = frames[-1]
                path, below, opening, position, index = frame
                position = skip(text, position).end()  # type: ignore[union-attr]
                if text[position] in "}]":
                    frames.pop()
                    if not frames:
                        break
                    end = position + 1
                else:
                    if opening == "{":
                        if text[position] != '"':
                            break
                        key_at = position
                        token, position = scanstring(text, position + 1)
                        position = skip(text, position).end()  # type: ignore[union-attr]
                        if text[position] != ":":
                            break
                        value_at = skip(text, position + 1).end()  # type: ignore[union-attr]
                    else:
                        key_at = value_at = position
                        token = str(index)
                        frame[4] = index + 1
                    child = below.get(token)
                    if child is not None:
                        child_path = (*path, token)
                        found[child_path] = key_at  # a repeated key: the last one stays
                        if child and text[value_at] in "{[":
                            frames.append([child_path, child, text[value_at], value_at + 1, 0])
                            continue
                    end = _scan_value(text, value_at)[1]
                # past the value (or the container just closed), white space and one comma
                position = skip(text, end).end()  # type: ignore[union-attr]
                if position < len(text) and text[position] == ",":
                    position += 1
                frames[-1][3] = position
        except (ValueError, IndexError, StopIteration, RecursionError):
            pass
        return found

    def _line_column(self, offset: int) -> Place:
        if self._line_starts is None:
            # start of line i = the lengths of the lines before it, plus one newline each
            lengths = map(len, self._text.split("\n"))
            self._line_starts = list(
                map(operator.add, itertools.accumulate(lengths, initial=0), itertools.count())
            )
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1
