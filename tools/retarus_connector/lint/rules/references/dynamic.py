"""Cross-references: the parameters dynamic extensions pass to the operation they call, and
the inputs they read from the operation they belong to."""

from __future__ import annotations

from collections.abc import Iterator

from retarus_connector.lint.model import Package, Problem, Severity, rule
from retarus_connector.lint.rules._walk import (
    as_dict,
    text,
)
from retarus_connector.lint.rules.references._calls import (
    NAMED_BY_NAME,
    dynamic_calls,
)


@rule("reference-dynamic-parameter", Severity.ERROR)
def dynamic_parameters(package: Package) -> Iterator[Problem]:
    """The parameters a dynamic extension passes exist in the operation it calls.

    What: each key of `parameters` in x-ms-dynamic-values, -list, -schema and -properties names
    a parameter of the operation its `operationId` names. In -list and -properties a key may be
    a path, `parameter/property/...`, into the body of that operation; its properties are
    checked where the body schema lists them. In -values and -schema a key may also be a
    property of that body (Microsoft documents that such names are ambiguous).
    Why: the portal rejects the definition ("The parameter could not be found in operation
    'GetMyPages' in the swagger document", microsoft/PowerPlatformConnectors#254), and a
    misnamed value never reaches the call that fills the dropdown or schema.
    Fix: use the exact `name` of the called operation's parameter, or declare the parameter
    there.
    """
    found = dynamic_calls(package)
    for call in found.calls:
        called = found.inputs(call.target)
        for name in call.arguments:
            lacks = called.unknown(name, by_name=call.key in NAMED_BY_NAME)
            if lacks is not None:
                yield Problem(
                    f"{call.key} passes {name!r} to the operation {call.target.label!r}, "
                    f"which {lacks}",
                    call.pointer("parameters", name),
                )


@rule("reference-dynamic-source", Severity.ERROR)
def dynamic_sources(package: Package) -> Iterator[Problem]:
    """The inputs a dynamic extension reads exist in the operation it belongs to.

    What: a value `{"parameter": "name"}` (x-ms-dynamic-values, -schema) or
    `{"parameterReference": "name/property/..."}` (x-ms-dynamic-list, -properties) takes what
    the user entered in a parameter, or a property of the body, of the operation that holds
    the extension. The name must be one of its parameters (for `parameter` also a property
    anywhere in its body); a path's properties are checked where the body schema lists them.
    A parameter shared through `#/parameters` is checked against each operation that uses it,
    one in a path item against each operation there that does not replace it with its own
    (an extension on the `items` of an array parameter, a multi-select dropdown, counts as the
    parameter's);
    an extension in `#/definitions` against each operation whose body parameter reaches that
    definition through `$ref` (directly, or through other definitions). In an output (a
    response, `#/responses`, the notification content of a webhook trigger, or a definition
    they reach) only -schema and -properties are checked, against the operation that returns
    it: a dynamic response schema reads that operation's parameters, while -values and -list
    fill an input's dropdown and are never evaluated in an output. A definition no operation
    reaches, or reached only by a `$ref` into one of its parts, is not checked here.
    Why: an unresolved reference leaves the value empty, so the call that fills the dropdown
    or loads the dynamic schema fails or returns the wrong thing.
    Fix: reference the exact `name` of a parameter of the same operation (with the path to
    the property for a body), or pass a literal: the value itself in -values and -schema,
    `{"value": ...}` in -list and -properties.
    """
    found = dynamic_calls(package)
    for call in found.calls:
        if not call.callers:
            continue
        for name, argument in call.arguments.items():
            argument = as_dict(argument)
            by_name = "parameter" in argument
            reference = text(argument.get("parameter" if by_name else "parameterReference"))
            if reference is None:
                continue  # a literal: `{"value": ...}` or a bare value
            lacking = [
                (caller, lacks)
                for caller in call.callers
                if (lacks := found.inputs(caller).unknown(reference, by_name=by_name))
            ]
            if not lacking:
                continue
            names = ", ".join(repr(caller.label) for caller, _ in lacking[:3])
            names += " ..." if len(lacking) > 3 else ""
            yield Problem(
                f"{call.key} reads {reference!r} for {name!r} from the operation {names} it "
                f"belongs to{call.via}, which {lacking[0][1]}",
                call.pointer("parameters", name, "parameter" if by_name else "parameterReference"),
            )


@rule("reference-dynamic-required", Severity.WARNING)
def dynamic_required(package: Package) -> Iterator[Problem]:
    """A dynamic extension passes every required input of the operation it calls.

    What: a required parameter (or a path parameter) of the operation named by the
    `operationId` of x-ms-dynamic-values, -list, -schema or -properties that has no `default`
    must be a key of the extension's `parameters`. A body counts as passed by a key that is a
    path into it (`body/property`), and in -values and -schema also by a key naming one of
    its properties.
    Why: the designer calls that operation with only the values the extension lists, so the
    call fails and the dropdown stays empty or the dynamic schema does not load.
    Fix: add the parameter to `parameters`, with `{"parameter": ...}` /
    `{"parameterReference": ...}` for a value of this operation, or a literal; or give the
    called parameter a `default`.
    """
    found = dynamic_calls(package)
    for call in found.calls:
        called = found.inputs(call.target)
        passed = {name.partition("/")[0] for name in call.arguments}
        missing = [
            parameter
            for parameter in called.parameters
            if parameter.name is not None  # a nameless one is the structure rules' finding
            and parameter.name not in passed
            and "default" not in parameter.node
            and (parameter.node.get("required") is True or parameter.location == "path")
        ]
        if (
            call.key in NAMED_BY_NAME
            and any(parameter.location == "body" for parameter in missing)
            and not passed.isdisjoint(called.body_names)
        ):
            # a key naming a property of the body passes the body
            missing = [parameter for parameter in missing if parameter.location != "body"]
        if missing:
            shown = ", ".join(repr(parameter.name) for parameter in missing)
            yield Problem(
                f"{call.key} calls {call.target.label!r} without its required parameter(s) "
                f"{shown}, which have no default",
                call.pointer(),
            )
