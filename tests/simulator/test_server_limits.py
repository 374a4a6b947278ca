"""The real server's bounds, over raw loopback sockets: the body limit answered before the body
is read, the request timeout, and a JSON answer with a status line for every malformed request."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.clock import ManualClock
from retarus_connector.simulator.server import SimulatorServer
from retarus_connector.simulator.state import SimulatorState

AUTHORIZATION = "Basic " + base64.b64encode(b"demo:demo").decode()
JOB = json.dumps({"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000001"}]}]})
LIMIT = 4096
TIMEOUT = 0.6


@pytest.fixture
def server() -> Iterator[SimulatorServer]:
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3), max_body_bytes=LIMIT)
    with SimulatorServer(app, timeout=TIMEOUT) as running:
        yield running


def connect(server: SimulatorServer) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=10)


def read_answer(connection: socket.socket) -> tuple[bytes, dict[str, str], Any]:
    """Read until the server closes; (status line, headers, JSON body)."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    head, _, payload = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines)
    }
    return status_line.encode("latin-1"), headers, json.loads(payload)


def assert_json_error(answer: tuple[bytes, dict[str, str], Any], status: int) -> str:
    status_line, headers, body = answer
    assert status_line.startswith(b"HTTP/1."), status_line
    assert int(status_line.split()[1]) == status, (status_line, body)
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert set(body) == {"message", "code"}
    assert body["code"] == status
    message: str = body["message"]
    return message


def exchange(server: SimulatorServer, data: bytes) -> tuple[bytes, dict[str, str], Any]:
    with connect(server) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        return read_answer(connection)


# --- malformed requests -------------------------------------------------------------------------

MALFORMED = [
    pytest.param(b"/rest/v1/version HTTP/1.1\r\n\r\n", 400, id="no-method"),
    pytest.param(b"GET /rest/v1/version\r\n\r\n", 400, id="no-version"),
    pytest.param(b"POST /rest/v1/jobs\r\n\r\n", 400, id="no-version-post"),
    pytest.param(b"\x00\xff\xfe\x16\x03 garbage\r\n\r\n", 400, id="garbage"),
    pytest.param(b"GET / HTTP/1.1 extra\r\n\r\n", 400, id="four-words"),
    pytest.param(b"GET / HTTX/1.1\r\n\r\n", 400, id="bad-protocol"),
    pytest.param(b"GET / HTTP/1\r\n\r\n", 400, id="bad-version-number"),
    pytest.param(b"GET / HTTP/2.0\r\n\r\n", 505, id="http-2"),
    pytest.param(b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414, id="long-request-line"),
    pytest.param(
        b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n", 431, id="long-header-line"
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(120)) + b"\r\n",
        431,
        id="too-many-headers",
    ),
]


@pytest.mark.parametrize(("data", "status"), MALFORMED)
def test_a_malformed_request_gets_a_status_line_and_a_json_error(
    server: SimulatorServer, data: bytes, status: int
) -> None:
    message = assert_json_error(exchange(server, data), status)
    assert message.split(":", 1)[0] in ("request line", "headers"), message
    assert "<" not in message


def test_blank_lines_before_the_request_line_are_skipped(server: SimulatorServer) -> None:
    status_line, _, body = exchange(server, b"\r\n\r\nGET /rest/v1/version HTTP/1.1\r\n\r\n")
    assert status_line.startswith(b"HTTP/1.0 200"), (status_line, body)
    assert "versionInfo" in body


def test_a_connection_closed_without_a_request_gets_no_answer(server: SimulatorServer) -> None:
    with connect(server) as connection:
        connection.shutdown(socket.SHUT_WR)
        assert connection.recv(1024) == b""


# --- the body limit ---------------------------------------------------------------------------


def post_head(length: int | None = None, *, chunked: bool = False) -> bytes:
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}"
    return (
        "POST /de1/rest/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nAuthorization: {AUTHORIZATION}\r\n{framing}\r\n\r\n"
    ).encode()


def test_a_body_over_the_limit_is_refused_from_its_length_before_it_is_sent(
    server: SimulatorServer,
) -> None:
    with connect(server) as connection:
        # Only the head goes out; the answer must come without waiting for the 100 MB.
        connection.sendall(post_head(100_000_000))
        started = time.monotonic()
        message = assert_json_error(read_answer(connection), 413)
    assert time.monotonic() - started < TIMEOUT
    assert message == (
        f"request body: Content-Length 100000000 is over the simulator's limit of {LIMIT} bytes"
    )


def test_a_chunked_body_is_cut_off_at_the_limit(server: SimulatorServer) -> None:
    with connect(server) as connection:
        connection.sendall(post_head(chunked=True) + b"%x\r\n" % 3000 + b" " * 3000 + b"\r\n")
        connection.sendall(b"%x\r\n" % 3000 + b" " * 3000 + b"\r\n")  # and the sender goes on
        started = time.monotonic()
        message = assert_json_error(read_answer(connection), 413)
    assert time.monotonic() - started < TIMEOUT
    assert "a chunked body of more than 6000 bytes" in message


def test_a_client_that_sends_its_whole_oversized_body_still_reads_the_413(
    server: SimulatorServer,
) -> None:
    # http.client sends the whole body before it reads; the server drains what it does not
    # read instead of resetting the connection under the client.
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        body = b" " * (LIMIT * 64) + JOB.encode()
        connection.request(
            "POST",
            "/de1/rest/v1/jobs",
            body=body,
            headers={"Authorization": AUTHORIZATION, "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["code"] == 413
    finally:
        connection.close()


def test_a_body_within_the_limit_is_accepted(server: SimulatorServer) -> None:
    padded = JOB.encode() + b" " * (LIMIT - len(JOB))
    status_line, _, body = exchange(server, post_head(len(padded)) + padded)
    assert status_line.startswith(b"HTTP/1.0 201"), body


# --- the request timeout ------------------------------------------------------------------------


def closed_after(connection: socket.socket) -> tuple[float, bytes]:
    started = time.monotonic()
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return time.monotonic() - started, received


def test_a_half_sent_request_head_is_answered_408_and_closed(server: SimulatorServer) -> None:
    with connect(server) as connection:
        connection.sendall(b"POST /de1/rest/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        elapsed, received = closed_after(connection)
    assert TIMEOUT * 0.5 <= elapsed < TIMEOUT + 3
    assert received.startswith(b"HTTP/1.0 408 ")
    assert json.loads(received.partition(b"\r\n\r\n")[2])["code"] == 408


def test_a_half_sent_body_is_answered_408_and_closed(server: SimulatorServer) -> None:
    with connect(server) as connection:
        connection.sendall(post_head(len(JOB)) + JOB[:10].encode())
        elapsed, received = closed_after(connection)
    assert elapsed < TIMEOUT + 3
    assert received.startswith(b"HTTP/1.0 408 ")
    body = json.loads(received.partition(b"\r\n\r\n")[2])
    assert body["message"].startswith("request body: did not arrive in time")


def test_an_idle_connection_is_closed_without_an_answer(server: SimulatorServer) -> None:
    with connect(server) as connection:
        elapsed, received = closed_after(connection)
    assert TIMEOUT * 0.5 <= elapsed < TIMEOUT + 3
    assert received == b""


def test_a_client_trickling_bytes_is_closed_at_the_deadline(server: SimulatorServer) -> None:
    # One byte now and then resets no per-read timer: the whole request has TIMEOUT seconds.
    with connect(server) as connection:
        started = time.monotonic()
        connection.settimeout(0.1)
        received = b""
        for byte in b"GET /rest/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaa":
            try:
                connection.sendall(bytes([byte]))
                received += connection.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if received or time.monotonic() - started > TIMEOUT + 3:
                break
        connection.settimeout(10)
        _, rest = closed_after(connection)
    assert time.monotonic() - started < TIMEOUT + 3
    assert (received + rest).startswith(b"HTTP/1.0 408 ")


def test_the_timeout_must_be_positive_and_finite() -> None:
    app = SimulatorApp(SimulatorState(seed=1))
    for timeout in (0.0, -1.0, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="timeout"):
            SimulatorServer(app, timeout=timeout)


# --- connections at once ----------------------------------------------------------------------


def test_connections_beyond_the_limit_wait_until_one_ends() -> None:
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3))
    with SimulatorServer(app, timeout=10, max_connections=2) as running:
        holders = [connect(running) for _ in range(2)]  # idle: each holds a slot
        try:
            time.sleep(0.3)  # both are accepted and their threads wait for a request
            with connect(running) as waiting:
                waiting.sendall(
                    b"GET /rest/v1/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    b"Authorization: " + AUTHORIZATION.encode() + b"\r\n\r\n"
                )
                waiting.settimeout(0.5)
                with pytest.raises(TimeoutError):
                    waiting.recv(1)  # not served while both slots are taken
                holders.pop().close()  # a slot frees up
                waiting.settimeout(10)
                status_line, _, _ = read_answer(waiting)
                assert status_line.startswith(b"HTTP/1.")
                assert int(status_line.split()[1]) == 200
        finally:
            for holder in holders:
                holder.close()


def test_stopping_does_not_wait_for_a_free_connection_slot() -> None:
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3))
    running = SimulatorServer(app, timeout=30, max_connections=1)
    running.start()
    holder = connect(running)
    waiting = connect(running)  # accepted by the kernel, left waiting for the slot
    try:
        time.sleep(0.3)
        started = time.monotonic()
        running.stop()
        assert time.monotonic() - started < 5
    finally:
        holder.close()
        waiting.close()


def test_the_connection_limit_must_be_positive() -> None:
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3))
    with pytest.raises(ValueError, match="max_connections"):
        SimulatorServer(app, max_connections=0)
