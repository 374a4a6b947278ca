"""The HTTP request of an operation, built the way the Power Platform gateway builds it.

The backend URL is the swagger's first scheme + host + basePath; path, query, header, body and
formData parameters go where the swagger puts them, arrays joined by their collectionFormat;
the connection's authentication comes next, and the policy templates last, so that a policy may
override what authentication set (as a `setheader` for Authorization does in real packages).

A `PreparedCall` holds credentials, so its repr and every text it offers for display are
masked (see `masking`).
"""

from __future__ import annotations

import base64
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode

from .custom_code import ScriptAnswer
from .errors import ConnectionParameterError, InputError, InputProblem, PackageError
from .masking import Mask
from .package import API_KEY, BASIC_PASSWORD, BASIC_USERNAME, ConnectorPackage, OperationSpec

_SEPARATORS = MappingProxyType({"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"})


@dataclass(frozen=True)
class Notice:
    """Something the runtime could not do as the gateway would, reported instead of hidden."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class RequestDraft:
    """A request under construction; policies edit it in place."""

    method: str
    base_url: str | None
    path: str
    path_values: dict[str, str]
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list, repr=False)
    body: bytes | None = field(default=None, repr=False)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def query_value(self, name: str) -> str | None:
        return next((v for k, v in self.query if k == name), None)

    def set_header(self, name: str, value: str, action: str = "override") -> None:
        self.headers = _set(self.headers, name, value, action, fold_case=True)

    def set_query(self, name: str, value: str, action: str = "override") -> None:
        self.query = _set(self.query, name, value, action, fold_case=False)

    def url(self) -> str:
        """The full URL; the base URL must be known by now (see `Operation._prepare`)."""
        query = f"?{urlencode(self.query, quote_via=quote)}" if self.query else ""
        return f"{self.base_url or ''}{self.path}{query}"


def _set(
    pairs: list[tuple[str, str]], name: str, value: str, action: str, *, fold_case: bool
) -> list[tuple[str, str]]:
    """`pairs` after setting `name` with a policy's existsAction: override, skip, append or
    delete (which ignores `value`)."""

    def same(key: str) -> bool:
        return key.lower() == name.lower() if fold_case else key == name

    if action == "delete":
        return [pair for pair in pairs if not same(pair[0])]
    present = any(same(key) for key, _ in pairs)
    if action == "skip" and present:
        return pairs
    if action == "append" and present:
        if fold_case:
            # One header line: HTTP joins repeated header values with a comma anyway.
            return [(k, f"{v}, {value}" if same(k) else v) for k, v in pairs]
        return [*pairs, (name, value)]
    return [*(pair for pair in pairs if not same(pair[0])), (name, value)]


@dataclass(frozen=True)
class PreparedCall:
    """The request as it will be sent. Printing it never shows a credential."""

    operation_id: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = field(repr=False)
    body: bytes | None = field(repr=False)
    secrets: frozenset[str] = field(repr=False, default=frozenset())
    secret_headers: frozenset[str] = field(repr=False, default=frozenset())
    secret_query: frozenset[str] = field(repr=False, default=frozenset())
    notices: tuple[Notice, ...] = ()
    # The package's custom code answered by itself: nothing is sent, this is the response.
    answer: ScriptAnswer | None = field(repr=False, default=None)

    def __repr__(self) -> str:
        return f"PreparedCall({self.operation_id!r}, {self.method} {self.redacted_url()})"

    @property
    def mask(self) -> Mask:
        """What hides this call's credentials in anything shown about it or its response."""
        return Mask(self.secrets, self.secret_headers, self.secret_query)

    def redacted_url(self) -> str:
        return self.mask.url(self.url)

    def redacted_headers(self) -> list[tuple[str, str]]:
        return self.mask.headers_shown(self.headers)


def text_of(value: Any, collection_format: str = "csv") -> str:
    """A parameter value as the text that goes into a path, header or query."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return _SEPARATORS.get(collection_format, ",").join(text_of(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def header_value_problem(value: str) -> str | None:
    """Why HTTP cannot carry `value` as a header value; None when it can.

    http.client sends header values as Latin-1, and a line break would end the header early.
    """
    if "\r" in value or "\n" in value:
        return "holds a line break, which would end the HTTP header"
    for character in value:
        code = ord(character)
        if code > 0xFF or code == 0x7F or (code < 0x20 and character != "\t"):
            return (
                f"holds {character!r} (U+{code:04X}), which an HTTP header cannot carry "
                "(Latin-1 text only)"
            )
    return None


def connection_value_problem(value: str) -> str | None:
    """Why `value` cannot be a connection parameter's value; None when it can. Never quotes
    the value or any part of it: connection values are credentials more often than not.

    Text that was not UTF-8 reaches Python as lone surrogates (an environment variable or a
    command-line argument holding such bytes), which no request can carry.
    """
    if not value:
        return "is empty"
    if any("\ud800" <= character <= "\udfff" for character in value):
        return "is not UTF-8 text"
    if any(unicodedata.category(character) == "Cc" for character in value):
        return "holds a control character (a tab, a line break or similar)"
    return None


def _encode_path_value(text: str, encoding: str) -> str:
    encoded = quote(text, safe="")
    return quote(encoded, safe="") if encoding == "double" else encoded


def build_request(
    package: ConnectorPackage, operation: OperationSpec, values: Mapping[str, Any]
) -> RequestDraft:
    """The request from the operation and its (already resolved and checked) values."""
    path_values: dict[str, str] = {}
    path = operation.path
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    form: list[tuple[str, Any]] = []
    body: bytes | None = None
    problems: list[InputProblem] = []
    consumes = package.media_types(operation, "consumes")
    content_type = consumes[0] if consumes else "application/json"

    for parameter in operation.parameters:
        if parameter.name not in values:
            continue
        value = values[parameter.name]
        collection_format = str(parameter.spec.get("collectionFormat", "csv"))
        if parameter.location == "path":
            encoded = _encode_path_value(
                text_of(value, collection_format),
                str(parameter.spec.get("x-ms-url-encoding", "single")),
            )
            path_values[parameter.name] = encoded
            path = path.replace("{" + parameter.name + "}", encoded)
        elif parameter.location == "query":
            if collection_format == "multi" and isinstance(value, list):
                query += [(parameter.name, text_of(item)) for item in value]
            else:
                query.append((parameter.name, text_of(value, collection_format)))
        elif parameter.location == "header":
            # Blanks around a header value are not part of it in HTTP (RFC 9110, 5.5).
            text = text_of(value, collection_format).strip(" \t")
            problem = header_value_problem(text)
            if problem is not None:
                problems.append(InputProblem(parameter.name, "", problem))
            headers.append((parameter.name, text))
        elif parameter.location == "formData":
            if collection_format == "multi" and isinstance(value, list):
                form += [(parameter.name, item) for item in value]
            else:
                form.append(
                    (
                        parameter.name,
                        value if parameter.is_file else text_of(value, collection_format),
                    )
                )
        elif parameter.location == "body" and value is not None:
            body = _body_bytes(value, content_type)
    if problems:
        raise InputError(tuple(problems))

    draft = RequestDraft(
        method=operation.method,
        base_url=package.base_url(),
        path=path,
        path_values=path_values,
        query=query,
    )
    if form:
        body, content_type = _form_body(
            form,
            multipart="multipart/form-data" in consumes
            or any(p.is_file for p in operation.parameters),
        )
    if body is not None:
        draft.set_header("Content-Type", content_type)
        draft.body = body
    for name, value in headers:
        draft.set_header(name, value)
    return draft


def _body_bytes(value: Any, content_type: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str) and "json" not in content_type.lower():
        return value.encode("utf-8")
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _form_body(form: list[tuple[str, Any]], *, multipart: bool) -> tuple[bytes, str]:
    if not multipart:
        encoded = urlencode([(name, text_of(value)) for name, value in form], quote_via=quote)
        return encoded.encode("ascii"), "application/x-www-form-urlencoded"
    from urllib3 import encode_multipart_formdata

    fields = [
        (name, (name, value) if isinstance(value, bytes) else text_of(value))
        for name, value in form
    ]
    return encode_multipart_formdata(fields)


@dataclass
class Credentials:
    """What authentication added to a request and must never be shown."""

    secrets: set[str] = field(default_factory=set, repr=False)
    secret_headers: set[str] = field(default_factory=set)
    secret_query: set[str] = field(default_factory=set)
    notices: list[Notice] = field(default_factory=list)

    def hide(self, value: str) -> None:
        if value:
            self.secrets.add(value)

    def mask(self) -> Mask:
        return Mask(
            frozenset(self.secrets), frozenset(self.secret_headers), frozenset(self.secret_query)
        )


def secret_connection_values(
    package: ConnectorPackage, connection: Mapping[str, str]
) -> Credentials:
    """Every connection value that must stay hidden: securestring parameters, and the names
    Power Platform uses for credentials when the package declares no types."""
    declared = package.connection_parameters()
    credentials = Credentials()
    for name, value in connection.items():
        kind = declared.get(name) if declared is not None else None
        if (
            (kind is not None and kind.secret)
            or name in {BASIC_PASSWORD, API_KEY, "token"}
            or (kind is None and "secret" in name.lower())
        ):
            credentials.hide(value)
    return credentials


def apply_authentication(
    package: ConnectorPackage,
    operation: OperationSpec,
    draft: RequestDraft,
    connection: Mapping[str, str],
    credentials: Credentials,
) -> None:
    """Add what the security definition asks for, from the connection parameters."""
    found = package.security_scheme(operation)
    if found is None:
        return
    name, definition = found
    kind = definition.get("type")
    if kind == "basic":
        for required in (BASIC_USERNAME, BASIC_PASSWORD):
            if required not in connection:
                raise ConnectionParameterError(
                    required, f"needed for basic authentication ('{name}') but not given"
                )
        token = base64.b64encode(
            f"{connection[BASIC_USERNAME]}:{connection[BASIC_PASSWORD]}".encode()
        ).decode("ascii")
        credentials.hide(token)
        # What the token decodes to is as secret as the token: a server may echo either.
        credentials.hide(f"{connection[BASIC_USERNAME]}:{connection[BASIC_PASSWORD]}")
        credentials.hide(connection[BASIC_PASSWORD])
        draft.set_header("Authorization", f"Basic {token}")
    elif kind == "apiKey":
        source = _api_key_parameter(package)
        if source not in connection:
            raise ConnectionParameterError(
                source, f"needed for API key authentication ('{name}') but not given"
            )
        key_name = str(definition.get("name", ""))
        if not key_name:
            raise PackageError(
                package.swagger_file,
                f"/securityDefinitions/{name}",
                "an apiKey definition needs a name",
            )
        credentials.hide(connection[source])
        if definition.get("in") == "query":
            draft.set_query(key_name, connection[source])
            credentials.secret_query.add(key_name)
        else:
            draft.set_header(key_name, connection[source])
            credentials.secret_headers.add(key_name.lower())
    elif kind == "oauth2":
        if "token" in connection:
            credentials.hide(connection["token"])
            draft.set_header("Authorization", f"Bearer {connection['token']}")
        else:
            credentials.notices.append(
                Notice(
                    f"security definition '{name}'",
                    "OAuth 2.0 sign-in cannot run locally; pass an access token as connection parameter 'token'",
                )
            )


def _api_key_parameter(package: ConnectorPackage) -> str:
    """Power Platform keeps an API key in the connection parameter `api_key`; a package that
    names it differently has exactly one securestring parameter."""
    declared = package.connection_parameters()
    if declared is None or API_KEY in declared:
        return API_KEY
    secret = [p.name for p in declared.values() if p.secret]
    return secret[0] if len(secret) == 1 else API_KEY
