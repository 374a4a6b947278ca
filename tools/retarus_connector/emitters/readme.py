"""The connector readme, with the sections certified connectors carry.

Two shapes of the same text: `connector_readme` is a complete readme.md for a connector
folder; `connector_readme_sections` is the part embedded in the repository's README.md, whose
own title and introduction stand in for the title paragraph.
"""

from __future__ import annotations

from retarus_connector.models.package import Connector


def connector_readme(connector: Connector) -> str:
    return f"# {connector.api.title}\n\n{connector.api.description}\n\n" + (
        connector_readme_sections(connector)
    )


def connector_readme_sections(connector: Connector) -> str:
    text = connector.readme
    sections = [
        f"## Publisher: {connector.publisher}",
        f"## Prerequisites\n\n{text.prerequisites}",
        "## Supported Operations\n\n" + _operations(connector),
        f"## Obtaining Credentials\n\n{text.obtaining_credentials}",
        "\n\n".join(
            [
                f"## Getting Started\n\n{text.getting_started}",
                *(f"### {heading}\n\n{body}" for heading, body in text.recipes),
            ]
        ),
        f"## Known Issues and Limitations\n\n{text.known_issues}",
        f"## Deployment Instructions\n\n{text.deployment_instructions}",
    ]
    return "\n\n".join(sections) + "\n"


def _operations(connector: Connector) -> str:
    return "\n\n".join(
        f"### {operation.summary}\n\n{operation.description}"
        for operation in connector.api.operations
    )
