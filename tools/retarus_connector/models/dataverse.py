"""Dataverse solutions around a connector: publisher, names, component ids, versions.

The naming rules follow real exports (see docs/solutions.md): a maker-portal connector is named
`<prefix>_5F<display name, lower case, escaped>`, every character outside [a-z0-9] escaped as
`-XX` (upper-case hex). Component GUIDs are derived from stable names, never drawn at random,
so that each version of a solution upgrades the same components instead of adding new ones.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

# Fixed for good: changing it would give every component a new id, and an upgrade would leave
# the old connector and flows behind as orphans.
COMPONENT_NAMESPACE = uuid.UUID("6b1f4f0e-9d0c-5a47-8a53-52a4a1e0c0de")

API_ID_PREFIX = "/providers/Microsoft.PowerApps/apis/"
CONNECTOR_FOLDER = "Connector"  # singular in the zip layout; the validator needs this name
WORKFLOWS_FOLDER = "Workflows"

_PREFIX = re.compile(r"^[a-z][a-z0-9]{1,7}$")
_UNIQUE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_NUMERIC_RELEASE = re.compile(r"^(\d+(?:\.\d+)*)")
_VERSION_PART_MAX = 2_147_483_647  # each part of a Dataverse version is a signed 32-bit int
_OPTION_VALUE_PREFIX_RANGE = (10_000, 99_999)


def component_id(kind: str, name: str) -> uuid.UUID:
    """The GUID of the component of `kind` (connector, workflow, ...) called `name`."""
    return uuid.uuid5(COMPONENT_NAMESPACE, f"{kind}:{name}")


def braced(value: uuid.UUID) -> str:
    """`{lower-case}`: the form of RootComponent ids and WorkflowId."""
    return "{" + str(value) + "}"


def escape_name(text: str) -> str:
    """Every character outside [a-z0-9] of the lower-cased text as `-XX` (upper-case hex of
    its code point), as Dataverse writes connector names ("kursy walut" -> "kursy-20walut")."""
    out = []
    for char in text.lower():
        if char.isascii() and char.isalnum():
            out.append(char)
        else:
            out.append("".join(f"-{byte:02X}" for byte in char.encode("utf-8")))
    return "".join(out)


def four_part_version(version: str) -> str:
    """The solution version for a project version: its numeric release part padded to
    major.minor.build.revision ("2.1.0" -> "2.1.0.0"). A pre-release tag ("1.1.0rc1") is
    dropped, since Dataverse versions hold numbers only."""
    match = _NUMERIC_RELEASE.match(version.strip())
    if match is None:
        raise ValueError(f"version {version!r} does not start with a number")
    parts = match.group(1).split(".")
    if len(parts) > 4:
        raise ValueError(f"version {version!r} has more than four parts")
    if any(int(part) > _VERSION_PART_MAX for part in parts):
        raise ValueError(f"version {version!r} has a part above {_VERSION_PART_MAX}")
    return ".".join(str(int(part)) for part in (*parts, *["0"] * (4 - len(parts))))


@dataclass(frozen=True)
class Publisher:
    unique_name: str
    display_name: str
    prefix: str  # the customization prefix every component name starts with
    option_value_prefix: int

    def __post_init__(self) -> None:
        if not _UNIQUE_NAME.match(self.unique_name):
            raise ValueError(f"publisher unique name {self.unique_name!r} is not [A-Za-z0-9_]")
        if not _PREFIX.match(self.prefix) or self.prefix.startswith("mscrm"):
            raise ValueError(
                f"publisher prefix {self.prefix!r} must be 2 to 8 lower-case letters or digits "
                "starting with a letter, and not mscrm"
            )
        low, high = _OPTION_VALUE_PREFIX_RANGE
        if not low <= self.option_value_prefix <= high:
            raise ValueError(
                f"option value prefix {self.option_value_prefix} is outside {low}..{high}"
            )


@dataclass(frozen=True)
class DataverseConnector:
    """The connector as a Dataverse component."""

    name: str  # the Dataverse `name`: file stem, RootComponent schemaName, api.logicalName
    display_name: str

    @property
    def id(self) -> uuid.UUID:
        return component_id("connector", self.name)

    @property
    def api_name(self) -> str:
        """The connector's API name as a flow refers to it. The environment adds a random
        `-5f<16 hex>` on import, which no builder can know; the stem without it is written,
        and import binds the flow through api.logicalName and the connection reference."""
        prefix, _, rest = self.name.partition("_")
        return f"shared_{prefix.lower()}-{rest.lower()}"

    @property
    def api_id(self) -> str:
        return API_ID_PREFIX + self.api_name

    def part(self, role: str, extension: str) -> str:
        """The zip path of one connector file, e.g. `Connector/<name>_openapidefinition.json`."""
        return f"{CONNECTOR_FOLDER}/{self.name}_{role}.{extension}"


def connector_name(prefix: str, display_name: str) -> str:
    """The Dataverse name the maker portal gives a connector: `<prefix>_5F<escaped name>`."""
    return f"{prefix}_5F{escape_name(display_name)}"


@dataclass(frozen=True)
class ConnectionReference:
    logical_name: str
    display_name: str
    connector: DataverseConnector

    @property
    def connector_id(self) -> str:
        return self.connector.api_id


@dataclass(frozen=True)
class Solution:
    unique_name: str
    display_name: str
    description: str
    version: str  # four-part

    def __post_init__(self) -> None:
        if not _UNIQUE_NAME.match(self.unique_name):
            raise ValueError(f"solution unique name {self.unique_name!r} is not [A-Za-z0-9_]")
        if four_part_version(self.version) != self.version:
            raise ValueError(f"solution version {self.version!r} is not four-part")

    @property
    def file_name(self) -> str:
        """`<UniqueName>_<a>_<b>_<c>_<d>.zip`, as an unmanaged export is named."""
        return f"{self.unique_name}_{self.version.replace('.', '_')}.zip"


def check_prefixed(publisher: Publisher, *names: str) -> None:
    """Every component name starts with the publisher's prefix and an underscore."""
    for name in names:
        if not name.startswith(f"{publisher.prefix}_"):
            raise ValueError(f"component name {name!r} lacks the prefix {publisher.prefix}_")


def workflow_id(flow_key: str) -> uuid.UUID:
    return component_id("workflow", flow_key)


def workflow_file_name(display_name: str, flow_id: uuid.UUID) -> str:
    """`<name without spaces and punctuation>-<GUID IN UPPER CASE>.json`, as exports name the
    flow files ("Test - LanguageTool" -> "Test-LanguageTool-D9BD...json")."""
    stem = "".join(
        char for char in display_name if char.isascii() and (char.isalnum() or char == "-")
    )
    return f"{stem}-{str(flow_id).upper()}.json"
