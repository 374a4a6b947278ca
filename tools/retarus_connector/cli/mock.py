"""`retarus-connector mock`: run the Retarus SMS API simulator as a local HTTP server."""

from __future__ import annotations

import ipaddress
import math
import signal
import threading
from types import FrameType

import click

from retarus_connector.simulator.state import DEFAULT_PASSWORD, DEFAULT_USERNAME, SimulatorState

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def wait_for_stop(stop: threading.Event) -> None:
    """Block until SIGTERM or Ctrl-C (SIGINT) sets `stop`; tests replace this."""
    while not stop.wait(0.5):
        pass


@click.command(name="mock")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--username",
    default=DEFAULT_USERNAME,
    show_default=True,
    help="Username clients must send (HTTP Basic).",
)
@click.option(
    "--password",
    default=DEFAULT_PASSWORD,
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
    type=click.FloatRange(min=0, max=86400),
    default=1.0,
    show_default=True,
    help="Seconds from acceptance to a recipient's final status.",
)
def command(
    host: str, port: int, username: str, password: str, seed: int | None, delivery_seconds: float
) -> None:
    """Serve the Retarus SMS API v1 simulator: the eu facade at /rest/v1, the data centers
    at /de1/rest/v1 and /de2/rest/v1. Stops on Ctrl-C or SIGTERM."""
    if not username:
        raise click.BadParameter("must not be empty", param_hint="--username")
    if not math.isfinite(delivery_seconds):  # FloatRange's comparisons all pass for NaN
        raise click.BadParameter(
            f"{delivery_seconds} is not a number of seconds", param_hint="--delivery-seconds"
        )
    state = SimulatorState(
        seed=seed, username=username, password=password, delivery_seconds=delivery_seconds
    )
    stop = threading.Event()

    def on_terminate(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Installed before the URL is printed: whoever waits for the URL may signal right away.
    # Ctrl-C takes the same path as SIGTERM, so it cannot land as a KeyboardInterrupt in the
    # middle of starting or stopping the server and leave a traceback or an open port.
    previous = {number: signal.signal(number, on_terminate) for number in _STOP_SIGNALS}
    try:
        _serve(state, host, port, delivery_seconds, stop)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _serve(
    state: SimulatorState, host: str, port: int, delivery_seconds: float, stop: threading.Event
) -> None:
    from retarus_connector.simulator.app import SimulatorApp
    from retarus_connector.simulator.server import SimulatorServer

    try:
        server = SimulatorServer(SimulatorApp(state), host=host, port=port)
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
