"""Line and column of JSON pointers in the text they were parsed from, found only when needed.

Parsing does not keep positions (the C parser cannot), so a clean file costs nothing here. When
findings name pointers, `Locator.locate_all` reads the text once for all of them: it follows the
members and items that lie on the way to a wanted pointer, and skips every other value, so each
part of the text is read once, whatever the number of findings.

For a text known to be JSON (the engine locates only in files that parsed), each member costs
one regular expression match, which reads the comma, the key, the colon and, for a string,
number or literal, the value too; only containers go to the C scanner. Any other text, or a
text the fast reading cannot follow (nested deeper than the Python stack), is read step by step
instead, which stops quietly at what is not JSON and keeps what it found until then.
"""

from __future__ import annotations

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

_WS = r"[ \t\n\r]*"
_KEY = r'"([^"\\]*(?:\\.[^"\\]*)*)"'
# values read by the expressions themselves: a short string without escapes, a number or a
# literal; longer strings (which the expression would read character by character), NaN,
# Infinity and containers are left to the C scanner
_SCALAR = r'"[^"\\]{0,24}"|-?\d[\d.eE+-]*|true|false|null'
# an object's next member up to its value (past it for a scalar), or the object's end:
# group 1 the key as written, group 2 the scalar value, group 3 the closing brace
_FIRST_MEMBER = re.compile(rf"{_WS}(?:{_KEY}{_WS}:{_WS}(?:({_SCALAR}){_WS})?|(\}}))")
_NEXT_MEMBER = re.compile(rf"{_WS}(?:,{_WS}{_KEY}{_WS}:{_WS}(?:({_SCALAR}){_WS})?|(\}}))")
# an array's next item (past it for a scalar), or the array's end:
# group 1 the scalar item, group 2 the closing bracket
_FIRST_ITEM = re.compile(rf"{_WS}(?:({_SCALAR}){_WS}|(\]))?")
_NEXT_ITEM = re.compile(rf"{_WS}(?:,{_WS}(?:({_SCALAR}){_WS})?|(\]))")

Place = tuple[int, int]  # line, column (1-based)
_Trie = dict[str, Any]  # token -> the trie of the tokens below it
_Found = dict[tuple[str, ...], int]  # path of tokens -> offset of its key (or item)


class _NotFollowed(Exception):
    """The fast reading met text it does not expect; the step-by-step walk takes over."""


def split_pointer(pointer: str) -> list[str] | None:
    """The reference tokens of an RFC 6901 pointer, or None when it is not one."""
    if pointer == "":
        return []
    if pointer[0] != "/":
        return None
    tokens = pointer[1:].split("/")
    if "~" in pointer:
        return [
            token.replace("~1", "/").replace("~0", "~") if "~" in token else token
            for token in tokens
        ]
    return tokens


class Locator:
    """Finds where pointers are in one JSON text. `parsed` says the text is known to be JSON
    (the standard parser read it), which allows the fast reading."""

    def __init__(self, text: str, *, parsed: bool = False) -> None:
        self._text = text
        self._parsed = parsed
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
            wanted[pointer] = path = tuple(tokens)
            node = trie
            for token in path:
                below = node.get(token)
                if below is None:
                    below = node[token] = {}
                node = below
        found = self._walk(trie)
        offsets: dict[str, int] = {}
        for pointer, path in wanted.items():
            for depth in range(len(path), -1, -1):
                offset = found.get(path[:depth] if depth < len(path) else path)
                if offset is not None:
                    offsets[pointer] = offset
                    break
            else:
                results[pointer] = None
        results.update(self._places(offsets))
        return results

    def _places(self, offsets: dict[str, int]) -> dict[str, Place]:
        """(line, column) of each offset, counting the lines between offsets in sorted order."""
        text = self._text
        places: dict[str, Place] = {}
        line, line_start, previous = 1, 0, 0
        for pointer, offset in sorted(offsets.items(), key=operator.itemgetter(1)):
            if offset != previous:
                newlines = text.count("\n", previous, offset)
                if newlines:
                    line += newlines
                    line_start = text.rfind("\n", previous, offset) + 1
                previous = offset
            places[pointer] = (line, offset - line_start + 1)
        return places

    def _walk(self, trie: _Trie) -> _Found:
        if self._parsed:
            try:
                return self._walk_parsed(trie)
            except (_NotFollowed, ValueError, IndexError, StopIteration, RecursionError):
                pass
        return self._walk_stepwise(trie)

    def _walk_parsed(self, trie: _Trie) -> _Found:
        """The offsets of the nodes named by the trie's paths, for a text that is JSON."""
        text = self._text
        found: _Found = {}
        start = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
        found[()] = start
        if not trie or start >= len(text) or text[start] not in "{[":
            return found
        scan = _scan_value
        first_member, next_member = _FIRST_MEMBER.match, _NEXT_MEMBER.match
        first_item, next_item = _FIRST_ITEM.match, _NEXT_ITEM.match

        def read_object(path: tuple[str, ...], below: _Trie, position: int) -> int:
            """Read the object whose `{` is at `position`; return the offset past its `}`."""
            match = first_member(text, position + 1)
            while match is not None:
                key, scalar, closing = match.groups()
                end = match.end()
                if closing is not None:
                    return end
                if "\\" in key:
                    key = scanstring(text, match.start(1))[0]
                child = below.get(key)
                if child is not None:
                    child_path = (*path, key)
                    found[child_path] = match.start(1) - 1  # a repeated key: the last one stays
                    if scalar is None:
                        opening = text[end]
                        if child and opening == "{":
                            end = read_object(child_path, child, end)
                        elif child and opening == "[":
                            end = read_array(child_path, child, end)
                        else:
                            end = scan(text, end)[1]
                elif scalar is None:
                    end = scan(text, end)[1]
                match = next_member(text, end)
            raise _NotFollowed

        def read_array(path: tuple[str, ...], below: _Trie, position: int) -> int:
            """Read the array whose `[` is at `position`; return the offset past its `]`."""
            match = first_item(text, position + 1)
            index = -1
            while match is not None:
                scalar, closing = match.groups()
                end = match.end()
                if closing is not None:
                    return end
                index += 1
                child = below.get(str(index))
                if child is not None:
                    child_path = (*path, str(index))
                    if scalar is not None:
                        found[child_path] = match.start(1)
                    else:
                        found[child_path] = end
                        opening = text[end]
                        if child and opening == "{":
                            end = read_object(child_path, child, end)
                        elif child and opening == "[":
                            end = read_array(child_path, child, end)
                        else:
                            end = scan(text, end)[1]
                elif scalar is None:
                    end = scan(text, end)[1]
                match = next_item(text, end)
            raise _NotFollowed

        if text[start] == "{":
            read_object((), trie, start)
        else:
            read_array((), trie, start)
        return found

    def _walk_stepwise(self, trie: _Trie) -> _Found:
        """The offsets of the nodes named by the trie's paths, read in one pass over the text.

        The walk keeps its own stack of open containers (deep nesting cannot exhaust Python's)
        and stops quietly at text that is not JSON, keeping what it found until then."""
        text = self._text
        skip = _WHITESPACE.match  # matches everywhere (possibly nothing): never None
        found: _Found = {}
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
