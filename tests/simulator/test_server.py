"""The real HTTP server on a free loopback port: talk to it over sockets, then stop it."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.clock import ManualClock
from retarus_connector.simulator.server import SimulatorServer
from retarus_connector.simulator.state import SimulatorState

AUTH = {"Authorization": "Basic " + base64.b64encode(b"demo:demo").decode()}


def request(
    server: SimulatorServer,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        payload = None if body is None else json.dumps(body)
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), json.loads(data) if data else None
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_server_serves_all_sites_over_sockets_and_stops() -> None:
    clock = ManualClock()
    port = free_port()
    server = SimulatorServer(SimulatorApp(SimulatorState(clock=clock, seed=1)), "127.0.0.1", port)
    server.start()
    try:
        assert server.url == f"http://127.0.0.1:{port}"
        status, headers, body = request(server, "GET", "/rest/v1/version")
        assert status == 200
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert set(body) >= {"buildNumber", "majorVersion", "minorVersion", "versionInfo"}

        job = {"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000001"}]}]}
        status, _, body = request(server, "POST", "/de2/rest/v1/jobs", job, AUTH)
        assert status == 201
        job_id = body["jobId"]
        assert request(server, "GET", f"/de2/rest/v1/jobs/{job_id}", headers=AUTH)[0] == 200
        assert request(server, "GET", f"/de1/rest/v1/jobs/{job_id}", headers=AUTH)[0] == 404
        clock.advance(1)
        status, _, reports = request(
            server, "GET", f"/de2/rest/v1/sms?jobId={job_id}", headers=AUTH
        )
        assert (status, reports[0]["status"]) == (200, "SUC_ACC")
        status, _, body = request(server, "POST", "/rest/v1/jobs", job)
        assert (status, body["code"]) == (401, 401)
        status, headers, _ = request(server, "DELETE", "/rest/v1/jobs", headers=AUTH)
        assert (status, headers["Allow"]) == (405, "GET, POST")
        assert request(server, "GET", "/nowhere")[0] == 404
    finally:
        server.stop()
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", port), timeout=2),
    ):
        pass
    server.stop()  # a second stop is harmless


def test_concurrent_clients_are_served_in_parallel() -> None:
    state = SimulatorState(clock=ManualClock(), seed=2)
    job = {"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000001"}]}]}
    results: list[int] = []
    # A client that opens a connection and sends nothing must not block the others.
    with (
        SimulatorServer(SimulatorApp(state)) as server,
        socket.create_connection((server.host, server.port), timeout=5),
    ):
        threads = [
            threading.Thread(
                target=lambda: results.append(
                    request(server, "POST", "/rest/v1/jobs", job, AUTH)[0]
                )
            )
            for _ in range(40)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    assert results == [201] * 40
    assert sum(len(center.jobs) for center in state.datacenters.values()) == 40


def test_a_busy_port_is_an_oserror() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(OSError, match="in use"):
            SimulatorServer(SimulatorApp(SimulatorState(seed=1)), "127.0.0.1", port)


def test_the_server_uses_the_system_clock_by_default() -> None:
    state = SimulatorState(seed=1, delivery_seconds=0)
    job = {"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000001"}]}]}
    with SimulatorServer(SimulatorApp(state)) as server:
        before = datetime.now(UTC) - timedelta(milliseconds=1)
        _, _, body = request(server, "POST", "/de1/rest/v1/jobs", job, AUTH)
        after = datetime.now(UTC) + timedelta(milliseconds=1)
        _, _, report = request(server, "GET", f"/de1/rest/v1/jobs/{body['jobId']}", headers=AUTH)
    receipt = datetime.fromisoformat(report["receiptTs"])
    assert before <= receipt <= after
    assert report["finishedTs"] == report["receiptTs"]  # delivery_seconds=0: final at once


def raw_exchange(server: SimulatorServer, head: bytes, body: bytes) -> tuple[int, Any]:
    """Send bytes as they are, end the sending side, and read the whole answer."""
    with socket.create_connection((server.host, server.port), timeout=10) as connection:
        connection.sendall(head + body)
        connection.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), json.loads(payload)


def chunked(*pieces: bytes, trailer: bytes = b"") -> bytes:
    encoded = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(piece), piece) for piece in pieces)
    return encoded + b"0\r\n" + trailer + b"\r\n"


CHUNKED_POST = (
    b"POST /de1/rest/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
    + f"Authorization: {AUTH['Authorization']}\r\n\r\n".encode()
)


def test_a_chunked_request_body_is_read() -> None:
    # HTTP/1.1 clients stream bodies of unknown length in chunks (requests with a generator,
    # curl -T -, .NET's StreamContent); the server read them as empty and answered 400.
    job = json.dumps({"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000001"}]}]})
    state = SimulatorState(clock=ManualClock(), seed=4)
    with SimulatorServer(SimulatorApp(state)) as server:
        status, body = raw_exchange(
            server,
            CHUNKED_POST,
            chunked(job[:7].encode(), job[7:].encode(), trailer=b"X-Checksum: 1\r\n"),
        )
    assert status == 201, body
    assert state.datacenters["de1"].get(body["jobId"]) is not None


@pytest.mark.parametrize(
    "body",
    [b"zz\r\n{}\r\n0\r\n\r\n", b"-5\r\n{}\r\n0\r\n\r\n", b"40\r\n{}"],
    ids=["size-not-hex", "negative-size", "ends-inside-a-chunk"],
)
def test_malformed_chunked_encoding_is_a_400(body: bytes) -> None:
    with SimulatorServer(SimulatorApp(SimulatorState(clock=ManualClock(), seed=4))) as server:
        status, payload = raw_exchange(server, CHUNKED_POST, body)
    assert status == 400
    assert payload["message"].startswith("request body: ")
    assert "chunk" in payload["message"]


def test_a_body_without_content_type_is_read_as_json() -> None:
    # wsgiref reports a missing Content-Type as text/plain; that must not become a 415.
    job = json.dumps({"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000001"}]}]})
    head = (
        b"POST /de1/rest/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: {AUTH['Authorization']}\r\nContent-Length: {len(job)}\r\n\r\n".encode()
    )
    with SimulatorServer(SimulatorApp(SimulatorState(clock=ManualClock(), seed=4))) as server:
        status, body = raw_exchange(server, head, job.encode())
        assert status == 201, body
        status, _, body = request(
            server, "POST", "/de1/rest/v1/jobs", {}, {**AUTH, "Content-Type": "text/plain"}
        )
    assert (status, body["code"]) == (415, 415)
