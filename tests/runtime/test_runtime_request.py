"""Building the request: every parameter location, collection formats, bodies, authentication."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from runtime_packages import BASE, PackageFactory, operation, policy, properties_document

from retarus_connector.runtime import (
    CallError,
    ConnectionParameterError,
    InputError,
    PackageError,
    PreparedCall,
)
from retarus_connector.runtime.request import RequestDraft, header_value_problem, text_of


def prepared_get(
    make_connector: PackageFactory, parameters: list[dict[str, Any]], values: dict[str, Any]
) -> PreparedCall:
    connector = make_connector({"/items/{id}": {"get": operation("Get", parameters)}})
    return connector.operation("Get").prepare(values)


ID = {"name": "id", "in": "path", "required": True, "type": "string"}


def test_path_values_are_percent_encoded(make_connector: PackageFactory) -> None:
    prepared = prepared_get(make_connector, [ID], {"id": "a b/c?d"})
    assert prepared.url == f"{BASE}/items/a%20b%2Fc%3Fd"


def test_double_url_encoding_encodes_twice(make_connector: PackageFactory) -> None:
    parameter = {**ID, "x-ms-url-encoding": "double"}
    prepared = prepared_get(make_connector, [parameter], {"id": "a/b"})
    assert prepared.url == f"{BASE}/items/a%252Fb"


@pytest.mark.parametrize(
    ("collection_format", "query"),
    [
        (None, "tag=a%2Cb"),
        ("csv", "tag=a%2Cb"),
        ("ssv", "tag=a%20b"),
        ("tsv", "tag=a%09b"),
        ("pipes", "tag=a%7Cb"),
        ("multi", "tag=a&tag=b"),
    ],
)
def test_query_arrays_follow_their_collection_format(
    make_connector: PackageFactory, collection_format: str | None, query: str
) -> None:
    tag: dict[str, Any] = {
        "name": "tag",
        "in": "query",
        "type": "array",
        "items": {"type": "string"},
    }
    if collection_format:
        tag["collectionFormat"] = collection_format
    prepared = prepared_get(make_connector, [ID, tag], {"id": "1", "tag": ["a", "b"]})
    assert prepared.url == f"{BASE}/items/1?{query}"


def test_query_values_keep_swagger_order_and_text_forms(make_connector: PackageFactory) -> None:
    parameters = [
        ID,
        {"name": "open", "in": "query", "type": "boolean"},
        {"name": "limit", "in": "query", "type": "integer", "default": 10},
        {"name": "q", "in": "query", "type": "string"},
    ]
    prepared = prepared_get(make_connector, parameters, {"id": "1", "open": False, "q": "x&y=z"})
    assert prepared.url == f"{BASE}/items/1?open=false&limit=10&q=x%26y%3Dz"


def test_header_parameters_are_sent_as_headers(make_connector: PackageFactory) -> None:
    parameters = [
        ID,
        {"name": "X-Trace", "in": "header", "type": "string"},
        {"name": "X-Ids", "in": "header", "type": "array", "items": {"type": "integer"}},
    ]
    prepared = prepared_get(
        make_connector, parameters, {"id": "1", "X-Trace": "t-1", "X-Ids": [1, 2]}
    )
    assert dict(prepared.headers) == {"X-Trace": "t-1", "X-Ids": "1,2"}
    assert prepared.body is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("smile \U0001f600", "'\U0001f600' (U+1F600)"),
        ("caf\u00e9 \u20ac", "'\u20ac' (U+20AC)"),
        ("two\nlines", "line break"),
        ("nul\x00", "'\\x00' (U+0000)"),
    ],
)
def test_a_header_value_http_cannot_carry_is_an_input_error(
    make_connector: PackageFactory, value: str, problem: str
) -> None:
    # http.client encodes header values as Latin-1 and raised UnicodeEncodeError (a traceback
    # in `call`); a line break would split the header.
    parameters = [ID, {"name": "X-Note", "in": "header", "type": "string"}]
    with pytest.raises(InputError) as caught:
        prepared_get(make_connector, parameters, {"id": "1", "X-Note": value})
    (found,) = caught.value.problems
    assert found.parameter == "X-Note"
    assert problem in found.message


def test_header_values_lose_surrounding_blanks_as_http_does(
    make_connector: PackageFactory,
) -> None:
    parameters = [ID, {"name": "X-Note", "in": "header", "type": "string"}]
    prepared = prepared_get(make_connector, parameters, {"id": "1", "X-Note": " caf\u00e9\t"})
    assert dict(prepared.headers) == {"X-Note": "caf\u00e9"}


def test_a_credential_http_cannot_carry_in_a_header_names_the_header_not_the_value(
    make_connector: PackageFactory,
) -> None:
    security = {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}}
    connector = make_connector(
        {"/x": {"get": operation("X")}},
        properties_document({"api_key": "securestring"}),
        security=security,
    )
    with pytest.raises(CallError) as caught:
        connector.operation("X").prepare({}, {"api_key": "k\u2013123"})
    assert "'X-Key'" in str(caught.value)
    assert "k\u2013123" not in str(caught.value)
    assert "\u2013" not in str(caught.value)


def test_json_body_with_the_first_consumed_media_type(make_connector: PackageFactory) -> None:
    body = {"name": "body", "in": "body", "required": True, "schema": {"type": "object"}}
    connector = make_connector(
        {
            "/items": {
                "post": operation(
                    "Create", [body], consumes=["application/vnd.example+json", "text/json"]
                )
            }
        }
    )
    prepared = connector.operation("Create").prepare({"body": {"name": "Zoë"}})
    assert prepared.method == "POST"
    assert prepared.url == f"{BASE}/items"
    assert dict(prepared.headers) == {"Content-Type": "application/vnd.example+json"}
    assert prepared.body is not None
    assert json.loads(prepared.body) == {"name": "Zoë"}


def test_form_data_is_url_encoded(make_connector: PackageFactory) -> None:
    form = [
        {"name": "a", "in": "formData", "type": "string"},
        {"name": "n", "in": "formData", "type": "integer"},
    ]
    connector = make_connector({"/form": {"post": operation("Form", form)}})
    prepared = connector.operation("Form").prepare({"a": "x y", "n": 3})
    assert dict(prepared.headers)["Content-Type"] == "application/x-www-form-urlencoded"
    assert prepared.body == b"a=x%20y&n=3"


def test_file_form_data_is_multipart(make_connector: PackageFactory) -> None:
    form = [
        {"name": "doc", "in": "formData", "type": "file", "required": True},
        {"name": "title", "in": "formData", "type": "string"},
    ]
    connector = make_connector({"/upload": {"post": operation("Upload", form)}})
    prepared = connector.operation("Upload").prepare({"doc": b"%PDF-1", "title": "T"})
    content_type = dict(prepared.headers)["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    assert prepared.body is not None
    assert b'name="doc"' in prepared.body
    assert b"%PDF-1" in prepared.body
    assert b'name="title"' in prepared.body


BASIC = {"basic": {"type": "basic"}}
BASIC_CONNECTION = {"username": "securestring", "password": "securestring"}


def test_basic_authentication_from_username_and_password(make_connector: PackageFactory) -> None:
    connector = make_connector(
        {"/x": {"get": operation("X")}}, properties_document(BASIC_CONNECTION), security=BASIC
    )
    prepared = connector.operation("X").prepare({}, {"username": "ann", "password": "pa:ss"})
    expected = base64.b64encode(b"ann:pa:ss").decode()
    assert dict(prepared.headers) == {"Authorization": f"Basic {expected}"}


def test_basic_authentication_without_password_names_it_but_no_value(
    make_connector: PackageFactory,
) -> None:
    connector = make_connector(
        {"/x": {"get": operation("X")}}, properties_document(BASIC_CONNECTION), security=BASIC
    )
    with pytest.raises(ConnectionParameterError) as caught:
        connector.operation("X").prepare({}, {"username": "ann-the-user"})
    assert caught.value.parameter == "password"
    assert "ann-the-user" not in str(caught.value)


@pytest.mark.parametrize(("where", "in_url"), [("header", False), ("query", True)])
def test_api_key_from_the_api_key_connection_parameter(
    make_connector: PackageFactory, where: str, in_url: bool
) -> None:
    security = {"key": {"type": "apiKey", "name": "X-Key", "in": where}}
    connector = make_connector(
        {"/x": {"get": operation("X")}},
        properties_document({"api_key": "securestring"}),
        security=security,
    )
    prepared = connector.operation("X").prepare({}, {"api_key": "k-123"})
    if in_url:
        assert prepared.url == f"{BASE}/x?X-Key=k-123"
        assert "k-123" not in prepared.redacted_url()
    else:
        assert dict(prepared.headers) == {"X-Key": "k-123"}
        assert dict(prepared.redacted_headers()) == {"X-Key": "***"}


def test_api_key_from_the_only_secret_parameter_of_another_name(
    make_connector: PackageFactory,
) -> None:
    security = {"key": {"type": "apiKey", "name": "Authorization", "in": "header"}}
    properties = properties_document({"siteHost": "string", "apiKey": "securestring"})
    connector = make_connector({"/x": {"get": operation("X")}}, properties, security=security)
    prepared = connector.operation("X").prepare({}, {"apiKey": "k-9", "siteHost": "h"})
    assert dict(prepared.headers) == {"Authorization": "k-9"}
    with pytest.raises(ConnectionParameterError, match="'apiKey'"):
        connector.operation("X").prepare({}, {"siteHost": "h"})


def test_security_requirement_picks_among_definitions(make_connector: PackageFactory) -> None:
    security = {
        "first": {"type": "apiKey", "name": "X-First", "in": "header"},
        "second": {"type": "basic"},
    }
    connector = make_connector(
        {"/x": {"get": operation("X", security=[{"second": []}])}, "/y": {"get": operation("Y")}},
        security=security,
    )
    assert "Authorization" in dict(
        connector.operation("X").prepare({}, {"username": "u", "password": "p"}).headers
    )
    assert "X-First" in dict(connector.operation("Y").prepare({}, {"api_key": "k"}).headers)


def test_undeclared_connection_parameter_is_refused(make_connector: PackageFactory) -> None:
    connector = make_connector(
        {"/x": {"get": operation("X")}}, properties_document({"host": "string"})
    )
    with pytest.raises(ConnectionParameterError) as caught:
        connector.operation("X").prepare({}, {"hots": "secret-looking"})
    assert caught.value.parameter == "hots"
    assert "declared: host" in str(caught.value)
    assert "secret-looking" not in str(caught.value)


def test_a_prepared_call_never_shows_credentials(make_connector: PackageFactory) -> None:
    connector = make_connector(
        {"/x": {"get": operation("X")}}, properties_document(BASIC_CONNECTION), security=BASIC
    )
    prepared = connector.operation("X").prepare({}, {"username": "ann", "password": "Pa55-word"})
    token = base64.b64encode(b"ann:Pa55-word").decode()
    shown = f"{prepared!r} {prepared!s} {prepared.redacted_headers()} {prepared.redacted_url()}"
    assert "Pa55-word" not in shown
    assert token not in shown
    assert dict(prepared.redacted_headers()) == {"Authorization": "Basic ***"}
    assert prepared.mask.json({"echo": [token, "Pa55-word", "ann:Pa55-word"]}) == {
        "echo": ["***", "***", "***"]
    }


def test_no_host_and_no_policy_is_a_package_error(make_connector: PackageFactory) -> None:
    connector = make_connector({"/x": {"get": operation("X")}}, host="")
    with pytest.raises(PackageError, match="no host"):
        connector.operation("X").prepare({})


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Authorization", "Basic ***"),
        ("Proxy-Authorization", "Basic ***"),
        ("Cookie", "***"),
        ("cookie", "***"),
    ],
)
def test_credential_headers_are_masked_whatever_their_value(name: str, shown: str) -> None:
    prepared = PreparedCall(
        "X", "GET", f"{BASE}/x", headers=((name, "Basic dXNlcjpwYXNz"),), body=None
    )
    assert prepared.redacted_headers() == [(name, shown)]


def test_a_header_named_secret_is_masked_whole_and_others_only_when_they_are_one() -> None:
    prepared = PreparedCall(
        "X",
        "GET",
        f"{BASE}/x",
        headers=(
            ("X-Key", "abc"),
            ("X-Echo", "Pa55"),
            ("X-Note", "the password is Pa55"),
        ),
        body=None,
        secrets=frozenset({"Pa55"}),
        secret_headers=frozenset({"x-key"}),
    )
    assert prepared.redacted_headers() == [
        ("X-Key", "***"),
        ("X-Echo", "***"),
        ("X-Note", "the password is Pa55"),
    ]


def test_header_lookup_ignores_case_and_query_lookup_does_not() -> None:
    draft = RequestDraft("GET", BASE, "/x", {}, query=[("limit", "5")])
    draft.set_header("Content-Type", "application/json")
    assert draft.header("content-type") == "application/json"
    draft.set_query("Limit", "7")
    assert draft.query == [("limit", "5"), ("Limit", "7")]
    assert draft.query_value("limit") == "5"
    assert draft.query_value("LIMIT") is None


def test_skip_sets_a_value_that_is_not_there_yet() -> None:
    draft = RequestDraft("GET", BASE, "/x", {})
    draft.set_header("X-Id", "1", "skip")
    draft.set_header("x-id", "2", "skip")
    assert draft.headers == [("X-Id", "1")]


def test_an_object_value_is_compact_json_text() -> None:
    assert text_of({"a": 1, "b": [True, None]}) == '{"a":1,"b":[true,null]}'


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("tab\tinside", False),
        ("y\u00ff", False),
        ("\x1f", True),
        ("\x7f", True),
        ("\u0100", True),
        ("carriage\rreturn", True),  # a line break, also a control character
    ],
)
def test_header_values_are_latin1_text_without_controls_other_than_tab(
    value: str, refused: bool
) -> None:
    assert (header_value_problem(value) is not None) is refused


@pytest.mark.parametrize(
    ("name", "value", "secrets"),
    [
        ("Cookie", "sid=S3CRET; theme=dark", set()),
        ("X-Pass", "correct horse", {"correct horse"}),
        ("Authorization", "correct horse", {"correct horse"}),
    ],
)
def test_the_first_word_of_a_secret_header_is_shown_only_as_an_auth_scheme(
    name: str, value: str, secrets: set[str]
) -> None:
    # Only "Basic ..." or "Bearer ..." of an Authorization header is a scheme; the first word
    # of a cookie or of a passphrase is part of the credential.
    prepared = PreparedCall(
        "X",
        "GET",
        f"{BASE}/x",
        headers=((name, value),),
        body=None,
        secrets=frozenset(secrets),
        secret_headers=frozenset({"x-pass"}),
    )
    assert prepared.redacted_headers() == [(name, "***")]


def test_multi_form_values_repeat_the_field(make_connector: PackageFactory) -> None:
    tags = {
        "name": "t",
        "in": "formData",
        "type": "array",
        "items": {"type": "string"},
        "collectionFormat": "multi",
    }
    connector = make_connector({"/form": {"post": operation("Form", [tags])}})
    assert connector.operation("Form").prepare({"t": ["a", "b c"]}).body == b"t=a&t=b%20c"


def test_a_file_is_sent_as_a_file_part_with_its_bytes(make_connector: PackageFactory) -> None:
    form = [{"name": "doc", "in": "formData", "type": "file", "required": True}]
    connector = make_connector({"/upload": {"post": operation("Upload", form)}})
    prepared = connector.operation("Upload").prepare({"doc": b"\xff\xfe raw"})
    assert prepared.body is not None
    assert b'name="doc"; filename="doc"' in prepared.body
    assert b"\xff\xfe raw" in prepared.body


def test_multipart_when_the_operation_consumes_it(make_connector: PackageFactory) -> None:
    form = [{"name": "a", "in": "formData", "type": "string"}]
    connector = make_connector(
        {"/form": {"post": operation("Form", form, consumes=["multipart/form-data"])}}
    )
    prepared = connector.operation("Form").prepare({"a": "x"})
    assert dict(prepared.headers)["Content-Type"].startswith("multipart/form-data; boundary=")


def test_a_null_body_sends_no_body(make_connector: PackageFactory) -> None:
    body = {"name": "body", "in": "body", "schema": {"type": "object", "x-nullable": True}}
    connector = make_connector({"/items": {"post": operation("Create", [body])}})
    prepared = connector.operation("Create").prepare({"body": None})
    assert prepared.body is None
    assert "Content-Type" not in dict(prepared.headers)


def test_text_bodies_are_sent_as_text_and_json_bodies_as_utf8_json(
    make_connector: PackageFactory,
) -> None:
    body = {"name": "body", "in": "body", "schema": {"type": "string"}}
    connector = make_connector(
        {
            "/text": {"post": operation("Text", [body], consumes=["text/plain"])},
            "/json": {"post": operation("Json", [body])},
        }
    )
    assert connector.operation("Text").prepare({"body": "Zoë"}).body == "Zoë".encode()
    assert connector.operation("Json").prepare({"body": "Zoë"}).body == '"Zoë"'.encode()


def test_a_declared_secure_parameter_is_hidden_even_in_a_custom_header(
    make_connector: PackageFactory,
) -> None:
    connector = make_connector(
        {"/x": {"get": operation("X")}},
        properties_document(
            {"signingKey": "securestring"},
            [policy("setheader", name="X-Sign", value="@connectionParameters('signingKey')")],
        ),
    )
    prepared = connector.operation("X").prepare({}, {"signingKey": "sk-1"})
    assert dict(prepared.redacted_headers()) == {"X-Sign": "***"}
    assert prepared.mask.is_secret("sk-1")


@pytest.mark.parametrize(
    ("properties", "name"),
    [
        (None, "ClientSecret"),  # undeclared: a name with "secret" in it
        (properties_document({"token": "string"}), "token"),  # a credential name, any type
        (properties_document({"password": "string"}), "password"),
    ],
)
def test_credential_connection_values_are_hidden_without_authentication(
    make_connector: PackageFactory, properties: dict[str, Any] | None, name: str
) -> None:
    connector = make_connector({"/x": {"get": operation("X")}}, properties)
    prepared = connector.operation("X").prepare({}, {name: "v-1"})
    assert prepared.mask.is_secret("v-1")
    assert not prepared.mask.is_secret("echo v-1")


def test_a_query_api_key_is_masked_in_its_url_encoded_form(
    make_connector: PackageFactory,
) -> None:
    security = {"key": {"type": "apiKey", "name": "key", "in": "query"}}
    connector = make_connector(
        {"/x": {"get": operation("X")}},
        properties_document({"api_key": "securestring"}),
        security=security,
    )
    prepared = connector.operation("X").prepare({}, {"api_key": "k/1 2"})
    assert prepared.url == f"{BASE}/x?key=k%2F1%202"
    assert prepared.redacted_url() == f"{BASE}/x?key=***"


def test_an_oauth_token_is_sent_as_bearer_and_hidden(make_connector: PackageFactory) -> None:
    security = {"oauth": {"type": "oauth2", "flow": "accessCode"}}
    connector = make_connector({"/x": {"get": operation("X")}}, security=security)
    prepared = connector.operation("X").prepare({}, {"token": "tok-1"})
    assert dict(prepared.headers) == {"Authorization": "Bearer tok-1"}
    assert prepared.mask.message("failed with 'tok-1'") == "failed with '***'"


@pytest.mark.parametrize(
    ("connection", "given", "expected"),
    [
        # api_key declared, though not as securestring: it still holds the key
        ({"api_key": "string", "pin": "securestring"}, {"api_key": "k", "pin": "p"}, "k"),
        # two other secrets: the runtime does not guess which one is the key
        ({"one": "securestring", "two": "securestring"}, {"one": "1", "two": "2"}, None),
    ],
)
def test_which_connection_parameter_holds_the_api_key(
    make_connector: PackageFactory,
    connection: dict[str, str],
    given: dict[str, str],
    expected: str | None,
) -> None:
    security = {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}}
    connector = make_connector(
        {"/x": {"get": operation("X")}}, properties_document(connection), security=security
    )
    if expected is None:
        with pytest.raises(ConnectionParameterError, match="'api_key'"):
            connector.operation("X").prepare({}, given)
    else:
        assert dict(connector.operation("X").prepare({}, given).headers) == {"X-Key": expected}


@pytest.mark.parametrize("value", ["carriage\rreturn", "line\nfeed"])
def test_a_line_break_in_a_header_value_is_named_as_such(value: str) -> None:
    assert "line break" in (header_value_problem(value) or "")


def test_bytes_and_booleans_inside_lists_keep_their_text_forms() -> None:
    assert text_of("Zoë".encode()) == "Zoë"
    assert text_of([True, False], "pipes") == "true|false"


def test_a_header_value_ending_in_a_line_break_is_refused_not_trimmed(
    make_connector: PackageFactory,
) -> None:
    parameter = {"name": "X-Note", "in": "header", "type": "string"}
    with pytest.raises(InputError, match="line break"):
        prepared_get(make_connector, [ID, parameter], {"id": "1", "X-Note": "v\r\n"})


def test_a_content_type_header_parameter_replaces_the_body_media_type(
    make_connector: PackageFactory,
) -> None:
    parameters = [
        {"name": "Content-Type", "in": "header", "type": "string"},
        {"name": "body", "in": "body", "schema": {"type": "object"}},
    ]
    connector = make_connector({"/x": {"post": operation("Post", parameters)}})
    prepared = connector.operation("Post").prepare(
        {"Content-Type": "application/merge-patch+json", "body": {"a": 1}}
    )
    assert dict(prepared.headers) == {"Content-Type": "application/merge-patch+json"}


def test_basic_credentials_are_encoded_as_utf8(make_connector: PackageFactory) -> None:
    connector = make_connector(
        {"/x": {"get": operation("X")}}, properties_document(BASIC_CONNECTION), security=BASIC
    )
    prepared = connector.operation("X").prepare({}, {"username": "zoë", "password": "pä"})
    expected = base64.b64encode("zoë:pä".encode()).decode()
    assert dict(prepared.headers) == {"Authorization": f"Basic {expected}"}


def test_the_repr_of_a_prepared_call_masks_a_query_api_key(make_connector: PackageFactory) -> None:
    security = {"key": {"type": "apiKey", "name": "key", "in": "query"}}
    connector = make_connector(
        {"/x": {"get": operation("X")}},
        properties_document({"api_key": "securestring"}),
        security=security,
    )
    prepared = connector.operation("X").prepare({}, {"api_key": "k-77"})
    assert "k-77" not in repr(prepared)
    assert repr(prepared) == f"PreparedCall('X', GET {BASE}/x?key=***)"


def test_a_first_word_that_is_no_auth_scheme_token_is_masked_too() -> None:
    prepared = PreparedCall(
        "X",
        "GET",
        f"{BASE}/x",
        headers=(("Authorization", "key=abc def"),),
        body=None,
    )
    assert prepared.redacted_headers() == [("Authorization", "***")]
