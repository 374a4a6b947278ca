"""Policy templates from apiProperties.json, carried out on a request as the gateway does.

Supported: dynamichosturl (replaces scheme + host + basePath), routerequesttoendpoint (replaces
the operation's path, keeping `{name}` path parameters; may change the method), setheader and
setqueryparameter (existsAction override, skip, append or delete; setheader also in the
Response and Failure sections). A policy applies to the operations its
`x-ms-apimTemplate-operationName` lists, or to every operation when it lists none, in the
order of the file. Template ids are matched without regard to case, as the gateway does.

Values may hold expressions: `@connectionParameters('name'[, 'default'])`,
`@headers('name'[, 'default'])` and `@queryParameters('name'[, 'default'])`, the latter two
reading the request as it stands when the policy runs. Any other template is reported as a
`Notice`, never skipped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from retarus_connector.core.names import OPERATION_NAME, PARAMETER_PREFIX, POLICY_SECTION

from .errors import PolicyError
from .package import ConnectorPackage
from .request import Credentials, Notice, RequestDraft

_EXISTS_ACTIONS = ("override", "skip", "append", "delete")
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_ORIGINAL_METHOD = "@request.originalhttpmethod"
_CALL = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)\(")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Policy:
    template_id: str
    title: str
    pointer: str
    parameters: Mapping[str, Any] = field(repr=False)
    operations: tuple[str, ...] | None

    @property
    def kind(self) -> str:
        return self.template_id.lower()

    @property
    def section(self) -> str:
        return str(self.parameters.get(POLICY_SECTION, "Request")).lower()

    @property
    def label(self) -> str:
        return f"'{self.title}' ({self.template_id})" if self.title else f"'{self.template_id}'"

    def applies_to(self, operation_id: str) -> bool:
        return self.operations is None or operation_id in self.operations

    def value(self, name: str, *, required: bool = True) -> str | None:
        key = PARAMETER_PREFIX + name
        if key not in self.parameters:
            if required:
                raise PolicyError(self.label, f"{self.pointer}/parameters", f"needs '{key}'")
            return None
        return str(self.parameters[key])

    def where(self, name: str) -> str:
        return f"{self.pointer}/parameters/{PARAMETER_PREFIX}{name}"


def policies_for(package: ConnectorPackage, operation_id: str) -> list[Policy]:
    """The policies that apply to an operation, in the order apiProperties lists them."""
    found: list[Policy] = []
    for instance in package.api_properties.policies:
        parameters = instance.parameters
        names = parameters.get(OPERATION_NAME)
        operations = (
            tuple(str(name) for name in names)
            if isinstance(names, list)
            else (str(names),)
            if isinstance(names, str)
            else None
        )
        policy = Policy(
            template_id=str(instance.node.get("templateId", "")),
            title=str(instance.node.get("title", "")),
            pointer=instance.pointer,
            parameters=parameters,
            operations=operations,
        )
        if policy.applies_to(operation_id):
            found.append(policy)
    return found


@dataclass
class ExpressionContext:
    connection: Mapping[str, str] = field(repr=False)
    draft: RequestDraft
    credentials: Credentials
    used_secret: bool = False


def evaluate(text: str, context: ExpressionContext, policy: Policy, name: str) -> str:
    """`text` with every expression replaced by its value."""
    out: list[str] = []
    position = 0
    while True:
        match = _CALL.search(text, position)
        if match is None:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position : match.start()])
        arguments, position = _arguments(text, match.end(), policy, name)
        out.append(_call(match.group(1), arguments, context, policy, name))


def _arguments(text: str, start: int, policy: Policy, name: str) -> tuple[list[str], int]:
    """Quoted arguments from `start` up to the closing parenthesis; `''` is a quote."""
    arguments: list[str] = []
    index = start
    expect_argument = True
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char == ")" and (not expect_argument or not arguments):
            return arguments, index + 1
        elif char == "'" and expect_argument:
            index += 1
            value: list[str] = []
            while index < len(text):
                if text[index] == "'" and text[index + 1 : index + 2] == "'":
                    value.append("'")
                    index += 2
                elif text[index] == "'":
                    break
                else:
                    value.append(text[index])
                    index += 1
            else:
                break
            arguments.append("".join(value))
            index += 1
            expect_argument = False
        elif char == "," and not expect_argument:
            expect_argument = True
            index += 1
        else:
            break
    raise PolicyError(
        policy.label,
        policy.where(name),
        "malformed expression: arguments must be quoted strings, like @connectionParameters('name')",
    )


def _call(
    function: str, arguments: list[str], context: ExpressionContext, policy: Policy, name: str
) -> str:
    kind = function.lower()
    if kind not in {"connectionparameters", "headers", "queryparameters"}:
        raise PolicyError(
            policy.label,
            policy.where(name),
            f"the expression @{function}(...) cannot run locally "
            "(supported: @connectionParameters, @headers, @queryParameters)",
        )
    if len(arguments) not in (1, 2):
        raise PolicyError(
            policy.label, policy.where(name), f"@{function} takes a name and an optional default"
        )
    key = arguments[0]
    found: str | None
    if kind == "connectionparameters":
        found = context.connection.get(key)
        if found is not None and found in context.credentials.secrets:
            context.used_secret = True
        what = f"connection parameter '{key}'"
    elif kind == "headers":
        found = context.draft.header(key)
        what = f"request header '{key}'"
    else:
        found = context.draft.query_value(key)
        what = f"query parameter '{key}'"
    if found is not None:
        return found
    if len(arguments) == 2:
        return arguments[1]
    raise PolicyError(policy.label, policy.where(name), f"needs {what}, which was not given")


def apply_request_policies(
    policies: list[Policy],
    draft: RequestDraft,
    connection: Mapping[str, str],
    credentials: Credentials,
) -> list[Notice]:
    """Carry out the Request-section policies on `draft`; returns what could not be done."""
    notices: list[Notice] = []
    for policy in policies:
        context = ExpressionContext(connection, draft, credentials)
        if policy.kind == "dynamichosturl":
            _dynamic_host_url(policy, draft, context)
        elif policy.kind == "routerequesttoendpoint":
            _route_request(policy, draft, context)
        elif policy.kind in {"setheader", "setqueryparameter"}:
            if policy.section == "request":
                _set_value(policy, draft, context)
            elif policy.kind == "setqueryparameter":
                notices.append(
                    Notice(
                        policy.label,
                        f"a query parameter cannot be set in the {policy.section} section",
                    )
                )
        else:
            notices.append(
                Notice(
                    policy.label,
                    f"template '{policy.template_id}' is not supported by the local runtime; "
                    "the request is sent without it",
                )
            )
    return notices


def apply_response_policies(
    policies: list[Policy],
    headers: list[tuple[str, str]],
    *,
    succeeded: bool,
    draft: RequestDraft,
    connection: Mapping[str, str],
    credentials: Credentials,
) -> list[tuple[str, str]]:
    """Response headers after the setheader policies of the Response (and, for a failed
    call, the Failure) section."""
    sections = {"response"} | (set() if succeeded else {"failure"})
    response = RequestDraft(
        method=draft.method, base_url=None, path="", path_values={}, headers=headers
    )
    for policy in policies:
        if policy.kind == "setheader" and policy.section in sections:
            context = ExpressionContext(connection, draft, credentials)
            response.set_header(*_header_settings(policy, context))
    return response.headers


def _dynamic_host_url(policy: Policy, draft: RequestDraft, context: ExpressionContext) -> None:
    template = policy.value("urlTemplate") or ""
    url = evaluate(template, context, policy, "urlTemplate")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        # A URL built from a credential is not shown at all: any part of it may be the secret.
        shown = "a URL built from a credential" if context.used_secret else f"'{url}'"
        raise PolicyError(
            policy.label,
            policy.where("urlTemplate"),
            f"gives {shown}, which is not an absolute http(s) URL without query",
        )
    draft.base_url = url.rstrip("/")


def _route_request(policy: Policy, draft: RequestDraft, context: ExpressionContext) -> None:
    new_path = evaluate(policy.value("newPath") or "", context, policy, "newPath")

    def path_value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in draft.path_values:
            raise PolicyError(
                policy.label,
                policy.where("newPath"),
                f"'{{{name}}}' is not a path parameter of the operation",
            )
        return draft.path_values[name]

    new_path = _PLACEHOLDER.sub(path_value, new_path)
    path, _, query = new_path.partition("?")
    draft.path = path if path.startswith("/") else f"/{path}"
    draft.query += parse_qsl(query, keep_blank_values=True)
    method = policy.value("httpMethod", required=False)
    if method is not None and method.lower() != _ORIGINAL_METHOD:
        if method.upper() not in _METHODS:
            raise PolicyError(
                policy.label,
                policy.where("httpMethod"),
                f"'{method}' is not an HTTP method (nor @Request.OriginalHTTPMethod)",
            )
        draft.method = method.upper()


def _header_settings(policy: Policy, context: ExpressionContext) -> tuple[str, str, str]:
    name = evaluate(policy.value("name") or "", context, policy, "name")
    value = evaluate(policy.value("value") or "", context, policy, "value")
    action = (policy.value("existsAction", required=False) or "override").lower()
    if action not in _EXISTS_ACTIONS:
        raise PolicyError(
            policy.label,
            policy.where("existsAction"),
            f"'{action}' is not one of {', '.join(_EXISTS_ACTIONS)}",
        )
    if not name:
        raise PolicyError(policy.label, policy.where("name"), "the name is empty")
    return name, value, action


def _set_value(policy: Policy, draft: RequestDraft, context: ExpressionContext) -> None:
    name, value, action = _header_settings(policy, context)
    if policy.kind == "setheader":
        if context.used_secret:
            context.credentials.secret_headers.add(name.lower())
        draft.set_header(name, value, action)
    else:
        if context.used_secret:
            context.credentials.secret_query.add(name)
        draft.set_query(name, value, action)
