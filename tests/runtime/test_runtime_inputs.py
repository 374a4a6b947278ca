"""Inputs: read from text, completed with defaults and internal values, checked before sending."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from runtime_packages import PackageFactory, operation

from retarus_connector.runtime import InputError, Operation

PARAMETERS: list[dict[str, Any]] = [
    {"name": "id", "in": "path", "required": True, "type": "string"},
    {"name": "limit", "in": "query", "type": "integer", "format": "int32", "maximum": 1000},
    {"name": "ratio", "in": "query", "type": "number"},
    {"name": "open", "in": "query", "type": "boolean"},
    {"name": "tags", "in": "query", "type": "array", "items": {"type": "integer"}},
    {"name": "mode", "in": "query", "type": "string", "enum": ["FAST", "SLOW"], "default": "SLOW"},
    {"name": "since", "in": "query", "type": "string", "format": "date-time"},
    {"name": "mail", "in": "header", "type": "string", "format": "email"},
    {"name": "code", "in": "query", "type": "string", "maxLength": 4, "pattern": "^[A-Z]+$"},
    {
        "name": "api-version",
        "in": "query",
        "type": "string",
        "required": True,
        "default": "2024-01-01",
        "x-ms-visibility": "internal",
    },
    {"name": "pin", "in": "header", "type": "string", "format": "password", "minLength": 8},
]

BODY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["messages"],
    "properties": {
        "messages": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/Message"}},
        "kind": {"type": "string", "default": "sms", "x-ms-visibility": "internal"},
        "note": {"type": "string", "x-nullable": True},
    },
}
DEFINITIONS: dict[str, Any] = {
    "Message": {
        "type": "object",
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "minLength": 1},
            "channel": {"type": "string", "default": "v2", "x-ms-visibility": "internal"},
            "priority": {"type": "integer", "enum": [1, 2, 3]},
        },
    }
}


@pytest.fixture
def get_item(make_connector: PackageFactory) -> Operation:
    return make_connector({"/items/{id}": {"get": operation("GetItem", PARAMETERS)}}).operation(
        "GetItem"
    )


@pytest.fixture
def send(make_connector: PackageFactory) -> Operation:
    body = {"name": "payload", "in": "body", "required": True, "schema": BODY_SCHEMA}
    connector = make_connector(
        {"/messages": {"post": operation("Send", [body])}}, definitions=DEFINITIONS
    )
    return connector.operation("Send")


def problems(error: pytest.ExceptionInfo[InputError]) -> list[tuple[str, str]]:
    return [(p.parameter, p.pointer) for p in error.value.problems]


def test_text_values_become_their_swagger_types(get_item: Operation) -> None:
    values = get_item.parse_text_inputs(
        {
            "id": ["7"],
            "limit": ["25"],
            "ratio": ["0.5"],
            "open": ["TRUE"],
            "tags": ["1", "2"],
            "since": ["2024-05-01T10:00:00Z"],
        }
    )
    assert values == {
        "id": "7",
        "limit": 25,
        "ratio": 0.5,
        "open": True,
        "tags": [1, 2],
        "since": "2024-05-01T10:00:00Z",
    }


def test_array_as_json_text(get_item: Operation) -> None:
    assert get_item.parse_text_inputs({"tags": ["[3, 4]"]}) == {"tags": [3, 4]}


def test_text_that_does_not_fit_the_type_names_each_parameter(get_item: Operation) -> None:
    with pytest.raises(InputError) as caught:
        get_item.parse_text_inputs({"limit": ["ten"], "open": ["yes"], "id": ["a", "b"]})
    assert sorted(problems(caught)) == [("id", ""), ("limit", ""), ("open", "")]
    text = str(caught.value)
    assert "parameter 'limit': expects an integer, got 'ten'" in text
    assert "given 2 times" in text


def test_defaults_and_internal_values_complete_the_inputs(get_item: Operation) -> None:
    assert get_item.resolve_inputs({"id": "7"}) == {
        "id": "7",
        "mode": "SLOW",
        "api-version": "2024-01-01",
    }


def test_an_internal_parameter_cannot_be_given_another_value(get_item: Operation) -> None:
    with pytest.raises(InputError) as caught:
        get_item.resolve_inputs({"id": "7", "api-version": "1999-01-01"})
    assert problems(caught) == [("api-version", "")]
    assert "internal" in str(caught.value)
    # Its own value is accepted: it is what would be sent anyway.
    assert get_item.resolve_inputs({"id": "7", "api-version": "2024-01-01"})["api-version"]


@pytest.mark.parametrize(
    ("inputs", "parameter", "fragment"),
    [
        ({}, "id", "is required"),
        ({"id": "1", "limit": 5000}, "limit", "maximum of 1000"),
        ({"id": "1", "limit": -(2**31) - 1}, "limit", "int32"),
        ({"id": "1", "limit": "5"}, "limit", "not of type 'integer'"),
        ({"id": "1", "open": "true"}, "open", "not of type 'boolean'"),
        ({"id": "1", "mode": "NORMAL"}, "mode", "is not one of ['FAST', 'SLOW']"),
        ({"id": "1", "since": "yesterday"}, "since", "date-time"),
        ({"id": "1", "since": "2024-02-30T10:00:00Z"}, "since", "date-time"),
        ({"id": "1", "mail": "nobody"}, "mail", "email"),
        ({"id": "1", "code": "ABCDE"}, "code", "too long"),
        ({"id": "1", "code": "ab"}, "code", "does not match"),
        ({"id": "1", "tags": [1, "x"]}, "tags", "not of type 'integer'"),
        ({"id": "1", "colour": "red"}, "colour", "is not a parameter of operation 'GetItem'"),
    ],
)
def test_values_are_checked_against_the_swagger(
    get_item: Operation, inputs: dict[str, Any], parameter: str, fragment: str
) -> None:
    with pytest.raises(InputError) as caught:
        get_item.resolve_inputs(inputs)
    assert [p.parameter for p in caught.value.problems] == [parameter]
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    "since", ["2024-05-01T10:00:00Z", "2018-07-09T11:25:24.683+02:00", "2024-05-01T10:00:00+0200"]
)
def test_iso_date_times_servers_write_are_accepted(get_item: Operation, since: str) -> None:
    assert get_item.resolve_inputs({"id": "1", "since": since})["since"] == since


def test_every_problem_is_reported_at_once(get_item: Operation) -> None:
    with pytest.raises(InputError) as caught:
        get_item.resolve_inputs({"limit": 5000, "mode": "NORMAL"})
    assert sorted(problems(caught)) == [("id", ""), ("limit", ""), ("mode", "")]


def test_a_password_value_is_never_echoed(get_item: Operation) -> None:
    with pytest.raises(InputError) as caught:
        get_item.resolve_inputs({"id": "1", "pin": "hunter2"})
    assert "hunter2" not in str(caught.value)
    assert "minLength" in str(caught.value)


def test_a_password_value_given_as_text_is_never_echoed(make_connector: PackageFactory) -> None:
    parameter = {"name": "pin", "in": "query", "type": "integer", "format": "password"}
    op = make_connector({"/x": {"get": operation("X", [parameter])}}).operation("X")
    with pytest.raises(InputError) as caught:
        op.parse_text_inputs({"pin": ["s3cr3t"]})
    assert "s3cr3t" not in str(caught.value)


def test_body_internal_properties_are_filled_at_every_depth(send: Operation) -> None:
    values = send.resolve_inputs({"payload": {"messages": [{"text": "a"}, {"text": "b"}]}})
    assert values["payload"] == {
        "messages": [{"text": "a", "channel": "v2"}, {"text": "b", "channel": "v2"}],
        "kind": "sms",
    }


def test_body_problems_carry_a_json_pointer(send: Operation) -> None:
    body = {"messages": [{"text": "a"}, {"priority": 9}], "note": None}
    with pytest.raises(InputError) as caught:
        send.resolve_inputs({"payload": body})
    assert sorted(problems(caught)) == [
        ("payload", "/messages/1"),
        ("payload", "/messages/1/priority"),
    ]
    assert "parameter 'payload/messages/1': 'text' is a required property" in str(caught.value)


def test_body_internal_property_with_another_value_is_refused(send: Operation) -> None:
    with pytest.raises(InputError) as caught:
        send.resolve_inputs({"payload": {"messages": [{"text": "a", "channel": "v1"}]}})
    assert problems(caught) == [("payload", "/messages/0/channel")]


def test_missing_body_is_reported(send: Operation) -> None:
    with pytest.raises(InputError, match="'payload': is required"):
        send.resolve_inputs({})


def test_body_given_as_text_is_json(send: Operation) -> None:
    assert send.parse_text_inputs({"payload": ['{"messages": []}']}) == {
        "payload": {"messages": []}
    }
    with pytest.raises(InputError, match="is not valid JSON"):
        send.parse_text_inputs({"payload": ["{messages"]})


def test_file_parameter_reads_the_named_file(
    make_connector: PackageFactory, tmp_path: Path
) -> None:
    upload = {"name": "doc", "in": "formData", "type": "file", "required": True}
    op = make_connector({"/upload": {"post": operation("Upload", [upload])}}).operation("Upload")
    (tmp_path / "note.txt").write_bytes(b"hello")
    assert op.parse_text_inputs({"doc": [str(tmp_path / "note.txt")]}) == {"doc": b"hello"}
    with pytest.raises(InputError, match="cannot read file"):
        op.parse_text_inputs({"doc": [str(tmp_path / "absent.txt")]})


def test_swagger_mistakes_in_parameter_schemas_are_tolerated(
    make_connector: PackageFactory,
) -> None:
    # A boolean `required` inside a schema is a common slip in real packages.
    schema = {"type": "object", "properties": {"a": {"type": "string", "required": True}}}
    body = {"name": "body", "in": "body", "schema": schema}
    op = make_connector({"/x": {"post": operation("X", [body])}}).operation("X")
    assert op.resolve_inputs({"body": {"a": "x"}}) == {"body": {"a": "x"}}


def test_a_whole_number_for_a_number_parameter_stays_an_integer(get_item: Operation) -> None:
    values = get_item.parse_text_inputs({"id": ["7"], "ratio": ["5"]})
    assert type(values["ratio"]) is int
    assert values["ratio"] == 5
    assert "?ratio=5&" in get_item.prepare(values).url
    assert type(get_item.parse_text_inputs({"ratio": ["-3"]})["ratio"]) is int
    assert type(get_item.parse_text_inputs({"ratio": ["5.0"]})["ratio"]) is float


def test_an_explicit_null_body_is_kept_not_replaced_by_the_default(
    make_connector: PackageFactory,
) -> None:
    schema = {"type": "object", "x-nullable": True, "default": {"from": "default"}}
    body = {"name": "body", "in": "body", "schema": schema}
    op = make_connector({"/x": {"post": operation("X", [body])}}).operation("X")
    assert op.resolve_inputs({"body": None}) == {"body": None}
    assert op.resolve_inputs({}) == {"body": {"from": "default"}}


def test_a_missing_body_is_named_a_request_body(send: Operation) -> None:
    with pytest.raises(InputError, match=r"is required \(a request body\) but was not given"):
        send.resolve_inputs({})


def test_internal_properties_inside_all_of_are_filled(make_connector: PackageFactory) -> None:
    schema = {
        "allOf": [
            {"$ref": "#/definitions/Message"},
            {"type": "object", "properties": {"tag": {"type": "string"}}},
        ]
    }
    body = {"name": "body", "in": "body", "required": True, "schema": schema}
    op = make_connector(
        {"/x": {"post": operation("X", [body])}}, definitions=DEFINITIONS
    ).operation("X")
    assert op.resolve_inputs({"body": {"text": "hi", "tag": "t"}}) == {
        "body": {"text": "hi", "tag": "t", "channel": "v2"}
    }
