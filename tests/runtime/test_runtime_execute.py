"""Sending: what goes over the wire, host overrides, transport failures, the call result."""

from __future__ import annotations

import base64
import socket
from pathlib import Path
from typing import Any

import pytest
import requests
import requests_mock
from runtime_packages import (
    BASE,
    HOST,
    PackageFactory,
    operation,
    policy,
    properties_document,
    swagger_document,
    write_package,
)

from retarus_connector.runtime import Connector, InputError, TransportError
from retarus_connector.runtime.execute import rewrite_host

JOB = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "count": {"type": "integer"}},
}
PATHS: dict[str, Any] = {
    "/jobs": {
        "post": operation(
            "CreateJob",
            [
                {"name": "body", "in": "body", "required": True, "schema": JOB},
                {"name": "dryRun", "in": "query", "type": "boolean", "default": False},
            ],
            {
                "201": {"description": "created", "schema": JOB},
                "400": {
                    "description": "bad",
                    "schema": {"type": "object", "required": ["message"]},
                },
            },
        )
    },
    "/jobs/{id}": {
        "get": operation(
            "GetJob",
            [
                {"name": "id", "in": "path", "required": True, "type": "string"},
                {"name": "dc", "in": "query", "type": "string", "enum": ["a", "b"], "default": "a"},
            ],
            {"200": {"description": "the job", "schema": JOB}, "default": {"description": "error"}},
        )
    },
}
SECRET = "Sup3r-Secret!"


@pytest.fixture
def connector(make_connector: PackageFactory) -> Connector:
    return make_connector(
        PATHS,
        properties_document(
            {"username": "securestring", "password": "securestring"},
            [
                policy(
                    "dynamichosturl",
                    ["GetJob"],
                    urlTemplate="https://@queryParameters('dc').example.test/v1",
                )
            ],
        ),
        security={"basic": {"type": "basic"}},
    )


CONNECTION = {"username": "ann", "password": SECRET}


def test_the_request_sent_is_the_one_the_swagger_describes(
    connector: Connector, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    mock.post(f"{BASE}/jobs", status_code=201, json={"id": "J1", "count": 1})
    result = connector.operation("CreateJob").call(
        {"body": {"id": "x"}}, CONNECTION, session=session
    )
    sent = mock.request_history[0]
    assert (sent.method, sent.url) == ("POST", f"{BASE}/jobs?dryRun=false")
    assert sent.json() == {"id": "x"}
    assert sent.headers["Content-Type"] == "application/json"
    assert (
        sent.headers["Authorization"]
        == "Basic " + base64.b64encode(f"ann:{SECRET}".encode()).decode()
    )
    assert (result.status, result.body, result.body_is_json) == (
        201,
        {"id": "J1", "count": 1},
        True,
    )
    assert result.ok
    assert result.valid


def test_a_response_breaking_its_schema_is_reported_not_raised(
    connector: Connector, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    mock.post(f"{BASE}/jobs", status_code=201, json={"count": "one"})
    result = connector.operation("CreateJob").call(
        {"body": {"id": "x"}}, CONNECTION, session=session
    )
    assert result.ok
    assert not result.valid
    assert [p.pointer for p in result.problems] == ["", "/count"]


def test_an_error_status_is_a_result_with_its_body(
    connector: Connector, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    mock.post(f"{BASE}/jobs", status_code=400, json={"message": "bad", "code": 1})
    result = connector.operation("CreateJob").call(
        {"body": {"id": "x"}}, CONNECTION, session=session
    )
    assert not result.ok
    assert result.valid
    assert result.body == {"message": "bad", "code": 1}


def test_a_text_body_is_kept_as_text(
    connector: Connector, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    mock.get(
        "https://a.example.test/v1/jobs/7?dc=a",
        status_code=502,
        text="Bad gateway",
        headers={"Content-Type": "text/plain"},
    )
    result = connector.operation("GetJob").call({"id": "7"}, CONNECTION, session=session)
    assert (result.status, result.body, result.body_is_json, result.valid) == (
        502,
        "Bad gateway",
        False,
        True,
    )


def test_nothing_is_sent_when_inputs_do_not_fit(
    connector: Connector, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    with pytest.raises(InputError):
        connector.operation("GetJob").call({"id": "7", "dc": "z"}, CONNECTION, session=session)
    assert mock.call_count == 0


def test_host_overrides_redirect_after_policies(
    connector: Connector, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    overrides = {"b.example.test": "http://127.0.0.1:9/b", HOST: "http://127.0.0.1:9"}
    mock.get("http://127.0.0.1:9/b/v1/jobs/7?dc=b", json={"id": "7"})
    mock.post("http://127.0.0.1:9/v1/jobs?dryRun=true", status_code=201, json={"id": "8"})
    get_job = connector.operation("GetJob")
    assert get_job.call(
        {"id": "7", "dc": "b"}, CONNECTION, session=session, host_overrides=overrides
    ).body == {"id": "7"}
    create = connector.operation("CreateJob")
    result = create.call(
        {"body": {"id": "8"}, "dryRun": True}, CONNECTION, session=session, host_overrides=overrides
    )
    assert result.request.url == "http://127.0.0.1:9/v1/jobs?dryRun=true"
    assert mock.call_count == 2


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.example.test/v1/x?q=1", "http://127.0.0.1:8080/sim/v1/x?q=1"),
        ("https://API.example.test:443/v1", "http://127.0.0.1:8080/sim/v1"),
        ("https://other.example.test/v1", "https://other.example.test/v1"),
    ],
)
def test_rewrite_host(url: str, expected: str) -> None:
    assert rewrite_host(url, {"api.example.test": "http://127.0.0.1:8080/sim/"}) == expected


def _closed_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused_is_a_transport_error_without_secrets(
    make_connector: PackageFactory,
) -> None:
    connector = make_connector(
        PATHS,
        properties_document({"api_key": "securestring"}),
        security={"key": {"type": "apiKey", "name": "key", "in": "query"}},
    )
    port = _closed_loopback_port()
    with pytest.raises(TransportError) as caught:
        connector.operation("GetJob").call(
            {"id": "7"},
            {"api_key": SECRET},
            host_overrides={HOST: f"http://127.0.0.1:{port}"},
            timeout=5,
        )
    message = str(caught.value)
    assert f"GET http://127.0.0.1:{port}/v1/jobs/7" in message
    assert SECRET not in message
    assert "Sup3r-Secret%21" not in message


def test_a_timeout_is_a_transport_error(
    connector: Connector, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    mock.get("https://a.example.test/v1/jobs/7?dc=a", exc=requests.exceptions.ConnectTimeout)
    with pytest.raises(TransportError, match="no response within 2 seconds"):
        connector.operation("GetJob").call({"id": "7"}, CONNECTION, session=session, timeout=2)


@pytest.mark.parametrize("own_session", [False, True])
def test_a_netrc_file_never_replaces_or_adds_credentials(
    connector: Connector,
    mock: requests_mock.Mocker,
    session: requests.Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    own_session: bool,
) -> None:
    # requests lets ~/.netrc override an Authorization header set by hand and adds it where
    # there is none; the gateway sends the connection's credentials and nothing else.
    netrc = tmp_path / "netrc"
    netrc.write_text("default login intruder password leaked-from-netrc\n", "utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    mock.post(f"{BASE}/jobs", status_code=201, json={"id": "J1"})
    chosen = None if own_session else session
    connector.operation("CreateJob").call({"body": {"id": "x"}}, CONNECTION, session=chosen)
    expected = "Basic " + base64.b64encode(f"ann:{SECRET}".encode()).decode()
    assert mock.request_history[-1].headers["Authorization"] == expected

    anonymous = make_anonymous(tmp_path)
    mock.get("https://open.example.test/v1/ping", json={})
    anonymous.operation("Ping").call({}, {}, session=chosen)
    assert "Authorization" not in mock.request_history[-1].headers


def make_anonymous(tmp_path: Path) -> Connector:
    document = swagger_document({"/ping": {"get": operation("Ping")}}, host="open.example.test")
    return Connector.load(write_package(tmp_path / "anonymous", document, None))


def test_a_transport_error_leaves_the_query_out_of_the_url(
    connector: Connector, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    mock.get("https://b.example.test/v1/jobs/7?dc=b", exc=requests.exceptions.ConnectionError)
    with pytest.raises(TransportError) as caught:
        connector.operation("GetJob").call({"id": "7", "dc": "b"}, CONNECTION, session=session)
    assert str(caught.value).startswith("GET https://b.example.test/v1/jobs/7: ConnectionError")
    assert "dc=b" not in str(caught.value)


@pytest.mark.parametrize(("status", "ok"), [(199, False), (200, True), (299, True), (300, False)])
def test_ok_means_a_2xx_status(
    connector: Connector,
    mock: requests_mock.Mocker,
    session: requests.Session,
    status: int,
    ok: bool,
) -> None:
    mock.get("https://a.example.test/v1/jobs/7?dc=a", status_code=status, json={"id": "7"})
    result = connector.operation("GetJob").call({"id": "7"}, CONNECTION, session=session)
    assert result.status == status
    assert result.ok is ok
