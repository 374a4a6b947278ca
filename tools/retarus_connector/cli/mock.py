"""`retarus-connector mock`: run the Retarus SMS API simulator as a local HTTP server."""

from __future__ import annotations

import ipaddress
import math
import signal
import threading
from dataclasses import dataclass
from types import FrameType
from typing import Any

import click

from retarus_connector.simulator.body import DEFAULT_MAX_BODY_BYTES
from retarus_connector.simulator.server import DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT_SECONDS
from retarus_connector.simulator.state import DEFAULT_PASSWORD, DEFAULT_USERNAME, SimulatorState

# A kept 3,000-recipient job takes about 1 MB, a small one a few KB: 1,000 jobs bound the
# simulator's memory to about a gigabyte even when every job is as large as Retarus allows.
DEFAULT_MAX_JOBS = 1000

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@dataclass(frozen=True)
class _Limits:
    """What the server bounds: body size, seconds to send a request, connections at once."""

    request_bytes: int
    timeout: float
    connections: int


class _Seconds(click.FloatRange):
    """A number of seconds within bounds. FloatRange's comparisons all pass for NaN, so NaN is
    refused here, before it reaches the simulator."""

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        seconds: float = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{seconds} is not a number of seconds", param, ctx)
        return seconds


def wait_for_stop(stop: threading.Event) -> None:
    """Block until SIGTERM or Ctrl-C (SIGINT) sets `stop`; tests replace this."""
    while not stop.wait(0.5):
        pass


@click.command(name="mock", context_settings={"show_default": True})
@click.option("--host", default="127.0.0.1", help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--username",
    default=DEFAULT_USERNAME,
    help="Username clients must send (HTTP Basic).",
)
@click.option(
    "--password",
    default=DEFAULT_PASSWORD,
    show_default=False,  # its help says it, beside the variable that replaces it
    # an option's value shows in process listings and shell history; a variable does not
    envvar="RETARUS_MOCK_PASSWORD",
    help="Password clients must send (default: demo; or set $RETARUS_MOCK_PASSWORD, which "
    "unlike an option does not show in process listings). Never printed.",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed for job IDs and data-center choices (default: a fresh one, printed).",
)
@click.option(
    "--delivery-seconds",
    type=_Seconds(min=0, max=86400),
    default=1.0,
    help="Seconds from acceptance to a recipient's final status.",
)
@click.option(
    "--max-request-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BODY_BYTES,
    help="Largest request body read; a larger one is answered 413 before it is read.",
)
@click.option(
    "--max-jobs",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_JOBS,
    help="Jobs kept in both data centers together; beyond it the oldest are forgotten "
    "(reads of them answer 404). 0 keeps every job.",
)
@click.option(
    "--timeout",
    type=_Seconds(min=0, min_open=True, max=3600),
    default=DEFAULT_TIMEOUT_SECONDS,
    help="Seconds a client has to send its whole request; an idle or half-sent connection "
    "is closed then.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1, max=10000),
    default=DEFAULT_MAX_CONNECTIONS,
    help="Connections served at once; further clients wait to be accepted.",
)
def command(
    host: str,
    port: int,
    username: str,
    password: str,
    seed: int | None,
    delivery_seconds: float,
    max_request_bytes: int,
    max_jobs: int,
    timeout: float,
    max_connections: int,
) -> None:
    """Serve the Retarus SMS API v1 simulator: the eu facade at /rest/v1, the data centers
    at /de1/rest/v1 and /de2/rest/v1. Stops on Ctrl-C or SIGTERM."""
    if not username:
        raise click.BadParameter("must not be empty", param_hint="--username")
    state = SimulatorState(
        seed=seed,
        username=username,
        password=password,
        delivery_seconds=delivery_seconds,
        max_jobs=max_jobs or None,
    )
    stop = threading.Event()

    def on_terminate(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Installed before the URL is printed: whoever waits for the URL may signal right away.
    # Ctrl-C takes the same path as SIGTERM, so it cannot land as a KeyboardInterrupt in the
    # middle of starting or stopping the server and leave a traceback or an open port.
    previous = {number: signal.signal(number, on_terminate) for number in _STOP_SIGNALS}
    try:
        limits = _Limits(max_request_bytes, timeout, max_connections)
        _serve(state, host, port, delivery_seconds, stop, limits)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _serve(
    state: SimulatorState,
    host: str,
    port: int,
    delivery_seconds: float,
    stop: threading.Event,
    limits: _Limits,
) -> None:
    from retarus_connector.simulator.app import SimulatorApp
    from retarus_connector.simulator.server import SimulatorServer

    try:
        app = SimulatorApp(state, max_body_bytes=limits.request_bytes)
        server = SimulatorServer(
            app,
            host=host,
            port=port,
            timeout=limits.timeout,
            max_connections=limits.connections,
        )
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {error.strerror or error}"
        ) from None
    try:
        server.start()
        if not _is_loopback(host):
            click.echo(
                f"warning: listening on {host}, so other machines can reach the simulator",
                err=True,
            )
        url = server.url
        click.echo(f"Retarus simulator listening on {url}")
        click.echo(f"  eu facade:  {url}/rest/v1")
        click.echo(f"  de1:        {url}/de1/rest/v1")
        click.echo(f"  de2:        {url}/de2/rest/v1")
        click.echo(
            f"  username {state.username}; seed {state.seed}; "
            f"final status after {delivery_seconds:g} s"
        )
        jobs = f"the last {state.max_jobs} jobs" if state.max_jobs else "every job"
        click.echo(
            f"  keeps {jobs}; requests of at most {limits.request_bytes} bytes, "
            f"sent within {limits.timeout:g} s; {limits.connections} connections at once"
        )
        click.echo("Press Ctrl-C to stop.")
        wait_for_stop(stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo("Retarus simulator stopped.")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
