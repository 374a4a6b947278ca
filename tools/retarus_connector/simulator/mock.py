"""The simulator in process: requests-mock sends every `requests` call to the three Retarus
hosts into the WSGI app, so clients and tests run unchanged against their real URLs.

    with simulate(seed=1) as simulator:
        requests.post("https://sms4a.eu.retarus.com/rest/v1/jobs", json=job, auth=simulator.auth)
        simulator.advance(1)
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes, urlsplit

from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.clock import ManualClock
from retarus_connector.simulator.hosts import RETARUS_HOSTS
from retarus_connector.simulator.state import (
    DEFAULT_PASSWORD,
    DEFAULT_USERNAME,
    Job,
    SimulatorState,
)

if TYPE_CHECKING:
    import requests_mock

RETARUS_BASE_URLS = {site: f"https://{host}/rest/v1" for host, site in RETARUS_HOSTS.items()}


@dataclass(frozen=True)
class WsgiResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


def call_wsgi(
    app: SimulatorApp,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | str | None = None,
) -> WsgiResponse:
    """Run one HTTP request through a WSGI app without a network."""
    parts = urlsplit(url)
    payload = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method.upper(),
        "SCRIPT_NAME": "",
        # PEP 3333: the decoded path's bytes, as latin-1 text
        "PATH_INFO": unquote_to_bytes(parts.path).decode("latin-1"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "",
        "SERVER_PORT": str(parts.port or (443 if parts.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": parts.netloc,
        "CONTENT_LENGTH": str(len(payload)),
        "CONTENT_TYPE": "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(payload),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "TRANSFER_ENCODING":  # requests-mock hands the body over already joined
            continue
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if key == "CONTENT_TYPE":
                environ[key] = value
            continue
        environ[f"HTTP_{key}"] = value
    started: list[Any] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        started[:] = [status, response_headers]

    chunks = app(environ, start_response)
    content = b"".join(chunks)
    status_line, response_headers = started
    code, _, reason = status_line.partition(" ")
    return WsgiResponse(int(code), reason, list(response_headers), content)


def _request_body(request: Any) -> bytes | str | None:
    body = request.body
    if body is None or isinstance(body, bytes | str):
        return body
    if hasattr(body, "read"):
        data = body.read()
        return data if isinstance(data, bytes | str) else None
    return b"".join(chunk if isinstance(chunk, bytes) else str(chunk).encode() for chunk in body)


def register(mocker: requests_mock.Mocker | requests_mock.Adapter, app: SimulatorApp) -> None:
    """Route every method and path on the three Retarus hosts (https) to `app`."""
    import requests_mock as requests_mock_module

    def respond(request: Any, context: Any) -> bytes:
        result = call_wsgi(
            app, request.method, request.url, request.headers, _request_body(request)
        )
        context.status_code = result.status
        context.reason = result.reason
        for name, value in result.headers:
            context.headers[name] = value
        return result.body

    for host in RETARUS_HOSTS:
        mocker.register_uri(
            requests_mock_module.ANY,
            re.compile(rf"^https://{re.escape(host)}(?::443)?(?:[/?#]|$)", re.IGNORECASE),
            content=respond,
        )


@dataclass
class MockedSimulator:
    """What the `retarus_simulator` fixture yields: the simulator and the handles to drive it."""

    state: SimulatorState
    app: SimulatorApp
    clock: ManualClock
    mocker: requests_mock.Mocker

    @property
    def username(self) -> str:
        return self.state.username

    @property
    def password(self) -> str:
        return self.state.password

    @property
    def auth(self) -> tuple[str, str]:
        """For `requests`: `requests.get(url, auth=simulator.auth)`."""
        return (self.state.username, self.state.password)

    @property
    def urls(self) -> dict[str, str]:
        """Base URLs (with /rest/v1) of the sites: "eu", "de1" and "de2"."""
        return dict(RETARUS_BASE_URLS)

    def advance(self, seconds: float | timedelta) -> datetime:
        """Move the simulator's clock forward; returns the new time."""
        return self.clock.advance(seconds)

    def find_job(self, job_id: str) -> Job | None:
        return self.state.find_job(job_id)

    def __repr__(self) -> str:
        return f"MockedSimulator(username={self.username!r}, seed={self.state.seed})"


@contextmanager
def simulate(
    *,
    seed: int = 0,
    username: str = DEFAULT_USERNAME,
    password: str = DEFAULT_PASSWORD,
    delivery_seconds: float = 1.0,
    start: datetime | None = None,
    strict: bool = False,
    max_jobs: int | None = None,
) -> Iterator[MockedSimulator]:
    """Run the simulator behind the real Retarus hosts for the duration of the block.

    The clock is a ManualClock starting at `start` (default 2025-01-06T08:00Z); other hosts
    are not mocked and raise requests_mock.NoMockAddress.
    `max_jobs` keeps only that many jobs, forgetting the oldest (default: all).
    """
    import requests_mock as requests_mock_module

    clock = ManualClock(start)
    state = SimulatorState(
        clock=clock,
        seed=seed,
        username=username,
        password=password,
        delivery_seconds=delivery_seconds,
        strict=strict,
        max_jobs=max_jobs,
    )
    app = SimulatorApp(state)
    with requests_mock_module.Mocker() as mocker:
        register(mocker, app)
        yield MockedSimulator(state=state, app=app, clock=clock, mocker=mocker)
