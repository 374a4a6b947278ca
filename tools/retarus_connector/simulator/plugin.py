"""The pytest plugin behind the `retarus_simulator` fixture.

Installed as a `pytest11` entry point, so any project that installs retarus-connector gets the
fixture without a conftest. It loads in every pytest run, hence nothing heavy at import time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from retarus_connector.simulator.mock import MockedSimulator

_MARKER_HELP = (
    "retarus_simulator(**options): options for the retarus_simulator fixture "
    "(seed, username, password, delivery_seconds, start, strict, max_jobs)"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", _MARKER_HELP)


@pytest.fixture
def retarus_simulator(request: pytest.FixtureRequest) -> Iterator[MockedSimulator]:
    """The Retarus SMS API v1 simulator behind the real hosts, in process (requests-mock).

    Requests made with `requests` to https://sms4a.{eu,de1,de2}.retarus.com reach the
    simulator; the clock only moves when the test advances it.
    """
    from retarus_connector.simulator.mock import simulate

    marker = request.node.get_closest_marker("retarus_simulator")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    with simulate(**options) as simulator:
        yield simulator
