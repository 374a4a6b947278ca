"""The `api` fixture: the in-process simulator behind a small client."""

from __future__ import annotations

import pytest
from simulator_client import Api

from retarus_connector.simulator.mock import MockedSimulator


@pytest.fixture
def api(retarus_simulator: MockedSimulator) -> Api:
    return Api(retarus_simulator)
