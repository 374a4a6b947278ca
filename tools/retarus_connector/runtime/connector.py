"""The runtime's Python API: load a package, pick an operation, call it.

    connector = Connector.load(folder)
    result = connector.operation("ListItems").call({"limit": 5}, {"api_key": key}, session=session)

Inputs are typed values keyed by swagger parameter name (the body under its body parameter's
name); connection values are strings keyed by apiProperties connection parameter name. A
package with custom code (script.csx) runs it only through a Python stand-in given to `load`
(see `custom_code`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .custom_code import CustomCode, ScriptRequest, run_stand_in, runs_custom_code
from .errors import ConnectionParameterError, HeaderError, InputError, InputProblem, PackageError
from .execute import DEFAULT_TIMEOUT, CallResult, RawResponse, rewrite_host, send
from .inputs import parse_text_value, resolve_inputs
from .package import ConnectionParameter, ConnectorPackage, OperationSpec, Parameter
from .policies import Policy, apply_request_policies, apply_response_policies, policies_for
from .request import (
    Credentials,
    Notice,
    PreparedCall,
    RequestDraft,
    apply_authentication,
    build_request,
    header_value_problem,
    secret_connection_values,
)
from .responses import DecodedBody, ResponseProblem, decode_body, response_problems

if TYPE_CHECKING:
    import requests


class Connector:
    """A connector package ready to run."""

    def __init__(self, package: ConnectorPackage, custom_code: CustomCode | None = None) -> None:
        self.package = package
        self.custom_code = custom_code

    @classmethod
    def load(cls, directory: Path | str, custom_code: CustomCode | None = None) -> Connector:
        """Load `apiDefinition.swagger.json` (and `apiProperties.json` and `script.csx`, if
        present) from a folder. `custom_code` stands in for the script (see `custom_code`)."""
        return cls(ConnectorPackage.load(directory), custom_code)

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(
            Operation(self.package, spec, self.custom_code) for spec in self.package.operations
        )

    def operation(self, operation_id: str) -> Operation:
        """The operation with this operationId; UnknownOperationError (with suggestions) if none."""
        return Operation(self.package, self.package.operation(operation_id), self.custom_code)

    @property
    def connection_parameters(self) -> Mapping[str, ConnectionParameter] | None:
        """Declared connection parameters; None when the package has no apiProperties.json."""
        return self.package.connection_parameters()


@dataclass
class _Prepared:
    call: PreparedCall
    draft: RequestDraft
    policies: list[Policy]
    credentials: Credentials
    connection: Mapping[str, str]


class Operation:
    """One operation of a connector package."""

    def __init__(
        self, package: ConnectorPackage, spec: OperationSpec, custom_code: CustomCode | None = None
    ) -> None:
        self.package = package
        self.spec = spec
        self.custom_code = custom_code

    def __repr__(self) -> str:
        return f"Operation({self.spec.operation_id!r}, {self.spec.method} {self.spec.path})"

    @property
    def operation_id(self) -> str:
        return self.spec.operation_id

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        return self.spec.parameters

    @property
    def body_parameter(self) -> Parameter | None:
        return self.spec.body_parameter

    def documented_statuses(self) -> tuple[str, ...]:
        """The keys of the operation's `responses` ("200", "404", "default", ...)."""
        return tuple(self.package.responses(self.spec))

    def parse_text_inputs(self, texts: Mapping[str, Sequence[str]]) -> dict[str, Any]:
        """Typed inputs from text values (as a command line gives them), checked per parameter
        type; every problem at once in one InputError."""
        values: dict[str, Any] = {}
        problems: list[InputProblem] = []
        for name, given in texts.items():
            parameter = self.spec.parameter(name)
            if parameter is None:
                values[name] = given[0] if len(given) == 1 else list(given)  # reported later
                continue
            try:
                values[name] = parse_text_value(parameter, given)
            except InputError as error:
                problems += error.problems
        if problems:
            raise InputError(tuple(problems))
        return values

    def resolve_inputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Every value the request carries (defaults and internal values included), checked."""
        return resolve_inputs(self.package, self.spec, inputs)

    def _prepare(
        self,
        inputs: Mapping[str, Any] | None,
        connection: Mapping[str, str] | None,
        host_overrides: Mapping[str, str] | None,
    ) -> _Prepared:
        values = resolve_inputs(self.package, self.spec, inputs or {})
        connection = dict(connection or {})
        self._check_connection(connection)
        credentials = secret_connection_values(self.package, connection)
        draft = build_request(self.package, self.spec, values)
        apply_authentication(self.package, self.spec, draft, connection, credentials)
        policies = policies_for(self.package, self.spec.operation_id)
        notices = [*credentials.notices]
        notices += apply_request_policies(policies, draft, connection, credentials)
        if draft.base_url is None:
            raise PackageError(
                self.package.swagger_file, "/host", "no host, and no dynamichosturl policy sets one"
            )
        request = ScriptRequest(
            self.spec.operation_id, draft.method, draft.url(), list(draft.headers), draft.body
        )
        answer = None
        if runs_custom_code(self.package, self.spec.operation_id):
            if self.custom_code is None:
                notices.append(
                    Notice(
                        "script.csx",
                        "the package's custom code cannot run locally and no stand-in for it "
                        "was given; the request is sent as the connector definition builds it",
                    )
                )
            else:
                answer = run_stand_in(self.custom_code, request)
        for name, value in request.headers:
            # Header parameters were checked as inputs; these came from the connection.
            if header_value_problem(value) is not None:
                raise HeaderError(
                    name,
                    "its value holds a line break, a control character or a character beyond "
                    "Latin-1, which an HTTP header cannot carry",
                )
        prepared = PreparedCall(
            operation_id=self.spec.operation_id,
            method=request.method,
            url=rewrite_host(request.url, host_overrides),
            headers=tuple(request.headers),
            body=request.body,
            secrets=frozenset(credentials.secrets),
            secret_headers=frozenset(credentials.secret_headers),
            secret_query=frozenset(credentials.secret_query),
            notices=tuple(notices),
            answer=answer,
        )
        return _Prepared(prepared, draft, policies, credentials, connection)

    def _check_connection(self, connection: Mapping[str, str]) -> None:
        declared = self.package.connection_parameters()
        for name, value in connection.items():
            if declared is not None and name not in declared:
                listing = ", ".join(declared) or "none"
                raise ConnectionParameterError(
                    name, f"is not declared in apiProperties.json (declared: {listing})"
                )
            if not isinstance(value, str):
                raise ConnectionParameterError(name, "takes a string value")

    def prepare(
        self,
        inputs: Mapping[str, Any] | None = None,
        connection: Mapping[str, str] | None = None,
        *,
        host_overrides: Mapping[str, str] | None = None,
    ) -> PreparedCall:
        """The request the gateway would send, without sending it.

        Raises InputError, ConnectionParameterError, PolicyError, CustomCodeError or
        PackageError; nothing has been sent when it does. When the package's custom code answers
        by itself, the call's `answer` holds that response and nothing will be sent.
        """
        return self._prepare(inputs, connection, host_overrides).call

    def call(
        self,
        inputs: Mapping[str, Any] | None = None,
        connection: Mapping[str, str] | None = None,
        *,
        session: requests.Session | None = None,
        host_overrides: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> CallResult:
        """Check the inputs, send the request, check the response against the swagger.

        `session` lets tests route the request through requests-mock; `host_overrides` maps a
        host to the URL prefix that replaces `scheme://host`. Raises what `prepare` raises, and
        TransportError when no response comes back.
        """
        prepared = self._prepare(inputs, connection, host_overrides)
        answer = prepared.call.answer
        raw = (
            send(prepared.call, session=session, timeout=timeout)
            if answer is None
            else RawResponse(answer.status, answer.reason, answer.headers, answer.body)
        )
        return self._result(prepared, raw)

    def _result(self, prepared: _Prepared, raw: RawResponse) -> CallResult:
        decoded = decode_body(raw.content, raw.header("Content-Type"))
        headers = apply_response_policies(
            prepared.policies,
            list(raw.headers),
            succeeded=200 <= raw.status < 300,
            draft=prepared.draft,
            connection=prepared.connection,
            credentials=prepared.credentials,
        )
        return CallResult(
            request=prepared.call,
            status=raw.status,
            reason=raw.reason,
            headers=tuple(headers),
            body=decoded.value,
            body_is_json=decoded.is_json,
            problems=tuple(response_problems(self.package, self.spec, raw.status, decoded)),
            notices=prepared.call.notices,
        )

    def check_response(self, status: int, body: Any) -> tuple[ResponseProblem, ...]:
        """How a response (status and decoded JSON body, None for an empty one) breaks the
        swagger's promise for that status; empty when it keeps it."""
        decoded = DecodedBody(body, is_json=body is not None, empty=body is None)
        return tuple(response_problems(self.package, self.spec, status, decoded))
