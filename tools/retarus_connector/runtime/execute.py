"""Sending a prepared request with requests, and what comes back.

`host_overrides` sends requests meant for one host somewhere else (a local test server, say):
host -> URL prefix that replaces `scheme://host` of the gateway URL. It is applied last, so that
the request is otherwise exactly the one the gateway would send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import TransportError
from .request import Notice, PreparedCall
from .responses import ResponseProblem

if TYPE_CHECKING:
    import requests

DEFAULT_TIMEOUT = 30.0


def rewrite_host(url: str, host_overrides: Mapping[str, str] | None) -> str:
    """`url` with `scheme://host[:port]` replaced by the prefix its host maps to, if any."""
    if not host_overrides:
        return url
    parts = urlsplit(url)
    overrides = {host.lower(): prefix for host, prefix in host_overrides.items()}
    prefix = overrides.get(parts.netloc.lower(), overrides.get((parts.hostname or "").lower()))
    if prefix is None:
        return url
    rest = url[len(f"{parts.scheme}://{parts.netloc}") :]
    return prefix.rstrip("/") + rest


@dataclass(frozen=True)
class RawResponse:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    content: bytes = field(repr=False)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def send(
    prepared: PreparedCall,
    *,
    session: requests.Session | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> RawResponse:
    """Send the request; raise TransportError (credentials scrubbed) when no response comes."""
    import requests

    own_session = session is None
    active = requests.Session() if session is None else session
    try:
        response = active.request(
            prepared.method,
            prepared.url,
            headers=dict(prepared.headers),
            data=prepared.body,
            timeout=timeout,
            # Any auth keeps requests from reading ~/.netrc, whose credentials would replace
            # the connection's Authorization header or be added where there is none.
            auth=_headers_as_built,
        )
        content = response.content
    except requests.exceptions.Timeout:
        raise TransportError(
            f"{prepared.method} {_without_query(prepared)}: no response within {timeout:g} seconds"
        ) from None
    except requests.exceptions.RequestException as error:
        reason = prepared.mask.message(str(error), urls=(prepared.url,)) or type(error).__name__
        raise TransportError(
            f"{prepared.method} {_without_query(prepared)}: {type(error).__name__}: {reason}"
        ) from None
    finally:
        if own_session:
            active.close()
    return RawResponse(
        status=response.status_code,
        reason=str(response.reason or ""),
        headers=tuple((str(k), str(v)) for k, v in response.headers.items()),
        content=content,
    )


def _headers_as_built(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


def _without_query(prepared: PreparedCall) -> str:
    return prepared.redacted_url().split("?", 1)[0]


@dataclass(frozen=True)
class CallResult:
    """A response with what the swagger says about it."""

    request: PreparedCall
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: Any
    body_is_json: bool
    problems: tuple[ResponseProblem, ...]
    notices: tuple[Notice, ...]

    @property
    def ok(self) -> bool:
        """A 2xx status, whatever the body."""
        return 200 <= self.status < 300

    @property
    def valid(self) -> bool:
        """The response is what the swagger documents for its status."""
        return not self.problems

    def masked_body(self) -> Any:
        """The body with every value that is a credential replaced (see `masking`); exact
        otherwise."""
        return self.request.mask.body(self.body, is_json=self.body_is_json)

    def masked_headers(self) -> list[tuple[str, str]]:
        """The response headers with credential headers and credential values masked."""
        return self.request.mask.headers_shown(self.headers)
