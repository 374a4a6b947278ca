"""Per-profile severities shared by the certification rules.

A custom connector is checked only by the portal and paconn, not by the certification team, so
what certification alone demands is milder under the `custom` profile: certification errors
become warnings, certification warnings become information. What the portal, paconn or the
runtime reject keeps its severity everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from retarus_connector.lint.model import Profile, Severity

CUSTOM_WARNING: Mapping[Profile, Severity] = MappingProxyType({Profile.CUSTOM: Severity.WARNING})
CUSTOM_INFO: Mapping[Profile, Severity] = MappingProxyType({Profile.CUSTOM: Severity.INFO})
