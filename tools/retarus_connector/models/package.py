"""The connector as a whole: API metadata, connection, policies, readme texts, file names."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from retarus_connector.core import names

# the connector's custom code, named where every layer reads file names
from retarus_connector.core.names import SCRIPT_FILE as SCRIPT_FILE

from .operation import Operation
from .schema import Definition

API_DEFINITION_FILE = names.SWAGGER_FILE
API_PROPERTIES_FILE = names.PROPERTIES_FILE
ICON_FILE = names.ICON_FILE
SETTINGS_FILE = names.SETTINGS_FILE
CONNECTOR_README_FILE = names.README_FILE  # the name Microsoft's connector repository uses
REPOSITORY_README_FILE = "README.md"  # the user guide, which embeds the connector readme

_HEX_COLOR = re.compile(r"^#[0-9a-f]{6}$")
# What a HostChoice may hold: values that can only ever be names (they are compared, never
# put into a URL, but the C# and Python sources quote them), and absolute http(s) base URLs.
_HOST_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_BASE_URL = re.compile(
    r"^https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?(/[A-Za-z0-9._~/-]*)?$"
)
# A plain release: dotted numbers only; build metadata after "+" does not make a pre-release.
_RELEASE_VERSION = re.compile(r"^(\d+)(\.\d+)+(\+.*)?$")


def release_status(version: str) -> str:
    """The x-ms-api-annotation status a version implies: Preview for a pre-release (major
    version 0, or a pre-release or development part such as 1.1.0rc1, 1.1.0-beta.2 or
    1.1.0.dev3), Production for any other release."""
    match = _RELEASE_VERSION.match(version.strip())
    if match is None or int(match.group(1)) == 0:
        return "Preview"
    return "Production"


@dataclass(frozen=True)
class Contact:
    name: str
    url: str
    email: str


@dataclass(frozen=True)
class Metadata:
    """The swagger's x-ms-connector-metadata."""

    website: str
    privacy_policy: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class AgentManifest:
    """The swagger's x-ms-openai-manifest, read when the connector is offered to agents."""

    human_name: str
    model_description: str
    contact_email: str
    legal_url: str


@dataclass(frozen=True)
class Api:
    title: str
    description: str
    version: str
    status: str  # x-ms-api-annotation status: Preview or Production
    contact: Contact
    host: str
    base_path: str
    security_name: str  # the one basic-auth security definition
    metadata: Metadata
    agent_manifest: AgentManifest
    operations: tuple[Operation, ...]
    definitions: tuple[Definition, ...]
    schemes: tuple[str, ...] = ("https",)  # the first one builds the backend URL

    def operation(self, operation_id: str) -> Operation:
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(f"no operation {operation_id!r}")

    def definition(self, name: str) -> Definition:
        for definition in self.definitions:
            if definition.name == name:
                return definition
        raise KeyError(f"no definition {name!r}")


@dataclass(frozen=True)
class ConnectionParameter:
    name: str
    type: str  # securestring for both Retarus credentials
    display_name: str
    description: str
    tooltip: str
    tab_index: int
    clear_text: bool
    required: bool


@dataclass(frozen=True)
class DynamicHostPolicy:
    """A dynamichosturl policy: sends the listed operations to the URL the template yields."""

    title: str
    url_template: str
    operation_ids: tuple[str, ...]


@dataclass(frozen=True)
class HostChoice:
    """Custom code (script.csx) that sends the listed operations to one of a fixed set of base
    URLs, picked by the exact value of a request header; any other value is refused before
    anything is sent. Unlike a dynamichosturl policy, the header's text never becomes part of
    a URL, so no value can move the request, with the connection's credentials, elsewhere."""

    header: str
    default: str  # the choice when the request carries no such header
    base_urls: tuple[tuple[str, str], ...]  # (header value, scheme://host/basePath), in order
    base_path: str  # the basePath of the URL the gateway hands the code, which it replaces
    operation_ids: tuple[str, ...]
    refusal: str  # the error message for a value outside the table

    def __post_init__(self) -> None:
        values = [value for value, _ in self.base_urls]
        if not values or len(set(values)) != len(values):
            raise ValueError(f"host choice {self.header!r}: values must be given once each")
        if self.default not in values:
            raise ValueError(f"host choice {self.header!r}: default {self.default!r} not listed")
        for value, url in self.base_urls:
            if not _HOST_VALUE.match(value) or not _BASE_URL.match(url):
                raise ValueError(
                    f"host choice {self.header!r}: {value!r} -> {url!r} is not a plain name "
                    "and an absolute http(s) URL without query"
                )
        if not self.base_path.startswith("/"):
            raise ValueError(f"host choice {self.header!r}: base path {self.base_path!r}")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.base_urls)


@dataclass(frozen=True)
class ReadmeText:
    """The hand-written parts of the connector readme; the operations section is generated."""

    prerequisites: str
    obtaining_credentials: str
    getting_started: str
    known_issues: str
    deployment_instructions: str
    # Sub-sections of Getting Started: (heading, text), each under a "###" heading.
    recipes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Connector:
    api: Api
    publisher: str
    stack_owner: str
    icon_brand_color: str
    capabilities: tuple[str, ...]
    connection_parameters: tuple[ConnectionParameter, ...]
    policies: tuple[DynamicHostPolicy, ...]
    readme: ReadmeText
    host_choice: HostChoice | None = None  # custom code (script.csx), when there is any

    def __post_init__(self) -> None:
        if not _HEX_COLOR.match(self.icon_brand_color):
            raise ValueError(
                f"icon_brand_color {self.icon_brand_color!r} is not a lower-case #rrggbb color"
            )
        known = {operation.operation_id for operation in self.api.operations}
        for policy in self.policies:
            unknown = sorted(set(policy.operation_ids) - known)
            if unknown:
                raise ValueError(f"policy {policy.title!r} names unknown operations {unknown}")
        if self.host_choice is not None:
            unknown = sorted(set(self.host_choice.operation_ids) - known)
            if unknown:
                raise ValueError(f"the custom code names unknown operations {unknown}")

    def with_version(self, version: str) -> Connector:
        """The same connector at another version; the release status follows it."""
        api = replace(self.api, version=version, status=release_status(version))
        return replace(self, api=api)

    @property
    def brand_rgb(self) -> tuple[int, int, int]:
        value = int(self.icon_brand_color[1:], 16)
        return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF
