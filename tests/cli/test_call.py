"""`retarus-connector call`: exit codes, input and body handling, credentials kept out of output."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests_mock
from click.testing import CliRunner, Result

from retarus_connector.cli import main

SECRET = "Pa55-w0rd-Tr0ub4dor"
USER = "login-4711"
TOKEN = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
EU = "https://sms4a.eu.retarus.com/rest/v1"

JOB = {
    "type": "object",
    "required": ["jobId"],
    "properties": {"jobId": {"type": "string"}, "count": {"type": "integer"}},
}
ERROR = {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}


def swagger(host: str = "sms4a.eu.retarus.com", scheme: str = "https") -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": "Example", "version": "1.0"},
        "host": host,
        "basePath": "/rest/v1",
        "schemes": [scheme],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "securityDefinitions": {"basic": {"type": "basic"}},
        "paths": {
            "/jobs": {
                "post": {
                    "operationId": "SendJob",
                    "parameters": [{"name": "body", "in": "body", "required": True, "schema": JOB}],
                    "responses": {
                        "201": {"description": "created", "schema": JOB},
                        "400": {"description": "bad", "schema": ERROR},
                    },
                }
            },
            "/jobs/{jobId}": {
                "get": {
                    "operationId": "GetJob",
                    "parameters": [
                        {"name": "jobId", "in": "path", "required": True, "type": "string"},
                        {
                            "name": "dataCenter",
                            "in": "query",
                            "type": "string",
                            "enum": ["de1", "de2"],
                            "default": "de2",
                        },
                        {"name": "limit", "in": "query", "type": "integer", "maximum": 10},
                    ],
                    "responses": {
                        "200": {"description": "the job", "schema": JOB},
                        "404": {"description": "unknown", "schema": ERROR},
                    },
                }
            },
        },
    }


def properties(policies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "properties": {
            "connectionParameters": {
                "username": {"type": "securestring"},
                "password": {"type": "securestring"},
            },
            "policyTemplateInstances": policies
            if policies is not None
            else [
                {
                    "templateId": "dynamichosturl",
                    "title": "Data center",
                    "parameters": {
                        "x-ms-apimTemplateParameter.urlTemplate": "https://sms4a.@queryParameters('dataCenter','de2').retarus.com/rest/v1",
                        "x-ms-apimTemplate-operationName": ["GetJob"],
                    },
                }
            ],
        }
    }


def write(folder: Path, document: dict[str, Any], props: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(document), "utf-8")
    (folder / "apiProperties.json").write_text(json.dumps(props or properties()), "utf-8")
    return folder


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write(tmp_path / "package", swagger())


@pytest.fixture(autouse=True)
def no_outside_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETARUS_USERNAME", raising=False)
    monkeypatch.delenv("RETARUS_PASSWORD", raising=False)


@pytest.fixture
def mock() -> Iterator[requests_mock.Mocker]:
    with requests_mock.Mocker() as mocker:
        yield mocker


CREDENTIALS = ["--connection", f"username={USER}", "--connection", f"password={SECRET}"]


def call(
    package: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> Result:
    return CliRunner().invoke(
        main, ["call", "--package", str(package), *args], input=stdin, env=env
    )


def assert_no_secret(result: Result) -> None:
    for text in (result.stdout, result.stderr):
        assert SECRET not in text
        assert TOKEN not in text


def test_2xx_prints_the_body_and_exits_0(package: Path, mock: requests_mock.Mocker) -> None:
    mock.get(
        "https://sms4a.de2.retarus.com/rest/v1/jobs/J.1?dataCenter=de2",
        json={"jobId": "J.1", "count": 2},
    )
    result = call(package, "GetJob", "-p", "jobId=J.1", *CREDENTIALS)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"jobId": "J.1", "count": 2}
    assert result.stderr == ""
    assert mock.last_request is not None
    assert mock.last_request.headers["Authorization"] == f"Basic {TOKEN}"


def test_other_status_prints_the_body_and_exits_1(
    package: Path, mock: requests_mock.Mocker
) -> None:
    mock.get(
        "https://sms4a.de1.retarus.com/rest/v1/jobs/J.1?dataCenter=de1",
        status_code=404,
        json={"message": "unknown job"},
    )
    result = call(package, "GetJob", "-p", "jobId=J.1", "-p", "dataCenter=de1", *CREDENTIALS)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"message": "unknown job"}
    assert result.stderr == ""


def test_schema_violation_is_reported_with_its_pointer_and_exits_1(
    package: Path, mock: requests_mock.Mocker
) -> None:
    mock.post(f"{EU}/jobs", status_code=201, json={"jobId": "J.1", "count": "two"})
    result = call(package, "SendJob", "-p", 'body={"jobId": "x"}', *CREDENTIALS)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"jobId": "J.1", "count": "two"}
    assert "schema violation: response 201 at '/count'" in result.stderr


def test_undocumented_status_exits_1(package: Path, mock: requests_mock.Mocker) -> None:
    mock.post(f"{EU}/jobs", status_code=409, json={"message": "duplicate"})
    result = call(package, "SendJob", "-p", 'body={"jobId": "x"}', *CREDENTIALS)
    assert result.exit_code == 1
    assert "status 409 is not documented" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["-p", "jobId=J.1", "-p", "dataCenter=de3"],
            "parameter 'dataCenter': 'de3' is not one of",
        ),
        (
            ["-p", "jobId=J.1", "-p", "limit=many"],
            "parameter 'limit': expects an integer, got 'many'",
        ),
        (
            ["-p", "jobId=J.1", "-p", "limit=11"],
            "parameter 'limit': 11 is greater than the maximum of 10",
        ),
        (["-p", "jobid=J.1"], "parameter 'jobid': is not a parameter of operation 'GetJob'"),
        ([], "parameter 'jobId': is required"),
    ],
)
def test_bad_input_names_the_parameter_sends_nothing_and_exits_2(
    package: Path, mock: requests_mock.Mocker, args: list[str], fragment: str
) -> None:
    result = call(package, "GetJob", *args, *CREDENTIALS)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert "Nothing was sent." in result.stderr
    assert result.stdout == ""
    assert mock.call_count == 0


def test_a_header_http_cannot_carry_exits_2_naming_it(
    tmp_path: Path, mock: requests_mock.Mocker
) -> None:
    # http.client raised UnicodeEncodeError for a header value beyond Latin-1: a traceback.
    policy = {
        "templateId": "setheader",
        "parameters": {
            "x-ms-apimTemplateParameter.name": "X-Login",
            "x-ms-apimTemplateParameter.value": "@connectionParameters('username')",
        },
    }
    package = write(tmp_path / "package", swagger(), properties([policy]))
    login = "login\u20134711"
    result = call(
        package,
        "GetJob",
        "-p",
        "jobId=J.1",
        "--connection",
        f"username={login}",
        "--connection",
        f"password={SECRET}",
    )
    assert result.exit_code == 2, result.output
    assert "Error: header 'X-Login': " in result.stderr
    assert login not in result.stderr
    assert mock.call_count == 0
    assert_no_secret(result)


def test_body_from_a_file(package: Path, mock: requests_mock.Mocker, tmp_path: Path) -> None:
    mock.post(f"{EU}/jobs", status_code=201, json={"jobId": "J.2"})
    body = tmp_path / "job.json"
    body.write_text('{"jobId": "from-file"}', "utf-8")
    result = call(package, "SendJob", "--body", str(body), *CREDENTIALS)
    assert result.exit_code == 0, result.stderr
    assert mock.last_request is not None
    assert mock.last_request.json() == {"jobId": "from-file"}


def test_body_from_standard_input(package: Path, mock: requests_mock.Mocker) -> None:
    mock.post(f"{EU}/jobs", status_code=201, json={"jobId": "J.3"})
    result = call(package, "SendJob", "--body", "-", *CREDENTIALS, stdin='{"jobId": "from-stdin"}')
    assert result.exit_code == 0, result.stderr
    assert mock.last_request is not None
    assert mock.last_request.json() == {"jobId": "from-stdin"}


def test_body_that_breaks_its_schema_is_not_sent(package: Path, mock: requests_mock.Mocker) -> None:
    result = call(package, "SendJob", "--body", "-", *CREDENTIALS, stdin='{"count": "x"}')
    assert result.exit_code == 2
    assert "parameter 'body': 'jobId' is a required property" in result.stderr
    assert "parameter 'body/count': 'x' is not of type 'integer'" in result.stderr
    assert mock.call_count == 0


@pytest.mark.parametrize(
    ("operation", "args", "stdin", "fragment"),
    [
        ("SendJob", ["--body", "-"], "{not json", "--body standard input: not valid JSON"),
        ("SendJob", ["--body", "missing.json"], None, "missing.json"),
        (
            "GetJob",
            ["-p", "jobId=1", "--body", "-"],
            "{}",
            "operation 'GetJob' takes no request body",
        ),
        ("SendJob", ["-p", "body={}", "--body", "-"], "{}", "the body was given twice"),
    ],
)
def test_body_mistakes_exit_2(
    package: Path,
    mock: requests_mock.Mocker,
    operation: str,
    args: list[str],
    stdin: str | None,
    fragment: str,
) -> None:
    result = call(package, operation, *args, *CREDENTIALS, stdin=stdin)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert mock.call_count == 0


def test_unknown_operation_suggests_and_exits_2(package: Path) -> None:
    result = call(package, "getjob")
    assert result.exit_code == 2
    assert "no operation has operationId 'getjob'; did you mean GetJob?" in result.stderr


def test_missing_package_exits_2(tmp_path: Path) -> None:
    result = call(tmp_path / "nowhere", "GetJob")
    assert result.exit_code == 2
    assert "apiDefinition.swagger.json: not found" in result.stderr


def test_malformed_options_exit_2_without_echoing_connection_values(package: Path) -> None:
    result = call(package, "GetJob", "--connection", SECRET)
    assert result.exit_code == 2
    assert "expects NAME=VALUE" in result.stderr
    assert_no_secret(result)
    assert call(package, "GetJob", "-p", "jobId").exit_code == 2


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_failure_exits_2(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "local",
        swagger(host=f"127.0.0.1:{_closed_port()}", scheme="http"),
        properties([]),
    )
    result = call(folder, "GetJob", "-p", "jobId=J.1", "--timeout", "5", *CREDENTIALS)
    assert result.exit_code == 2
    assert "Error: GET http://127.0.0.1:" in result.stderr
    assert result.stdout == ""
    assert_no_secret(result)


def test_credentials_from_the_environment(package: Path, mock: requests_mock.Mocker) -> None:
    mock.get("https://sms4a.de2.retarus.com/rest/v1/jobs/J.1?dataCenter=de2", json={"jobId": "J.1"})
    env = {"RETARUS_USERNAME": USER, "RETARUS_PASSWORD": SECRET}
    result = call(package, "GetJob", "-p", "jobId=J.1", env=env)
    assert result.exit_code == 0, result.stderr
    assert mock.last_request is not None
    assert mock.last_request.headers["Authorization"] == f"Basic {TOKEN}"
    # --connection wins over the environment.
    result = call(package, "GetJob", "-p", "jobId=J.1", "--connection", "password=other", env=env)
    assert (
        mock.last_request.headers["Authorization"]
        == "Basic " + base64.b64encode(f"{USER}:other".encode()).decode()
    )


def test_missing_credentials_exit_2_naming_the_parameter(
    package: Path, mock: requests_mock.Mocker
) -> None:
    result = call(package, "GetJob", "-p", "jobId=J.1", "--connection", f"username={USER}")
    assert result.exit_code == 2
    assert "connection parameter 'password': needed for basic authentication" in result.stderr
    assert mock.call_count == 0


def test_verbose_shows_the_request_with_authorization_redacted(
    package: Path, mock: requests_mock.Mocker
) -> None:
    mock.get(
        "https://sms4a.de2.retarus.com/rest/v1/jobs/J.1?dataCenter=de2",
        json={"jobId": "J.1"},
        reason="OK",
    )
    result = call(package, "GetJob", "-p", "jobId=J.1", "--verbose", *CREDENTIALS)
    assert result.exit_code == 0, result.stderr
    assert "> GET https://sms4a.de2.retarus.com/rest/v1/jobs/J.1?dataCenter=de2" in result.stderr
    assert "> Authorization: Basic ***" in result.stderr
    assert "< 200 OK" in result.stderr
    assert_no_secret(result)


@pytest.mark.parametrize(
    "scenario",
    [
        "success",
        "server-error-echoing-credentials",
        "schema-violation",
        "bad-input",
        "missing-username",
        "refused",
    ],
)
def test_the_password_never_reaches_the_terminal(
    package: Path, mock: requests_mock.Mocker, tmp_path: Path, scenario: str
) -> None:
    url = "https://sms4a.de2.retarus.com/rest/v1/jobs/J.1?dataCenter=de2"
    args = ["GetJob", "-p", "jobId=J.1", "--verbose"]
    connection = list(CREDENTIALS)
    folder = package
    if scenario == "success":
        mock.get(url, json={"jobId": "J.1"})
    elif scenario == "server-error-echoing-credentials":
        mock.get(
            url,
            status_code=500,
            json={
                "password": SECRET,
                "login": f"{USER}:{SECRET}",
                "token": TOKEN,
                "authorization": f"Basic {TOKEN}",
            },
            headers={"X-Echo": TOKEN, "X-Auth": f"Basic {TOKEN}"},
        )
    elif scenario == "schema-violation":
        mock.get(url, json={"jobId": SECRET, "count": SECRET})
    elif scenario == "bad-input":
        args += ["-p", f"limit={SECRET}"]
    elif scenario == "missing-username":
        connection = ["--connection", f"password={SECRET}"]
    else:
        folder = write(
            tmp_path / "local",
            swagger(host=f"127.0.0.1:{_closed_port()}", scheme="http"),
            properties([]),
        )
    result = call(folder, *args, *connection)
    assert result.exit_code in (0, 1, 2)
    assert_no_secret(result)
    assert result.stdout or result.stderr  # something was said, and it was checked


def test_simulator_url_maps_the_retarus_hosts(package: Path, mock: requests_mock.Mocker) -> None:
    mock.get("http://127.0.0.1:8080/de1/rest/v1/jobs/J.1?dataCenter=de1", json={"jobId": "J.1"})
    mock.post("http://127.0.0.1:8080/rest/v1/jobs", status_code=201, json={"jobId": "J.9"})
    result = call(
        package,
        "GetJob",
        "-p",
        "jobId=J.1",
        "-p",
        "dataCenter=de1",
        "--simulator",
        "http://127.0.0.1:8080",
        *CREDENTIALS,
    )
    assert result.exit_code == 0, result.stderr
    result = call(
        package,
        "SendJob",
        "-p",
        'body={"jobId": "x"}',
        "--simulator",
        "http://127.0.0.1:8080/",
        *CREDENTIALS,
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"jobId": "J.9"}
    assert mock.call_count == 2


def test_bad_simulator_url_exits_2(package: Path, mock: requests_mock.Mocker) -> None:
    result = call(
        package, "GetJob", "-p", "jobId=J.1", "--simulator", "localhost:8080", *CREDENTIALS
    )
    assert result.exit_code == 2
    assert "--simulator" in result.stderr
    assert mock.call_count == 0


def test_unsupported_policy_is_a_warning(tmp_path: Path, mock: requests_mock.Mocker) -> None:
    policies = [{"templateId": "setproperty", "title": "Stamp", "parameters": {}}]
    folder = write(tmp_path / "p", swagger(), properties(policies))
    mock.post(f"{EU}/jobs", status_code=201, json={"jobId": "J.1"})
    result = call(folder, "SendJob", "-p", 'body={"jobId": "x"}', *CREDENTIALS)
    assert result.exit_code == 0
    assert (
        "warning: 'Stamp' (setproperty): template 'setproperty' is not supported" in result.stderr
    )


def test_call_is_listed_in_the_command_group() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "call" in result.stdout


def _echo(mock: requests_mock.Mocker, **kwargs: Any) -> None:
    mock.get("https://sms4a.de2.retarus.com/rest/v1/jobs/J.1?dataCenter=de2", **kwargs)


def _login(user: str, password: str) -> list[str]:
    return ["--connection", f"username={user}", "--connection", f"password={password}"]


@pytest.mark.parametrize(
    "password",
    ["e", "L0ng-" + "x7Qz" * 60, 'pa"ss\\word', "pässwört-✓-𝄞"],
    ids=["one-letter", "long", "json-special", "unicode"],
)
def test_the_body_is_exact_except_for_values_that_are_credentials(
    package: Path, mock: requests_mock.Mocker, password: str
) -> None:
    token = base64.b64encode(f"demo:{password}".encode()).decode()
    body = {
        "jobId": "J.1",
        "customerRef": "order-demo-1",
        "buildNumber": "2025.1-beta",
        "note": f"the password is {password}",
        "echo": {"user": "demo", "password": password, "auth": f"Basic {token}"},
    }
    _echo(mock, json=body)
    result = call(package, "GetJob", "-p", "jobId=J.1", *_login("demo", password))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        **body,
        "echo": {"user": "***", "password": "***", "auth": "***"},
    }


def test_a_one_letter_password_does_not_show_where_it_occurs(
    package: Path, mock: requests_mock.Mocker
) -> None:
    # Masking text replaced every "e" with stars: "buildNumb***r" told the password.
    body = {"jobId": "J.1", "buildNumber": "release", "href": "https://example.test/e"}
    _echo(mock, json=body, headers={"X-Served-By": "edge-e1"})
    result = call(package, "GetJob", "-p", "jobId=J.1", "-v", *_login("login-4711", "e"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {**body, "href": "https://example.test/e"}
    assert "*" not in result.stdout
    assert "< X-Served-By: edge-e1" in result.stderr
    assert "> Authorization: Basic ***" in result.stderr


@pytest.mark.parametrize(
    ("text", "shown"),
    [(SECRET, "***"), (f"{SECRET}\n", "***"), (f"denied for {SECRET}", f"denied for {SECRET}")],
)
def test_a_text_body_equal_to_a_credential_is_masked_and_any_other_left_exact(
    package: Path, mock: requests_mock.Mocker, text: str, shown: str
) -> None:
    _echo(mock, status_code=404, text=text, headers={"Content-Type": "text/plain"})
    result = call(package, "GetJob", "-p", "jobId=J.1", *CREDENTIALS)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == shown


def test_verbose_masks_credential_headers_of_the_response(
    package: Path, mock: requests_mock.Mocker
) -> None:
    _echo(
        mock,
        json={"jobId": "J.1"},
        headers={"Set-Cookie": "sid=abc", "X-Echo": TOKEN, "X-Request": "order-login-4711"},
    )
    result = call(package, "GetJob", "-p", "jobId=J.1", "-v", *CREDENTIALS)
    assert result.exit_code == 0, result.stderr
    assert "< Set-Cookie: ***" in result.stderr
    assert "< X-Echo: ***" in result.stderr
    assert "< X-Request: order-login-4711" in result.stderr


@pytest.mark.parametrize(
    ("env", "connection", "source", "problem"),
    [
        ({"RETARUS_PASSWORD": "pw\udcff"}, [], "environment variable RETARUS_PASSWORD", "UTF-8"),
        ({"RETARUS_PASSWORD": ""}, [], "environment variable RETARUS_PASSWORD", "is empty"),
        ({"RETARUS_USERNAME": "lo\x1bgin"}, [], "environment variable RETARUS_USERNAME", "control"),
        ({}, ["password="], "'--connection'", "'password' is empty"),
        ({}, ["password=pw\tx"], "'--connection'", "control character"),
        ({}, ["password=pw\udcff"], "'--connection'", "UTF-8"),
        ({}, ["password=pw\u0085"], "'--connection'", "control character"),  # C1 (NEL)
    ],
)
def test_credentials_no_request_can_carry_are_usage_errors_naming_their_source(
    package: Path,
    mock: requests_mock.Mocker,
    env: dict[str, str],
    connection: list[str],
    source: str,
    problem: str,
) -> None:
    environment = {"RETARUS_USERNAME": USER, "RETARUS_PASSWORD": SECRET, **env}
    args = [arg for value in connection for arg in ("--connection", value)]
    result = call(package, "GetJob", "-p", "jobId=J.1", *args, env=environment)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert f"Invalid value for {source}" in result.stderr
    assert problem in result.stderr
    for value in [*env.values(), *connection]:
        shown = value.partition("=")[2] if "=" in value else value
        if shown:
            assert shown not in result.stderr
    assert mock.call_count == 0


def test_an_unused_environment_credential_is_not_checked(
    package: Path, mock: requests_mock.Mocker
) -> None:
    _echo(mock, json={"jobId": "J.1"})
    env = {"RETARUS_USERNAME": USER, "RETARUS_PASSWORD": ""}
    result = call(package, "GetJob", "-p", "jobId=J.1", "--connection", "password=pw", env=env)
    assert result.exit_code == 0, result.stderr


def test_a_non_utf8_password_from_a_real_environment_exits_2(package: Path) -> None:
    # The shell's RETARUS_PASSWORD=$'pw\xff': bytes that are not UTF-8, as a process gets them.
    script = Path(sys.executable).with_name("retarus-connector")
    environment = {
        key.encode(): value.encode("utf-8", "surrogateescape")
        for key, value in os.environ.items()
        if key not in {"RETARUS_USERNAME", "RETARUS_PASSWORD"}
    }
    environment[b"RETARUS_USERNAME"] = b"demo"
    environment[b"RETARUS_PASSWORD"] = b"pw\xff"
    done = subprocess.run(
        [str(script), "call", "GetJob", "--package", str(package), "-p", "jobId=J.1"],
        env=environment,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"environment variable RETARUS_PASSWORD" in done.stderr
    assert b"pw" not in done.stderr.replace(b"password", b"")


# --------------------------------------------------------------------------- custom code


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """The connector package generated from the models, with its custom code."""
    from retarus_connector.files.package import build

    folder = tmp_path / "generated"
    build(folder)
    return folder


def _drop_data_center_enum(folder: Path) -> None:
    """Treat the package as a gateway would that does not enforce enums at run time."""
    path = folder / "apiDefinition.swagger.json"
    document = json.loads(path.read_text("utf-8"))
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "dataCenter":
                    del parameter["enum"], parameter["x-ms-enum-values"]
    path.write_text(json.dumps(document), "utf-8")


def test_reads_reach_the_data_center_the_custom_code_picks(
    generated: Path, retarus_simulator: Any
) -> None:
    login = [
        "--connection",
        f"username={retarus_simulator.username}",
        "--connection",
        f"password={retarus_simulator.password}",
    ]
    body = '{"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000000"}]}]}'
    sent = call(generated, "SendSmsJob", "-p", f"body={body}", *login)
    assert sent.exit_code == 0, sent.stderr
    job_id = json.loads(sent.stdout)["jobId"]
    home = retarus_simulator.find_job(job_id).datacenter
    other = {"de1": "de2", "de2": "de1"}[home]
    found = call(
        generated, "GetJobStatus", "-p", f"jobId={job_id}", "-p", f"dataCenter={home}", "-v", *login
    )
    assert found.exit_code == 0, found.stderr
    assert f"> GET https://sms4a.{home}.retarus.com/rest/v1/jobs/" in found.stderr
    assert "script.csx" not in found.stderr  # the stand-in ran: no notice
    missing = call(
        generated, "GetJobStatus", "-p", f"jobId={job_id}", "-p", f"dataCenter={other}", *login
    )
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)["code"] == 404


@pytest.mark.parametrize("value", ["x@attacker.example:443/", "attacker.example/", "DE2"])
def test_a_data_center_outside_the_table_sends_nothing(
    generated: Path, retarus_simulator: Any, value: str
) -> None:
    # the runtime refuses the value as an input already ...
    refused = call(generated, "GetVersionInfo", "-p", f"dataCenter={value}", *CREDENTIALS)
    assert refused.exit_code == 2
    assert "Nothing was sent." in refused.stderr
    # ... and without the enum, the custom code refuses it as the gateway would run it
    _drop_data_center_enum(generated)
    before = len(retarus_simulator.mocker.request_history)
    answered = call(generated, "GetVersionInfo", "-p", f"dataCenter={value}", "-v", *CREDENTIALS)
    assert answered.exit_code == 1
    assert json.loads(answered.stdout) == {
        "message": "Data Center must be de1 or de2; nothing was sent.",
        "code": 400,
    }
    assert "answered by the connector's custom code; nothing is sent" in answered.stderr
    assert len(retarus_simulator.mocker.request_history) == before
    assert_no_secret(answered)


def test_an_edited_script_is_reported_not_played(
    generated: Path, mock: requests_mock.Mocker
) -> None:
    script = generated / "script.csx"
    script.write_text(script.read_text("utf-8").replace("de1", "de3"), "utf-8")
    mock.get(f"{EU}/version", json={"version": "1"})
    result = call(generated, "GetVersionInfo", *CREDENTIALS)
    assert "warning: script.csx: the package's custom code cannot run locally" in result.stderr
    # the reads then go to the swagger's own host, never to one a value chose
    assert mock.request_history[0].url == f"{EU}/version"
