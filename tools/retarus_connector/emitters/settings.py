"""The paconn settings.json: which files make the package and where the API lives.

It names no connector ID and no environment, so it holds nothing secret or tenant-specific;
paconn asks for the environment and writes the connector ID itself after `create`.
"""

from __future__ import annotations

from retarus_connector.models.package import (
    API_DEFINITION_FILE,
    API_PROPERTIES_FILE,
    ICON_FILE,
    SCRIPT_FILE,
)

POWER_APPS_URL = "https://api.powerapps.com"
POWER_APPS_API_VERSION = "2016-11-01"  # the only version paconn speaks


def settings_document(
    api_properties_file: str = API_PROPERTIES_FILE, *, script: bool = False
) -> dict[str, str]:
    """`api_properties_file` lets a folder that also holds the deploy variant of apiProperties
    (the package zip) point paconn at that one; `script` names script.csx, which paconn
    uploads only when the settings name it."""
    return {
        "apiProperties": api_properties_file,
        "apiDefinition": API_DEFINITION_FILE,
        "icon": ICON_FILE,
        **({"script": SCRIPT_FILE} if script else {}),
        "powerAppsUrl": POWER_APPS_URL,
        "powerAppsApiVersion": POWER_APPS_API_VERSION,
    }
