"""Variants of a package's files for the places they go to."""

from __future__ import annotations

import copy
from typing import Any


def deploy_properties(properties: Any) -> Any:
    """apiProperties without `stackOwner`, which paconn create/update reject; the
    PowerPlatformConnectors repository wants it, so the submitted file keeps it."""
    deployed = copy.deepcopy(properties)
    if isinstance(deployed, dict) and isinstance(deployed.get("properties"), dict):
        deployed["properties"].pop("stackOwner", None)
    return deployed
