"""The tolerant loader and the lazy pointer locator."""

from __future__ import annotations

import json
import sys

import pytest

from retarus_connector.core.jsonfile import parse_json
from retarus_connector.core.pointer import split as split_pointer
from retarus_connector.lint.location import Locator
from retarus_connector.lint.model import LoadIssueKind


def test_parse_json_notes_duplicates_with_the_pointer_of_their_object() -> None:
    parsed = parse_json(b'{"a": {"b": 1, "b": 2}, "c": [{"d": 1, "d": 1}]}')
    assert parsed.data == {"a": {"b": 2}, "c": [{"d": 1}]}
    assert sorted(parsed.duplicate_keys) == [("/a", "b"), ("/c/0", "d")]


def test_parse_json_escapes_pointer_tokens_of_duplicates() -> None:
    parsed = parse_json(b'{"/paths~x": {"k": 1, "k": 2}}')
    assert parsed.duplicate_keys == [("/~1paths~0x", "k")]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"", LoadIssueKind.EMPTY),
        (b"   \n", LoadIssueKind.EMPTY),
        (b'{"a": 1,}', LoadIssueKind.SYNTAX),
        (b'{"a": "b', LoadIssueKind.SYNTAX),
        (b"\x89PNG\r\n\x1a\n\x00\x00", LoadIssueKind.BINARY),
        (b"[" * 100_000, LoadIssueKind.SYNTAX),
    ],
)
def test_parse_json_records_why_a_file_did_not_load(raw: bytes, kind: LoadIssueKind) -> None:
    parsed = parse_json(raw)
    assert parsed.data is None
    assert [issue.kind for issue in parsed.issues] == [kind] or (
        kind == LoadIssueKind.SYNTAX
        and [issue.kind for issue in parsed.issues] == [LoadIssueKind.TOO_DEEP]
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"a": NaN}', "NaN is not a JSON value (line 1, column 7)"),
        (
            b'{"a": "NaN \\" Infinity",\n "b": [1, -Infinity]}',
            "-Infinity is not a JSON value (line 2, column 11)",
        ),
        (b"Infinity", "Infinity is not a JSON value (line 1, column 1)"),
    ],
)
def test_nan_and_infinity_are_not_json(raw: bytes, message: str) -> None:
    # Python's parser takes them; no JSON parser has to, and NaN != NaN
    parsed = parse_json(raw)
    assert parsed.data is None
    assert [(issue.kind, issue.message) for issue in parsed.issues] == [
        (LoadIssueKind.SYNTAX, f"is not valid JSON: {message}")
    ]


def test_an_integer_longer_than_the_parser_converts_is_reported_where_it_is() -> None:
    # valid JSON, but Python refuses to convert it (sys.get_int_max_str_digits)
    limit = sys.get_int_max_str_digits()
    long = "9" * (limit + 1)
    raw = f'{{"a": "{long}", "b": 1.{long},\n "c": -{long}}}'.encode()
    parsed = parse_json(raw)
    assert parsed.data is None
    assert [(issue.kind, issue.message) for issue in parsed.issues] == [
        (
            LoadIssueKind.TOO_LONG,
            f"holds a number of {limit + 1} digits, more than the {limit} the parser converts"
            " (line 2, column 7)",
        )
    ]


def test_parse_json_goes_on_after_invalid_utf8_and_a_bom() -> None:
    parsed = parse_json(b'\xef\xbb\xbf{"name": "J\xf8rgen"}')
    assert parsed.has_bom
    assert parsed.data == {"name": "J\ufffdrgen"}
    (issue,) = parsed.issues
    assert issue.kind == LoadIssueKind.INVALID_UTF8
    assert (issue.line, issue.column) == (1, 12)  # the BOM is no column


TEXT = """{
    "swagger": "2.0",
    "paths": {
        "/a/{id}": {"get": {"parameters": [{"name": "id"}, {"name": "q"}]}},
        "~tilde": 1
    },
    "paths": {"/b": {}}
}"""


@pytest.mark.parametrize(
    ("pointer", "place"),
    [
        ("", (1, 1)),
        ("/swagger", (2, 5)),
        ("/paths", (7, 5)),  # a repeated key: the last one, as the parsed data has it
        ("/paths/~1b", (7, 15)),
        ("/paths/~1b/missing/deeper", (7, 15)),  # deepest existing node
        ("/nothing", (1, 1)),
    ],
)
@pytest.mark.parametrize("parsed", [False, True])
def test_locator_finds_keys_and_items(pointer: str, place: tuple[int, int], parsed: bool) -> None:
    assert Locator(TEXT, parsed=parsed).locate(pointer) == place


@pytest.mark.parametrize("parsed", [False, True])
def test_locator_finds_array_items_and_escaped_tokens(parsed: bool) -> None:
    text = '{"a": {"x/y": [10, {"z~": [1, 2]}]}}'
    locator = Locator(text, parsed=parsed)
    assert locator.locate("/a/x~1y/1/z~0/1") == (1, 31)
    assert locator.locate("/a/x~1y/0") == (1, 16)
    assert json.loads(text)["a"]["x/y"][1]["z~"][1] == 2


def test_locator_gives_up_quietly_on_text_that_does_not_parse() -> None:
    assert Locator('{"a": [1, }').locate("/a/5") == (1, 2)  # what it read until then
    assert Locator("{").locate("/a") == (1, 1)
    assert Locator('{"a": 1}').locate("no-slash") is None


def test_split_pointer() -> None:
    assert split_pointer("") == []
    assert split_pointer("/a~1b/~0c/") == ["a/b", "~c", ""]
    assert split_pointer("a") is None


def _all_pointers(value: object, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, child in value.items():
            token = key.replace("~", "~0").replace("/", "~1")
            found += _all_pointers(child, f"{pointer}/{token}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _all_pointers(child, f"{pointer}/{index}")
    return found


def test_locate_all_reads_once_and_agrees_with_one_at_a_time() -> None:
    document = {
        "a": {"b": [1, {"c": [True, None]}, "x"], "d/e": {"~": 2}},
        "f": [[], {}, [[3]]],
        "g": "text with \\" + '"quotes"' + " and : colons, {braces} [brackets]",
    }
    text = json.dumps(document, indent=3)
    pointers = _all_pointers(document)
    one_by_one = {pointer: Locator(text).locate(pointer) for pointer in pointers}
    assert len(set(one_by_one.values())) == len(pointers)  # every node has its own place
    assert Locator(text).locate_all(pointers) == one_by_one
    assert Locator(text).locate_all([*pointers, "/a/b/9", "bad"]) == {
        **one_by_one,
        "/a/b/9": one_by_one["/a/b"],
        "bad": None,
    }


def test_fast_reading_of_parsed_text_agrees_with_the_step_by_step_walk() -> None:
    document = {
        "a": {"b": [1, -2.5e3, {"c": [True, None, False]}, "x"], "d/e": {"~": 2}},
        "f": [[], {}, [[3]], "", 'q"uote'],
        'k\u00e9y "q"/~': {"n": [1e-3, -0, "\\"]},
        "g": "text with \\" + '"quotes"' + " and : colons, {braces} [brackets]",
    }
    pointers = [*_all_pointers(document), "/a/b/9", "/f/3/x", "/g/0", "/a/b/01", "bad"]
    for text in (
        json.dumps(document),
        json.dumps(document, indent=2, ensure_ascii=False),
        json.dumps(document, separators=(",", ":")),
        json.dumps(document, indent="\t", separators=(" ,\n", " :  ")),
        '{"n": NaN, "i": -Infinity, "j": Infinity, "a": {"x": 1, "x": {"y": [2]}}}',
        '\n  [ 1 , {"a" : [ ] } ,"s" ]  ',
    ):
        everything = [*pointers, *_all_pointers(json.loads(text)), "/a/x/y/0", "/1/a"]
        assert Locator(text, parsed=True).locate_all(everything) == Locator(text).locate_all(
            everything
        )


def test_fast_reading_falls_back_on_text_that_is_not_json() -> None:
    text = '{"a": [1, }'
    assert Locator(text, parsed=True).locate("/a/5") == Locator(text).locate("/a/5") == (1, 2)
