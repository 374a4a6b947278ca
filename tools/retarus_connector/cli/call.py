"""`retarus-connector call`: run one operation of a connector package locally."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn

import click

from retarus_connector.cli.options import package_option, usage_error
from retarus_connector.packaging.custom_code import stand_in_for_package
from retarus_connector.paths import repository_root
from retarus_connector.runtime import (
    CallError,
    CallResult,
    Connector,
    InputError,
    Mask,
    Operation,
    PreparedCall,
    connection_value_problem,
)

# The environment variables that supply the Basic-auth connection parameters.
CREDENTIAL_VARIABLES = {"username": "RETARUS_USERNAME", "password": "RETARUS_PASSWORD"}


class _Terminal:
    """Everything this command writes. The body comes masked from the runtime; messages have
    every credential quoted in them masked on the way out."""

    def __init__(self) -> None:
        self.mask = Mask()

    def know(self, mask: Mask) -> None:
        self.mask = Mask(
            self.mask.values | mask.values,
            self.mask.headers | mask.headers,
            self.mask.query | mask.query,
        )

    def out(self, text: str) -> None:
        click.echo(text)

    def err(self, text: str) -> None:
        click.echo(self.mask.message(text), err=True)

    def fail(self, ctx: click.Context, message: str) -> NoReturn:
        """A usage error (exit status 2), masked like everything else this command writes."""
        usage_error(self.mask.message(message))


def _pairs(values: Iterable[str], option: str, *, secret: bool) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            shown = "a value" if secret else repr(value)
            raise click.BadParameter(f"expects NAME=VALUE, got {shown}", param_hint=option)
        if secret:
            problem = connection_value_problem(text)
            if problem is not None:
                raise click.BadParameter(f"the value of '{name}' {problem}", param_hint=option)
        pairs.append((name, text))
    return pairs


@click.command("call")
@click.argument("operation_id")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="An input parameter; repeat it for each item of an array parameter (or give a JSON"
    " array). Values are converted to the parameter's swagger type.",
)
@click.option(
    "--body",
    "body_source",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    default=None,
    metavar="FILE|-",
    help="The request body as JSON, from a file or from standard input (-).",
)
@click.option(
    "--connection",
    "connection_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="A connection parameter (as declared in apiProperties.json). username and password"
    f" default to ${CREDENTIAL_VARIABLES['username']} and ${CREDENTIAL_VARIABLES['password']}.",
)
@click.option(
    "--simulator",
    "simulator_url",
    metavar="URL",
    default=None,
    help="Send requests for the Retarus hosts to a simulator running at URL"
    " (see `retarus-connector mock`) instead of the real service.",
)
@package_option("The connector package folder [default: the repository root].")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the connection and for the response.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print the request line, the request headers (credentials masked) and the response"
    " status on standard error.",
)
@click.pass_context
def command(
    ctx: click.Context,
    operation_id: str,
    params: tuple[str, ...],
    body_source: str | None,
    connection_values: tuple[str, ...],
    simulator_url: str | None,
    package_dir: Path | None,
    timeout: float,
    verbose: bool,
) -> None:
    """Call OPERATION_ID of the connector package as the Power Platform gateway would, and
    print the response body as JSON.

    The inputs are checked against the swagger first (nothing is sent if they do not fit),
    the request is built from the swagger and the policy templates in apiProperties.json, and
    the response is checked against the schema documented for its status code. The package's
    custom code (script.csx) runs through its Python stand-in when it is the one this toolkit
    generates; any other script is reported and not run.

    Exit status: 0 for a 2xx response that matches its schema, 1 for any other status or a
    response that breaks its schema (the body is still printed), 2 for bad input, a package
    that cannot be used, or a connection that fails.
    """
    terminal = _Terminal()
    connection = dict(_pairs(connection_values, "'--connection'", secret=True))
    environment = _environment_credentials()
    # Until the package says which values are secret, any of them is masked in a message.
    terminal.know(Mask(frozenset(connection.values()) | frozenset(environment.values())))
    texts: dict[str, list[str]] = {}
    for name, text in _pairs(params, "-p/--param", secret=False):
        texts.setdefault(name, []).append(text)
    try:
        folder = package_dir or repository_root()
        connector = Connector.load(folder, custom_code=stand_in_for_package(folder))
        _add_environment_credentials(connector, connection, environment)
        operation = connector.operation(operation_id)
        inputs = operation.parse_text_inputs(texts)
        if body_source is not None:
            _add_body(ctx, terminal, operation, inputs, body_source)
        overrides = _simulator_hosts(ctx, terminal, simulator_url)
        if verbose:
            _show_request(terminal, operation.prepare(inputs, connection, host_overrides=overrides))
        result = operation.call(inputs, connection, host_overrides=overrides, timeout=timeout)
    except InputError as error:
        terminal.fail(ctx, "\n".join([*map(str, error.problems), "Nothing was sent."]))
    except CallError as error:
        terminal.fail(ctx, str(error))
    ctx.exit(_report(terminal, result, verbose))


def _environment_credentials() -> dict[str, str]:
    """The credentials the environment gives, by connection parameter."""
    found = {name: os.environ.get(variable) for name, variable in CREDENTIAL_VARIABLES.items()}
    return {name: value for name, value in found.items() if value is not None}


def _add_environment_credentials(
    connector: Connector, connection: dict[str, str], environment: Mapping[str, str]
) -> None:
    """Fill in what --connection left out; a value no request can carry is a usage error
    naming its variable, never showing the value."""
    declared = connector.connection_parameters
    for name, value in environment.items():
        if name in connection or (declared is not None and name not in declared):
            continue
        problem = connection_value_problem(value)
        if problem is not None:
            variable = CREDENTIAL_VARIABLES[name]
            raise click.BadParameter(
                f"the value {problem}", param_hint=f"environment variable {variable}"
            )
        connection[name] = value


def _add_body(
    ctx: click.Context,
    terminal: _Terminal,
    operation: Operation,
    inputs: dict[str, Any],
    source: str,
) -> None:
    parameter = operation.body_parameter
    if parameter is None:
        terminal.fail(ctx, f"operation '{operation.operation_id}' takes no request body")
    if parameter.name in inputs:
        terminal.fail(ctx, f"the body was given twice: --body and -p {parameter.name}=...")
    label = "standard input" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        terminal.fail(ctx, f"--body {label}: cannot be read ({error})")
    try:
        inputs[parameter.name] = json.loads(text)
    except json.JSONDecodeError as error:
        terminal.fail(
            ctx,
            f"--body {label}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
        )


def _simulator_hosts(
    ctx: click.Context, terminal: _Terminal, url: str | None
) -> Mapping[str, str] | None:
    if url is None:
        return None
    from retarus_connector.simulator.hosts import simulator_host_map

    try:
        return simulator_host_map(url)
    except ValueError as error:
        terminal.fail(ctx, f"--simulator: {error}")


def _show_request(terminal: _Terminal, prepared: PreparedCall) -> None:
    terminal.know(prepared.mask)
    if prepared.answer is not None:
        terminal.err("> (answered by the connector's custom code; nothing is sent)")
        return
    terminal.err(f"> {prepared.method} {prepared.redacted_url()}")
    for name, value in prepared.redacted_headers():
        terminal.err(f"> {name}: {value}")
    if prepared.body is not None:
        terminal.err(f"> ({len(prepared.body)} bytes of body)")


def _report(terminal: _Terminal, result: CallResult, verbose: bool) -> int:
    # What authentication derived from the credentials (a Basic token, say) is masked too.
    terminal.know(result.request.mask)
    for notice in result.notices:
        terminal.err(f"warning: {notice}")
    if verbose:
        terminal.err(f"< {result.status} {result.reason}".rstrip())
        for name, value in result.masked_headers():
            terminal.err(f"< {name}: {value}")
    if result.body is not None:
        terminal.out(json.dumps(result.masked_body(), indent=2, ensure_ascii=False))
    for problem in result.problems:
        terminal.err(f"error: schema violation: {problem}")
    return 0 if result.ok and result.valid else 1
