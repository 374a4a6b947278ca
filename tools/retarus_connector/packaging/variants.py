"""Variants of a package's files for the places they go to."""

from __future__ import annotations

import copy
from typing import Any

# Beside apiProperties.json, so both sort together and neither is mistaken for the other:
# apiProperties.json (with stackOwner) goes into a PowerPlatformConnectors pull request,
# apiProperties.deploy.json (without it) to paconn and pac.
DEPLOY_PROPERTIES_FILE = "apiProperties.deploy.json"


def deploy_properties(properties: Any) -> Any:
    """apiProperties without `stackOwner`, which paconn create/update reject; the
    PowerPlatformConnectors repository wants it, so the submitted file keeps it."""
    deployed = copy.deepcopy(properties)
    if isinstance(deployed, dict) and isinstance(deployed.get("properties"), dict):
        deployed["properties"].pop("stackOwner", None)
    return deployed
