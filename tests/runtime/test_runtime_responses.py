"""Responses checked against the schema documented for their status code."""

from __future__ import annotations

from typing import Any

import pytest
from runtime_packages import PackageFactory, operation

from retarus_connector.runtime import Operation, PackageError
from retarus_connector.runtime.responses import DecodedBody, decode_body, response_problems

DEFINITIONS: dict[str, Any] = {
    "Job": {
        "type": "object",
        "required": ["jobId", "status"],
        "properties": {
            "jobId": {"type": "string", "pattern": "^J\\."},
            "status": {"type": "string", "enum": ["OPEN", "DONE"]},
            "finished": {"type": "string", "format": "date-time", "x-nullable": True},
            "parts": {"type": "integer", "format": "int32"},
            "sender": {"x-nullable": True, "allOf": [{"$ref": "#/definitions/Ref"}]},
            "recipients": {"type": "array", "items": {"$ref": "#/definitions/Recipient"}},
        },
    },
    "Recipient": {
        "type": "object",
        "required": ["dst"],
        "properties": {
            "dst": {"type": "string"},
            "ref": {"$ref": "#/definitions/Ref", "x-nullable": True},
        },
    },
    "Ref": {"type": "string"},
    "Error": {
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}},
    },
}


@pytest.fixture
def get_job(make_connector: PackageFactory) -> Operation:
    responses = {
        "200": {"description": "the job", "schema": {"$ref": "#/definitions/Job"}},
        "404": {"description": "unknown", "schema": {"$ref": "#/definitions/Error"}},
        "default": {"description": "anything else"},
    }
    return make_connector(
        {"/jobs": {"get": operation("GetJob", responses=responses)}}, definitions=DEFINITIONS
    ).operation("GetJob")


def pointers(problems: tuple[Any, ...]) -> list[str]:
    return [problem.pointer for problem in problems]


def test_a_body_that_keeps_its_schema_has_no_problem(get_job: Operation) -> None:
    body = {
        "jobId": "J.1",
        "status": "DONE",
        "finished": None,
        "parts": 2,
        "recipients": [{"dst": "+41", "ref": None}, {"dst": "+49", "ref": "r"}],
        "sender": None,
    }
    assert get_job.check_response(200, body) == ()


def test_schema_violations_carry_json_pointers(get_job: Operation) -> None:
    body = {
        "jobId": "X.1",
        "status": "LOST",
        "finished": "soon",
        "parts": 2**40,
        "recipients": [{"dst": 4}, {}],
        "sender": 5,
    }
    problems = get_job.check_response(200, body)
    assert pointers(problems) == [
        "/finished",
        "/jobId",
        "/parts",
        "/recipients/0/dst",
        "/recipients/1",
        "/sender",
        "/status",
    ]
    assert all(problem.status == 200 for problem in problems)
    assert "schema of response '200'" in str(problems[0])


def test_each_status_has_its_own_schema(get_job: Operation) -> None:
    assert get_job.check_response(404, {"message": "no such job"}) == ()
    problems = get_job.check_response(404, {"jobId": "J.1", "status": "OPEN"})
    assert [str(p) for p in problems] == [
        "response 404 at '': 'message' is a required property (schema of response '404')"
    ]


def test_undocumented_status_falls_back_to_default(get_job: Operation) -> None:
    assert get_job.check_response(500, {"whatever": True}) == ()
    assert get_job.check_response(503, None) == ()


def test_default_with_a_schema_is_checked(make_connector: PackageFactory) -> None:
    responses = {
        "200": {"description": "ok"},
        "default": {"description": "error", "schema": {"$ref": "#/definitions/Error"}},
    }
    op = make_connector(
        {"/x": {"get": operation("X", responses=responses)}}, definitions=DEFINITIONS
    ).operation("X")
    assert op.check_response(200, {"anything": 1}) == ()
    assert op.check_response(418, {"message": "teapot"}) == ()
    assert pointers(op.check_response(418, {"msg": "teapot"})) == [""]


def test_a_status_no_response_covers_is_a_problem(make_connector: PackageFactory) -> None:
    responses = {"201": {"description": "created"}, "400": {"description": "bad"}}
    op = make_connector({"/x": {"post": operation("X", responses=responses)}}).operation("X")
    problems = op.check_response(409, {"message": "dup"})
    assert len(problems) == 1
    assert "status 409 is not documented" in problems[0].message
    assert "documented: 201, 400" in problems[0].message


def test_an_empty_body_where_a_schema_is_declared(get_job: Operation) -> None:
    problems = get_job.check_response(200, None)
    assert [p.message for p in problems] == [
        "the body is empty, but response '200' declares a schema"
    ]


def test_a_broken_schema_is_a_package_error_naming_its_pointer(
    make_connector: PackageFactory,
) -> None:
    responses = {"200": {"description": "ok", "schema": {"type": "int"}}}
    op = make_connector({"/x": {"get": operation("X", responses=responses)}}).operation("X")
    with pytest.raises(PackageError) as caught:
        op.check_response(200, 1)
    assert caught.value.pointer == "/paths/~1x/get/responses/200/schema"


def test_a_dangling_schema_reference_is_a_package_error(make_connector: PackageFactory) -> None:
    responses = {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Missing"}}}
    op = make_connector({"/x": {"get": operation("X", responses=responses)}}).operation("X")
    with pytest.raises(PackageError, match="cannot be resolved"):
        op.check_response(200, {})


def test_response_references_are_followed(make_connector: PackageFactory) -> None:
    responses = {"404": {"$ref": "#/responses/NotFound"}}
    op = make_connector(
        {"/x": {"get": operation("X", responses=responses)}},
        definitions=DEFINITIONS,
        responses={
            "NotFound": {"description": "missing", "schema": {"$ref": "#/definitions/Error"}}
        },
    ).operation("X")
    assert op.check_response(404, {"message": "gone"}) == ()
    assert pointers(op.check_response(404, {"message": 404})) == ["/message"]


def test_file_and_string_schemas(make_connector: PackageFactory) -> None:
    responses = {
        "200": {"description": "text", "schema": {"type": "string"}},
        "206": {"description": "bytes", "schema": {"type": "file"}},
    }
    op = make_connector({"/x": {"get": operation("X", responses=responses)}}).operation("X")
    assert op.check_response(200, "plain") == ()
    assert pointers(op.check_response(200, {"not": "text"})) == [""]
    assert op.check_response(206, {"anything": "goes"}) == ()


@pytest.mark.parametrize(
    ("content", "content_type", "value", "is_json", "empty"),
    [
        (b" \r\n", "application/json", None, False, True),
        (b'{"a": 1}', "text/plain", {"a": 1}, True, False),  # JSON by its first character
        (b"[1]", None, [1], True, False),
        (b"{not json", "application/json", "{not json", False, False),
        (b"plain", "text/plain", "plain", False, False),
    ],
)
def test_bodies_are_decoded_as_json_where_they_are_json(
    content: bytes, content_type: str | None, value: Any, is_json: bool, empty: bool
) -> None:
    assert decode_body(content, content_type) == DecodedBody(value, is_json=is_json, empty=empty)


def test_a_text_body_is_a_problem_only_where_the_schema_is_not_text_or_file(
    make_connector: PackageFactory,
) -> None:
    responses = {
        "200": {"description": "object", "schema": {"type": "object"}},
        "201": {"description": "text", "schema": {"type": "string"}},
        "206": {"description": "bytes", "schema": {"type": "file"}},
    }
    op = make_connector({"/x": {"get": operation("X", responses=responses)}}).operation("X")
    text = DecodedBody("%PDF-1.7 ...", is_json=False, empty=False)

    def problems(status: int) -> list[str]:
        return [p.message for p in response_problems(op.package, op.spec, status, text)]

    assert problems(200) == ["the body is not JSON, but response '200' declares a schema"]
    assert problems(201) == []
    assert problems(206) == []


def test_a_text_body_that_happens_to_parse_as_json_stays_text() -> None:
    decoded = decode_body(b"123", "text/plain")
    assert (decoded.value, decoded.is_json) == ("123", False)
