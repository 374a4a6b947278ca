"""The two Retarus solutions: the connector solution and the flow solution around it."""

from __future__ import annotations

from dataclasses import dataclass

from .dataverse import (
    ConnectionReference,
    DataverseConnector,
    Publisher,
    Solution,
    check_prefixed,
    connector_name,
    four_part_version,
)
from .flow import Flow
from .flows import FLOWS
from .package import Connector

# Our choice (docs/solutions.md): the publisher is Retarus itself; the prefix is short, reads
# as Retarus and is not one Microsoft or a common product uses. Changing either after the first
# release renames every component, so both are fixed for good.
PUBLISHER = Publisher(
    unique_name="retarus",
    display_name="Retarus",
    prefix="rtrs",
    # Any value from 10000 to 99999 is allowed; this one is ours. Option sets would use it.
    option_value_prefix=77827,
)
CONNECTOR_SOLUTION_NAME = "RetarusSMSConnector"
FLOW_SOLUTION_NAME = "RetarusSMSFlows"
# Hand-named, as makers may name them (the generated form carries a random suffix).
CONNECTION_REFERENCE_NAME = f"{PUBLISHER.prefix}_RetarusSMS"


@dataclass(frozen=True)
class Solutions:
    """Everything the connector and flow solutions are made of, at one version."""

    publisher: Publisher
    connector: DataverseConnector
    connection_reference: ConnectionReference
    connector_solution: Solution
    flow_solution: Solution
    flows: tuple[Flow, ...]


def retarus_solutions(connector: Connector, flows: tuple[Flow, ...] = FLOWS) -> Solutions:
    """The solutions for `connector`, versioned after its version (four parts)."""
    version = four_part_version(connector.api.version)
    title = connector.api.title
    dataverse = DataverseConnector(connector_name(PUBLISHER.prefix, title), title)
    reference = ConnectionReference(CONNECTION_REFERENCE_NAME, title, dataverse)
    check_prefixed(PUBLISHER, dataverse.name, reference.logical_name)
    return Solutions(
        publisher=PUBLISHER,
        connector=dataverse,
        connection_reference=reference,
        connector_solution=Solution(
            CONNECTOR_SOLUTION_NAME,
            f"{title} connector",
            f"The {title} custom connector, generated from the retarus-connector models.",
            version,
        ),
        flow_solution=Solution(
            FLOW_SOLUTION_NAME,
            f"{title} test flows",
            f"Cloud flows that exercise the {title} connector, with its connection reference.",
            version,
        ),
        flows=flows,
    )
