"""A package's custom code (script.csx), played locally by a Python stand-in.

The gateway builds an operation's request from the swagger, authentication and the policies,
then, for the operations apiProperties lists in `scriptOperations` (every operation when the
list is empty or missing), hands it to the script instead of sending it. The script may change
the request and send it on (`Context.SendAsync`), or answer by itself.

The runtime cannot run C#. Whoever knows what a package's script does may give the runtime a
stand-in: a callable that receives the request as a `ScriptRequest`, may change its method, URL,
headers and body, and returns None to have it sent, or a `ScriptAnswer` to answer without
sending anything. Without a stand-in the request goes out as the codeless definition built it,
with a `Notice` saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import CallError
from .package import ConnectorPackage


@dataclass
class ScriptRequest:
    """The request as the script sees it (`Context.Request`, `Context.OperationId`)."""

    operation_id: str
    method: str
    url: str
    headers: list[tuple[str, str]] = field(repr=False)
    body: bytes | None = field(repr=False)

    def header_values(self, name: str) -> list[str]:
        """Every value of a header (names compared without regard to case)."""
        return [value for key, value in self.headers if key.lower() == name.lower()]


@dataclass(frozen=True)
class ScriptAnswer:
    """A response the script gives by itself; nothing reaches the network."""

    status: int
    body: bytes = field(repr=False)
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    reason: str = ""


CustomCode = Callable[[ScriptRequest], ScriptAnswer | None]


class CustomCodeError(CallError):
    """The stand-in left a request that cannot be sent."""

    def __init__(self, operation_id: str, message: str) -> None:
        self.operation_id = operation_id
        super().__init__(f"custom code for '{operation_id}': {message}")


def runs_custom_code(package: ConnectorPackage, operation_id: str) -> bool:
    """Whether the gateway hands this operation to the package's script."""
    if package.script is None:
        return False
    listed = package.script_operations()
    return not listed or operation_id in listed


def run_stand_in(stand_in: CustomCode, request: ScriptRequest) -> ScriptAnswer | None:
    """Run the stand-in on `request` (changed in place); check that what it leaves can be sent."""
    answer = stand_in(request)
    if answer is not None:
        return answer
    parts = urlsplit(request.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CustomCodeError(
            request.operation_id, "the request URL is not an absolute http(s) URL"
        )
    return None
