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

from retarus_connector.core.pointer import split

# The patterns stay text and are compiled where a finding is located (`re` keeps them after
# the first time): a run without findings never compiles them.
_WHITESPACE = r"[ \t\n\r]*"
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
_FIRST_MEMBER = rf"{_WS}(?:{_KEY}{_WS}:{_WS}(?:({_SCALAR}){_WS})?|(\}}))"
_NEXT_MEMBER = rf"{_WS}(?:,{_WS}{_KEY}{_WS}:{_WS}(?:({_SCALAR}){_WS})?|(\}}))"
# an array's next item (past it for a scalar), or the array's end:
# group 1 the scalar item, group 2 the closing bracket
_FIRST_ITEM = rf"{_WS}(?:({_SCALAR}){_WS}|(\]))?"
_NEXT_ITEM = rf"{_WS}(?:,{_WS}(?:({_SCALAR}){_WS})?|(\]))"

Place = tuple[int, int]  # line, column (1-based)
# one node of the trie of wanted paths: [offset where the node was found (-1: not yet), the
# nodes below it by token]; the walk writes the offsets into the trie itself
_Node = list[Any]
_Trie = dict[str, _Node]


class _NotFollowed(Exception):
    """The fast reading met text it does not expect; the step-by-step walk takes over."""


class Locator:
    """Finds where pointers are in one JSON text. `parsed` says the text is known to be JSON
    (the standard parser read it), which allows the fast reading."""

    def __init__(self, text: str, *, parsed: bool = False) -> None:
        self._text = text
        self._parsed = parsed

    def locate(self, pointer: str) -> Place | None:
        return self.locate_all([pointer])[pointer]

    def locate_all(self, pointers: Iterable[str]) -> dict[str, Place | None]:
        """For each pointer, the (line, column) of the deepest node on its path that exists:
        the key of an object member, the value of an array item; None when the pointer is not
        one. Of a key written twice in an object, the last counts, as in the parsed data."""
        results: dict[str, Place | None] = {}
        wanted: dict[str, list[str]] = {}
        for pointer in pointers:
            tokens = split(pointer)
            if tokens is None:
                results[pointer] = None
            else:
                wanted[pointer] = tokens
        root = self._walk(wanted)
        offsets: dict[str, int] = {}
        for pointer, tokens in wanted.items():
            # the deepest node on the path that was found: the walk enters a node only after
            # finding it, so the found ones are a prefix of the path
            node = root
            offset = node[0]
            for token in tokens:
                node = node[1].get(token)
                if node is None or node[0] < 0:
                    break
                offset = node[0]
            if offset < 0:
                results[pointer] = None
            else:
                offsets[pointer] = offset
        results.update(self._places(offsets))
        return results

    @staticmethod
    def _trie(wanted: dict[str, list[str]]) -> _Node:
        root: _Node = [-1, {}]
        for tokens in wanted.values():
            node = root
            for token in tokens:
                below = node[1].get(token)
                if below is None:
                    below = node[1][token] = [-1, {}]
                node = below
        return root

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

    def _walk(self, wanted: dict[str, list[str]]) -> _Node:
        """The trie of the wanted paths, with the offset of each node that was found."""
        if self._parsed:
            root = self._trie(wanted)
            try:
                self._walk_parsed(root)
                return root
            except (_NotFollowed, ValueError, IndexError, StopIteration, RecursionError):
                pass
        root = self._trie(wanted)  # afresh: the fast reading may have found some nodes
        self._walk_stepwise(root)
        return root

    def _walk_parsed(self, root: _Node) -> None:
        """Find the nodes of the trie in a text that is JSON."""
        text = self._text
        start = re.compile(_WHITESPACE).match(text, 0).end()  # type: ignore[union-attr]
        root[0] = start
        if not root[1] or start >= len(text) or text[start] not in "{[":
            return
        scan = _scan_value
        first_member, next_member = re.compile(_FIRST_MEMBER).match, re.compile(_NEXT_MEMBER).match
        first_item, next_item = re.compile(_FIRST_ITEM).match, re.compile(_NEXT_ITEM).match

        def read_value(node: _Node, position: int) -> int:
            """Read the value at `position`, into which the paths below `node` lead (a scalar,
            or a container none of them enters, is skipped); return the offset past it."""
            opening = text[position]
            if node[1] and opening == "{":
                return read_object(node[1], position)
            if node[1] and opening == "[":
                return read_array(node[1], position)
            return scan(text, position)[1]

        def read_object(below: _Trie, position: int) -> int:
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
                    child[0] = match.start(1) - 1  # a repeated key: the last one stays
                    if scalar is None:
                        end = read_value(child, end)
                elif scalar is None:
                    end = scan(text, end)[1]
                match = next_member(text, end)
            raise _NotFollowed

        def read_array(below: _Trie, position: int) -> int:
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
                    if scalar is not None:
                        child[0] = match.start(1)
                    else:
                        child[0] = end
                        end = read_value(child, end)
                elif scalar is None:
                    end = scan(text, end)[1]
                match = next_item(text, end)
            raise _NotFollowed

        read_value(root, start)

    def _walk_stepwise(self, root: _Node) -> None:
        """Find the nodes of the trie in one pass over the text.

        The walk keeps its own stack of open containers (deep nesting cannot exhaust Python's)
        and stops quietly at text that is not JSON, keeping what it found until then."""
        text = self._text
        skip = re.compile(_WHITESPACE).match  # matches everywhere (possibly nothing): never None
        start = skip(text, 0).end()  # type: ignore[union-attr]
        root[0] = start
        if not root[1] or start >= len(text) or text[start] not in "{[":
            return
        # open containers: [trie below it, "{" or "[", next position, next item index]
        frames: list[list[Any]] = [[root[1], text[start], start + 1, 0]]
        try:
            while frames:
                frame = frames[-1]
                below, opening, position, index = frame
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
                        frame[3] = index + 1
                    child = below.get(token)
                    if child is not None:
                        child[0] = key_at  # a repeated key: the last one stays
                        if child[1] and text[value_at] in "{[":
                            frames.append([child[1], text[value_at], value_at + 1, 0])
                            continue
                    end = _scan_value(text, value_at)[1]
                # past the value (or the container just closed), white space and one comma
                position = skip(text, end).end()  # type: ignore[union-attr]
                if position < len(text) and text[position] == ",":
                    position += 1
                frames[-1][2] = position
        except (ValueError, IndexError, StopIteration, RecursionError):
            pass
