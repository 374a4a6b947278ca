"""intro.md, the text at the top of the certification package that reviewers read first."""

from __future__ import annotations

from retarus_connector.models.package import Connector
from retarus_connector.models.solutions import Solutions

from .readme import connector_readme_sections


def intro_markdown(
    connector: Connector, solutions: Solutions, connector_zip: str, flow_zip: str
) -> str:
    """The connector's description, what the two solutions hold and how to try them, and the
    certified readme sections, all from the models."""
    flows = "\n".join(
        f"  - **{flow.display_name}**: {flow.description}" for flow in solutions.flows
    )
    reference = solutions.connection_reference.logical_name
    package = (
        f"- `{connector_zip}`: the connector solution ({solutions.connector_solution.display_name}"
        f", unique name {solutions.connector_solution.unique_name}), which holds the custom "
        f"connector {solutions.connector.name}.\n"
        f"- `{flow_zip}`: the flow solution ({solutions.flow_solution.unique_name}), which holds "
        f"the connector, the connection reference {reference} and these cloud flows:\n{flows}"
    )
    trying = (
        f"1. Import `{connector_zip}`, then create a {connector.api.title} connection with a "
        "Retarus Login ID and its password.\n"
        f"2. Import `{flow_zip}` and choose that connection for {reference}.\n"
        f"3. Run **{solutions.flows[0].display_name}** with a mobile number in international "
        "format and a short text; the run ends with the delivery report of the recipient."
    )
    sections = [
        f"# {connector.api.title}",
        connector.api.description,
        f"## Package contents\n\nPublisher: {solutions.publisher.display_name} (prefix "
        f"{solutions.publisher.prefix}), version {solutions.connector_solution.version}.\n\n"
        f"{package}",
        f"## Trying the connector\n\n{trying}",
        connector_readme_sections(connector).rstrip("\n"),
    ]
    return "\n\n".join(sections) + "\n"
