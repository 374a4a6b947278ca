"""`retarus-connector mock`: the real command in a subprocess (start, request, SIGTERM, clean
exit) and its option handling through CliRunner."""

from __future__ import annotations

import base64
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import IO

import pytest
from click.testing import CliRunner

from retarus_connector.cli import main
from retarus_connector.cli import mock as mock_command

URL_LINE = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))$")


class RunningMock:
    """`retarus-connector mock` in a subprocess, started and read until it printed its URL."""

    def __init__(self, *args: str, environment: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "retarus_connector.cli", "mock", *args],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._pump, args=(self.process.stdout,), daemon=True).start()
        while True:
            line = self._next_line(timeout=60)
            assert line is not None, "mock exited early:\n" + "\n".join(self.output)
            match = URL_LINE.search(line)
            if match:
                self.port = int(match.group(2))
                break

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _next_line(self, timeout: float) -> str | None:
        line = self.lines.get(timeout=timeout)
        if line is not None:
            self.output.append(line)
        return line

    def stop(self, stop_signal: int = signal.SIGTERM) -> tuple[int, str]:
        """Signal it, wait for it to exit; returns its exit code and everything it printed."""
        self.process.send_signal(stop_signal)
        code = self.process.wait(timeout=30)
        while self._next_line(timeout=30) is not None:
            pass
        return code, "\n".join(self.output)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def running_mock() -> Iterator[RunningMock]:
    mock = RunningMock(
        "--port",
        "0",
        "--seed",
        "7",
        "--username",
        "tester",
        "--password",
        "hunter2-secret",
        "--delivery-seconds",
        "0",
    )
    try:
        yield mock
    finally:
        mock.close()


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_mock_serves_until_signalled_and_exits_cleanly(
    running_mock: RunningMock, stop_signal: int
) -> None:
    port = running_mock.port
    status, body = get(port, "/rest/v1/version")
    assert status == 200
    assert isinstance(body, dict)
    assert "versionInfo" in body
    auth = {"Authorization": "Basic " + base64.b64encode(b"tester:hunter2-secret").decode()}
    assert get(port, "/de1/rest/v1/jobs?jobIdsOnly=true", auth) == (200, [])
    assert get(port, "/de2/rest/v1/jobs")[0] == 401
    code, output = running_mock.stop(stop_signal)
    assert code == 0, output
    assert output.endswith("Retarus simulator stopped.")
    assert "Traceback" not in output
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", port), timeout=2),
    ):
        pass


def test_mock_prints_its_urls_and_username_but_never_the_password(
    running_mock: RunningMock,
) -> None:
    port = running_mock.port
    code, output = running_mock.stop()
    assert code == 0
    assert f"http://127.0.0.1:{port}/rest/v1" in output
    assert f"http://127.0.0.1:{port}/de1/rest/v1" in output
    assert f"http://127.0.0.1:{port}/de2/rest/v1" in output
    assert "username tester" in output
    assert "seed 7" in output
    assert "hunter2" not in output


def test_mock_takes_the_password_from_the_environment() -> None:
    environment = {**os.environ, "RETARUS_MOCK_PASSWORD": "from-the-environment"}
    mock = RunningMock("--port", "0", "--delivery-seconds", "0", environment=environment)
    try:

        def status_with(password: str) -> int:
            token = base64.b64encode(f"demo:{password}".encode()).decode()
            return get(mock.port, "/de2/rest/v1/jobs", {"Authorization": "Basic " + token})[0]

        assert status_with("from-the-environment") == 200
        assert status_with("demo") == 401
        code, output = mock.stop()
        assert code == 0
        assert "from-the-environment" not in output
    finally:
        mock.close()


def run(
    *args: str, wait: object = None, monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["mock", *args])
    return result.exit_code, result.output


def test_mock_stops_when_waiting_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mock_command, "wait_for_stop", lambda stop: None)
    code, output = run("--port", "0", "--password", "s3cret-value")
    assert code == 0, output
    assert URL_LINE.search(output.splitlines()[0])
    assert "username demo" in output
    assert output.rstrip().endswith("Retarus simulator stopped.")
    assert "s3cret-value" not in output


def test_mock_treats_ctrl_c_as_a_clean_stop(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(stop: threading.Event) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(mock_command, "wait_for_stop", interrupted)
    code, output = run("--port", "0")
    assert code == 0, output
    assert "stopped" in output


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_mock_handles_sigint_like_sigterm(
    monkeypatch: pytest.MonkeyPatch, stop_signal: int
) -> None:
    stopped: list[bool] = []

    def signalled(stop: threading.Event) -> None:
        # the signal reaches the handler the command installed, not a KeyboardInterrupt
        os.kill(os.getpid(), stop_signal)
        stopped.append(stop.wait(5))

    before = signal.getsignal(stop_signal)
    monkeypatch.setattr(mock_command, "wait_for_stop", signalled)
    code, output = run("--port", "0")
    assert code == 0, output
    assert stopped == [True]
    assert output.rstrip().endswith("Retarus simulator stopped.")
    assert signal.getsignal(stop_signal) is before


def test_mock_reports_a_busy_port_clearly() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code, output = run("--port", str(port))
    assert code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--port", "70000"], "--port"),
        (["--port", "http"], "--port"),
        (["--delivery-seconds", "-1"], "--delivery-seconds"),
        # FloatRange lets NaN through every comparison; it must not reach the simulator.
        (["--delivery-seconds", "nan"], "--delivery-seconds"),
        (["--seed", "abc"], "--seed"),
        (["--username", ""], "--username"),
        (["--max-request-bytes", "0"], "--max-request-bytes"),
        (["--max-jobs", "-1"], "--max-jobs"),
        (["--timeout", "0"], "--timeout"),
        (["--timeout", "nan"], "--timeout"),
        (["--timeout", "7200"], "--timeout"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], option: str) -> None:
    code, output = run(*args)
    assert code == 2
    assert option in output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert mock_command._is_loopback(host) is loopback


def test_mock_applies_its_limits() -> None:
    mock = RunningMock(
        "--port", "0", "--max-request-bytes", "100", "--max-jobs", "1", "--timeout", "0.5"
    )
    try:
        port = mock.port
        auth = {"Authorization": "Basic " + base64.b64encode(b"demo:demo").decode()}
        job = {"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000001"}]}]}
        status, body = post(port, "/de1/rest/v1/jobs", {**job, "pad": " " * 100}, auth)
        assert status == 413
        assert isinstance(body, dict)
        assert "limit of 100 bytes" in body["message"]
        first = post(port, "/de1/rest/v1/jobs", job, auth)[1]
        second = post(port, "/de1/rest/v1/jobs", job, auth)[1]
        assert isinstance(first, dict)
        assert isinstance(second, dict)
        assert get(port, f"/de1/rest/v1/jobs/{first['jobId']}", auth)[0] == 404
        assert get(port, f"/de1/rest/v1/jobs/{second['jobId']}", auth)[0] == 200
        with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
            assert idle.recv(1024) == b""  # closed by the server after 0.5 s
        code, output = mock.stop()
        assert code == 0
        assert "keeps the last 1 jobs; requests of at most 100 bytes, sent within 0.5 s" in output
    finally:
        mock.close()


def post(port: int, path: str, body: object, headers: dict[str, str]) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "POST", path, json.dumps(body), {**headers, "Content-Type": "application/json"}
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()
