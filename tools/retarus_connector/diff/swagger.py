"""Reading a parsed Swagger 2.0 document the way the diff needs it, tolerating any shape.

Nothing here assumes the document is valid: a value of the wrong type is treated as absent, so
that comparing two broken swaggers reports what it can instead of crashing. Pointers and
references are core's (`core.pointer`, `core.refs`), so a reference resolves here exactly when it
resolves for the linter and the runtime.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from retarus_connector.core.names import HTTP_METHODS
from retarus_connector.core.pointer import join as child
from retarus_connector.core.refs import follow

__all__ = ["TEXT_KEYS", "child", "resolve"]  # child: what the comparisons call core's join

# the keys that hold texts for people: their changes are DescriptionChanged, never breaking
TEXT_KEYS = ("summary", "description", "x-ms-summary", "title")


def resolve(document: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow the `$ref`s from `node` (at `pointer`) to the node they name, with its pointer.

    A reference that does not resolve (external, dangling, circular, too long a chain: see
    `core.refs`) leaves the `$ref` node where following stopped.
    """
    found = follow(document, node, pointer)
    return found.node, found.pointer


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def url_key(url: str | None) -> tuple[str, ...] | None:
    """A URL as compared: scheme and host without case, the scheme's default port dropped."""
    if url is None:
        return None
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return (url,)
    if port == {"https": 443, "http": 80}.get(parts.scheme.lower()):
        port = None
    return (
        parts.scheme.lower(),
        (parts.hostname or "").lower(),
        str(port or ""),
        parts.path,
        parts.query,
    )


def shown_url(url: str) -> str:
    """A URL as messages show it: without a user name and password, and without its query,
    which may carry a client secret or an API key."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "(a URL that cannot be parsed)"
    shown = urlunsplit((parts.scheme, shown_host(parts.netloc), parts.path, "", ""))
    return shown + ("?..." if parts.query else "")


def shown_host(host: str) -> str:
    """A host as messages show it: without the credentials a "user:password@" would carry."""
    return host.rpartition("@")[2]


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # the parameter's `in`
    node: dict[str, Any]
    pointer: str

    @property
    def required(self) -> bool:
        return self.node.get("required") is True

    @property
    def has_default(self) -> bool:
        return "default" in self.node

    @property
    def label(self) -> str:
        return f"'{self.name}' ({self.location})"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    node: dict[str, Any]
    path_item: dict[str, Any] = field(repr=False)

    @property
    def operation_id(self) -> str | None:
        value = self.node.get("operationId")
        return value if isinstance(value, str) and value else None

    @property
    def pointer(self) -> str:
        return child("", "paths", self.path, self.method)

    @property
    def route(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def label(self) -> str:
        """How messages name the operation: its operationId, else its method and path."""
        return self.operation_id or self.route

    @property
    def deprecated(self) -> bool:
        return self.node.get("deprecated") is True

    def parameters(self, document: Any) -> list[Parameter]:
        """The effective parameters: the path item's, overridden by the operation's own
        (same name and location), with `$ref`s to `#/parameters` resolved."""
        found: dict[tuple[str, str], Parameter] = {}
        sources = (
            (self.path_item.get("parameters"), child("", "paths", self.path, "parameters")),
            (self.node.get("parameters"), child(self.pointer, "parameters")),
        )
        for entries, base in sources:
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                node, pointer = resolve(document, entry, child(base, index))
                if not isinstance(node, dict):
                    continue
                name, location = node.get("name"), node.get("in")
                if isinstance(name, str) and isinstance(location, str):
                    found[(name, location)] = Parameter(name, location, node, pointer)
        return list(found.values())

    def responses(self) -> dict[str, Any]:
        return {str(code): value for code, value in as_dict(self.node.get("responses")).items()}


def operations(document: Any) -> Iterator[Operation]:
    """Every operation of the document, in file order."""
    for path, path_item in as_dict(as_dict(document).get("paths")).items():
        if not isinstance(path_item, dict):
            continue
        for method, node in path_item.items():
            if method in HTTP_METHODS and isinstance(node, dict):
                yield Operation(method, path, node, path_item)


@dataclass(frozen=True)
class SecurityScheme:
    """One entry of `securityDefinitions`: how a connection authenticates."""

    name: str
    node: dict[str, Any]
    pointer: str

    def text(self, key: str) -> str | None:
        return as_text(self.node.get(key))

    @property
    def type(self) -> str | None:
        value = self.text("type")
        # the Swagger 2.0 values are basic, apiKey and oauth2; case is not what differs
        return value.lower() if value is not None else None


def security_schemes(document: Any) -> list[SecurityScheme]:
    """The security definitions, in file order."""
    return [
        SecurityScheme(name, node, child("", "securityDefinitions", name))
        for name, node in as_dict(as_dict(document).get("securityDefinitions")).items()
        if isinstance(node, dict)
    ]


@dataclass(frozen=True)
class Requirement:
    """A security definition named by a `security` requirement, with the scopes it asks for."""

    scheme: str
    scopes: tuple[str, ...]
    pointer: str


def _requirements_in(entries: Any, base: str) -> Iterator[Requirement]:
    if not isinstance(entries, list):
        return
    for index, entry in enumerate(entries):
        for scheme, listed in as_dict(entry).items():
            split = tuple(
                part
                for scope in (listed if isinstance(listed, list) else [])
                if isinstance(scope, str)
                for part in scope.split()
            )
            yield Requirement(scheme, split, child(base, index, scheme))


def requirements(document: Any) -> Iterator[Requirement]:
    """Every scheme the top-level `security` and the operations' `security` name, in that
    order. Scopes are split on whitespace: connectors often write "read write" as one scope."""
    yield from _requirements_in(as_dict(document).get("security"), "/security")
    for operation in operations(document):
        yield from _requirements_in(
            operation.node.get("security"), child(operation.pointer, "security")
        )


def default_scheme(document: Any) -> str | None:
    """The definition a connection authenticates with, as the gateway picks it: the first one
    the top-level `security` names, else the first one defined."""
    defined = [scheme.name for scheme in security_schemes(document)]
    for requirement in _requirements_in(as_dict(document).get("security"), "/security"):
        if requirement.scheme in defined:
            return requirement.scheme
    return defined[0] if defined else None


def scopes(document: Any, scheme: SecurityScheme) -> dict[str, str]:
    """The OAuth scopes a definition stands for, each with the pointer of where it is written:
    the definition's `scopes` and the scopes that requirements naming it ask for."""
    found: dict[str, str] = {}
    for key in as_dict(scheme.node.get("scopes")):
        for scope in key.split():
            found.setdefault(scope, child(scheme.pointer, "scopes", key))
    for requirement in requirements(document):
        if requirement.scheme == scheme.name:
            for scope in requirement.scopes:
                found.setdefault(scope, requirement.pointer)
    return found
