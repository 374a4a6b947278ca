"""Fixtures for the contract tests: the connector as generated at the repository root, run by
the runtime against the in-process simulator (the `retarus_simulator` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from retarus_connector.packaging.custom_code import stand_in_for_package
from retarus_connector.runtime import Connector
from retarus_connector.simulator.mock import MockedSimulator


@pytest.fixture(scope="session")
def connector(repository_root: Path) -> Connector:
    """The generated root package (apiDefinition.swagger.json, apiProperties.json and the
    custom code script.csx, played by its Python stand-in as the gateway runs the C#)."""
    custom_code = stand_in_for_package(repository_root)
    assert custom_code is not None, "script.csx is not the one the models generate"
    return Connector.load(repository_root, custom_code=custom_code)


@pytest.fixture
def login(retarus_simulator: MockedSimulator) -> dict[str, str]:
    """The connection parameters of a connection to the simulator's account."""
    return {"username": retarus_simulator.username, "password": retarus_simulator.password}
