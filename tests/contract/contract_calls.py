"""Calls through the runtime that the contract tests make the same way.

Every response is held to the swagger twice: its body must validate against the schema for
its status (the runtime's `problems`), and its status must be listed under the operation's
`responses` by number. The swagger's `default` response (no schema) would cover any status, so
leaning on it would hide a status the simulator can give but the connector never describes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from retarus_connector.runtime import CallResult, Connector, PreparedCall
from retarus_connector.simulator.mock import MockedSimulator

WRONG_PASSWORD = "not-the-password"
PLAIN_NUMBER = "+4917600000000"


def job_body(*numbers: str, text: str = "Hello from the contract tests", **options: Any) -> Any:
    """A JobRequest with one message to `numbers` (one plain number when none are given)."""
    recipients = [{"dst": number} for number in numbers or (PLAIN_NUMBER,)]
    body: dict[str, Any] = {"messages": [{"text": text, "recipients": recipients}]}
    if options:
        body["options"] = options
    return body


def wrong_login(login: Mapping[str, str]) -> dict[str, str]:
    return {**login, "password": WRONG_PASSWORD}


def assert_documented(connector: Connector, operation_id: str, status: int) -> None:
    documented = connector.operation(operation_id).documented_statuses()
    assert str(status) in documented, (
        f"{operation_id} answered {status}, which its responses do not list by number "
        f"(listed: {', '.join(documented)})"
    )


def assert_keeps_contract(connector: Connector, operation_id: str, result: CallResult) -> None:
    assert result.problems == (), [str(problem) for problem in result.problems]
    assert result.body_is_json, result.body
    assert_documented(connector, operation_id, result.status)


def call(
    connector: Connector,
    operation_id: str,
    inputs: Mapping[str, Any],
    connection: Mapping[str, str],
    host_overrides: Mapping[str, str] | None = None,
) -> CallResult:
    """Call an operation through the runtime and check the response against the swagger."""
    result = connector.operation(operation_id).call(
        inputs, connection, host_overrides=host_overrides
    )
    assert_keeps_contract(connector, operation_id, result)
    return result


def send(
    connector: Connector,
    login: Mapping[str, str],
    body: Any,
    host_overrides: Mapping[str, str] | None = None,
) -> str:
    """Send a job that must be accepted; returns its job ID."""
    result = call(connector, "SendSmsJob", {"body": body}, login, host_overrides)
    assert result.status == 201, result.body
    job_id = result.body["jobId"]
    assert isinstance(job_id, str)
    return job_id


def home_of(simulator: MockedSimulator, job_id: str) -> str:
    """The data center that accepted a job (the simulator knows; a flow has to ask)."""
    job = simulator.find_job(job_id)
    assert job is not None, job_id
    return job.datacenter


def host_of(result: CallResult) -> str:
    return urlsplit(result.request.url).hostname or ""


@dataclass(frozen=True)
class Attempt:
    """One read of the fallback: the URL the custom code sent it to and what came back."""

    url: str
    status: int


def read_with_fallback(
    connector: Connector,
    operation_id: str,
    inputs: Mapping[str, Any],
    connection: Mapping[str, str],
    host_overrides: Mapping[str, str] | None = None,
) -> tuple[CallResult, tuple[Attempt, ...]]:
    """The flow the connector readme describes: the Data Center parameter left at its default (de2), and
    the same read with de1 only when that answers 404; any other answer is final."""
    first = call(connector, operation_id, inputs, connection, host_overrides)
    attempts = [Attempt(first.request.url, first.status)]
    if first.status != 404:
        return first, tuple(attempts)
    retry = {**inputs, "dataCenter": "de1"}
    second = call(connector, operation_id, retry, connection, host_overrides)
    attempts.append(Attempt(second.request.url, second.status))
    return second, tuple(attempts)


def read(
    connector: Connector, operation_id: str, inputs: Mapping[str, Any], login: Mapping[str, str]
) -> Any:
    """The body of a read that must succeed in one of the data centers."""
    result, _ = read_with_fallback(connector, operation_id, inputs, login)
    assert result.status == 200, result.body
    return result.body


def send_raw(
    prepared: PreparedCall, *, url: str | None = None, body: bytes | None = None
) -> requests.Response:
    """Send what the runtime prepared, with its URL or body replaced: for requests the swagger
    keeps out, which the runtime therefore refuses to send itself."""
    return requests.request(
        prepared.method,
        url or prepared.url,
        headers=dict(prepared.headers),
        data=prepared.body if body is None else body,
        timeout=10,
    )
