"""Fixtures for the contract tests: the connector as generated at the repository root, run by
the runtime against the in-process simulator (the `retarus_simulator` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from retarus_connector.runtime import Connector
from retarus_connector.simulator.mock import MockedSimulator


@pytest.fixture(scope="session")
def connector(repository_root: Path) -> Connector:
    """The generated root package (apiDefinition.swagger.json and apiProperties.json)."""
    return Connector.load(repository_root)


@pytest.fixture
def login(retarus_simulator: MockedSimulator) -> dict[str, str]:
    """The connection parameters of a connection to the simulator's account."""
    return {"username": retarus_simulator.username, "password": retarus_simulator.password}
