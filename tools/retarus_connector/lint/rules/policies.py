"""Policy template instances in apiProperties.json: known templates, their required
parameters and the values those parameters take (reference section 2)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from retarus_connector.lint.model import (
    FileKind,
    Package,
    Problem,
    Rule,
    Severity,
    rule,
)
from retarus_connector.lint.rules._properties import (
    COMMON_PARAMETERS,
    EXISTS_ACTIONS,
    HTTP_METHODS,
    OPERATION_NAME,
    ORIGINAL_METHOD,
    PARAMETER_PREFIX,
    POLICY_SECTION,
    VALUE_FROM_URL_METHODS,
    api_properties,
    policy_label,
    template_of,
)
from retarus_connector.lint.rules._walk import (
    join,
    one_of,
    operation_parameters,
    operations,
)

if TYPE_CHECKING:
    from retarus_connector.core.properties import PolicyInstance

_NEEDS = (FileKind.PROPERTIES,)


def _problem(message: str, pointer: str) -> Problem:
    return Problem(message, pointer, FileKind.PROPERTIES)


@rule("policy-template-shape", Severity.ERROR, needs=_NEEDS)
def template_shape(package: Package) -> Iterator[Problem]:
    """Each policy template instance has a `templateId`, a `title` and its required parameters.

    What: an instance is `{"templateId", "title", "parameters": {...}}`; each documented
    template needs its parameters, written with the `x-ms-apimTemplateParameter.` prefix, e.g.
    dynamichosturl needs `urlTemplate`, setheader needs `name` and `value`, routerequesttoendpoint
    needs `newPath` (reference section 2 table).
    Why: the gateway rejects the connector update, often with an opaque 500, when a policy is
    incomplete.
    Fix: add the missing parameter or key named in the message.
    """
    api = api_properties(package)
    container = api.properties.get("policyTemplateInstances")
    if isinstance(container, list):
        for index, node in enumerate(container):
            if not isinstance(node, dict):
                yield _problem(
                    "A policy template instance must be an object",
                    join("/properties/policyTemplateInstances", index),
                )
    for instance in api.policies:
        if instance.template_id is None:
            yield _problem("The policy template instance needs a 'templateId'", instance.pointer)
            continue
        title = instance.node.get("title")
        if not isinstance(title, str) or not title.strip():
            yield _problem(f"The policy {policy_label(instance)} needs a 'title'", instance.pointer)
        if not isinstance(instance.node.get("parameters"), dict):
            yield _problem(
                f"The policy {policy_label(instance)} needs a 'parameters' object", instance.pointer
            )
            continue
        known = template_of(instance)
        if known is None:
            continue
        for name in known.required:
            value = instance.parameters.get(PARAMETER_PREFIX + name)
            if value is None or value == "":
                yield _problem(
                    f"The policy {policy_label(instance)} needs the parameter '{PARAMETER_PREFIX}{name}'",
                    join(instance.pointer, "parameters"),
                )


@rule("policy-template-unknown", Severity.WARNING, needs=_NEEDS)
def template_unknown(package: Package) -> Iterator[Problem]:
    """Policy templates and their parameters are ones Microsoft documents.

    What: the documented templates are dynamichosturl, setheader, setqueryparameter,
    routerequesttoendpoint, setproperty, setvaluefromurl, pollingtrigger, updatenextlink,
    convertarraytoobject, convertobjecttoarray, encodepropertyvalue, stringreplace and
    stringtoarray. Three undocumented ones are accepted too, because Microsoft certified
    connectors that use them: setconnectionstatustounauthenticated (DeskDirector),
    moveproperties (AzureAD) and dynamicsubdomain (AlisQI) -- every templateId in the 607
    certified connectors of microsoft/PowerPlatformConnectors (October 2024) is one of these
    sixteen, in any letter case. Any other id is a warning, as is a parameter a known template
    does not take (usually a misspelling). Template ids are compared without letter case.
    Why: an unknown template or parameter may be rejected or silently ignored.
    Fix: check the spelling against the documentation, or accept the warning for an
    undocumented template you know works.
    """
    for instance in api_properties(package).policies:
        if instance.template_id is None:
            continue
        known = template_of(instance)
        if known is None:
            yield _problem(
                f"Unknown policy template {instance.template_id!r}",
                join(instance.pointer, "templateId"),
            )
            continue
        taken = {PARAMETER_PREFIX + name for name in known.required + known.optional}
        for name in instance.parameters:
            if name not in taken and name not in COMMON_PARAMETERS:
                yield _problem(
                    f"The policy {policy_label(instance)} does not take the parameter {name!r}",
                    join(instance.pointer, "parameters", name),
                )


def _value_problems(instance: PolicyInstance) -> Iterator[Problem]:
    known = template_of(instance)
    parameters = instance.parameters
    base = join(instance.pointer, "parameters")
    if OPERATION_NAME in parameters:
        names = parameters[OPERATION_NAME]
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            yield _problem(
                f"'{OPERATION_NAME}' must be an array of operationIds", join(base, OPERATION_NAME)
            )
    if POLICY_SECTION in parameters and known is not None:
        section = parameters[POLICY_SECTION]
        if section not in known.sections:
            yield _problem(
                f"'{POLICY_SECTION}' of {policy_label(instance)} must be one of "
                f"{', '.join(known.sections)}, not {section!r}",
                join(base, POLICY_SECTION),
            )
    exists = parameters.get(PARAMETER_PREFIX + "existsAction")
    if exists is not None and not one_of(exists, EXISTS_ACTIONS):
        yield _problem(
            f"'existsAction' must be one of {', '.join(sorted(EXISTS_ACTIONS))}, not {exists!r}",
            join(base, PARAMETER_PREFIX + "existsAction"),
        )
    method = parameters.get(PARAMETER_PREFIX + "httpMethod")
    if method is not None and known is not None:
        allowed = (
            VALUE_FROM_URL_METHODS
            if instance.template_id and instance.template_id.lower() == "setvaluefromurl"
            else HTTP_METHODS | {ORIGINAL_METHOD}
        )
        if not one_of(method, allowed):
            yield _problem(
                f"'httpMethod' of {policy_label(instance)} must be one of {', '.join(sorted(allowed))}, "
                f"not {method!r}",
                join(base, PARAMETER_PREFIX + "httpMethod"),
            )
    retain = parameters.get(PARAMETER_PREFIX + "retainKey")
    if retain is not None and retain not in ("true", "false"):
        yield _problem(
            f'\'retainKey\' must be the string "true" or "false", not {retain!r}',
            join(base, PARAMETER_PREFIX + "retainKey"),
        )
    config = parameters.get(PARAMETER_PREFIX + "triggerConfig")
    if config is not None and not isinstance(config, dict):
        yield _problem(
            "'triggerConfig' must be an object of query parameter to expression",
            join(base, PARAMETER_PREFIX + "triggerConfig"),
        )


@rule("policy-parameter-values", Severity.ERROR, needs=_NEEDS)
def parameter_values(package: Package) -> Iterator[Problem]:
    """Policy parameters hold values of the documented kind.

    What: `x-ms-apimTemplate-operationName` is an array of operationIds;
    `x-ms-apimTemplate-policySection` is Request or Response (setheader also Failure);
    `existsAction` is override, skip or append; `httpMethod` is an HTTP method (or
    `@Request.OriginalHTTPMethod`; setvaluefromurl only GET, POST, PUT); `retainKey` is "true" or
    "false"; `triggerConfig` is an object (reference section 2).
    Why: the gateway cannot apply a policy with other values.
    Fix: use one of the listed values.
    """
    for instance in api_properties(package).policies:
        yield from _value_problems(instance)


# Where a request value can come from in a URL template: the two request expressions (by
# lower-case function name) and `{name}` placeholders, which name path parameters.
_REQUEST_EXPRESSIONS = MappingProxyType({"headers": "header", "queryparameters": "query"})
_EXPRESSION = r"@([A-Za-z_][A-Za-z0-9_]*)\("
_PLACEHOLDER = r"\{([^{}/?#]+)\}"
_FIRST_ARGUMENT = r"\s*'((?:[^']|'')*)'"
# A value that can only ever be (part of) a host name: letters, digits, dots and hyphens. Any
# of @ : / ? # \ or a space lets it move the request to another host or port.
_HOST_SAFE = r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$"


def _expression_end(template: str, start: int) -> int | None:
    """Where the quoted arguments that begin at `start` end (after the closing parenthesis),
    or None when they are malformed."""
    index = start
    while index < len(template):
        char = template[index]
        if char == ")":
            return index + 1
        if char == "'":
            index += 1
            while index < len(template):
                if template.startswith("''", index):
                    index += 2
                elif template[index] == "'":
                    break
                else:
                    index += 1
            else:
                return None
        index += 1
    return None


def _host_inputs(template: str) -> list[tuple[str, str]]:
    """(location, name) of every request value a URL template puts before its path: in the
    host, or anywhere before the scheme's `://` (where it may supply the whole origin)."""
    found: list[tuple[str, str]] = []
    expression = re.compile(_EXPRESSION).match
    first_argument = re.compile(_FIRST_ARGUMENT).match
    placeholder_at = re.compile(_PLACEHOLDER).match
    index = 0
    while index < len(template):
        match = expression(template, index) if template[index] == "@" else None
        if match is not None:
            end = _expression_end(template, match.end())
            if end is None:
                break
            location = _REQUEST_EXPRESSIONS.get(match.group(1).lower())
            name = first_argument(template, match.end(), end)
            if location is not None and name is not None:
                found.append((location, name.group(1).replace("''", "'")))
            index = end
        elif template.startswith("://", index):
            index += 3
        elif template[index] in "/?#":
            break
        elif (placeholder := placeholder_at(template, index)) is not None:
            found.append(("path", placeholder.group(1)))
            index = placeholder.end()
        else:
            index += 1
    return found


def _host_safe(parameter: dict[str, Any]) -> bool:
    """Whether the parameter's declaration keeps it to values that can only be host names: an
    enum of such names, or a number or boolean type (digits, a sign or true/false)."""
    kind = parameter.get("type")
    if kind in ("integer", "number", "boolean"):
        return True
    values = parameter.get("enum")
    return (
        kind != "array"
        and isinstance(values, list)
        and bool(values)
        and all(_host_safe_value(value) for value in values)
    )


def _host_safe_value(value: Any) -> bool:
    if isinstance(value, int):  # booleans too
        return True
    return isinstance(value, str) and re.match(_HOST_SAFE, value) is not None


@rule("policy-host-injection", Severity.WARNING, needs=(FileKind.PROPERTIES, FileKind.SWAGGER))
def host_injection(package: Package) -> Iterator[Problem]:
    """Security: a dynamichosturl host takes request values only when an enum restricts them.

    What: the `urlTemplate` of a dynamichosturl policy takes `@headers('x')` or
    `@queryParameters('x')` (or a `{x}` path placeholder) into the host part of the URL (or
    before the `://`, where it may give the whole origin), and an operation the policy applies
    to declares that parameter without an `enum` of plain host names (letters, digits, dots,
    hyphens) and without a number or boolean type. Connection values (`@connectionParameters`)
    are not request values: the person who enters them owns the credentials.
    routerequesttoendpoint is not checked: it keeps the host. Corpus: of the 8 connectors in
    the reference corpus with a dynamichosturl policy, 7 build the host from connection values
    only and one (EngagementCloud) from a header held to the integers 1 to 3; none is flagged.
    Why: the value is chosen per call, in a flow, possibly from outside it (an email, a form).
    A value such as `x@attacker.example:443/` turns the URL's host into its user name and sends
    the request, with the connection's credentials, to attacker.example. Whether the gateway
    enforces a parameter's enum at run time is not documented, so an enum is the least, not a
    sure, defence.
    Fix: give the parameter an enum of the host names it may pick (and keep them to letters,
    digits, dots and hyphens), or choose the host in custom code (script.csx) that accepts only
    known values, or take the value from a connection parameter.
    """
    swagger = package.swagger
    for instance in api_properties(package).policies:
        if not instance.template_id or instance.template_id.lower() != "dynamichosturl":
            continue
        template = instance.parameters.get(PARAMETER_PREFIX + "urlTemplate")
        if not isinstance(template, str) or ("@" not in template and "{" not in template):
            continue
        inputs = _host_inputs(template)
        if not inputs:
            continue
        names = instance.parameters.get(OPERATION_NAME)
        listed = (
            {name for name in names if isinstance(name, str)} if isinstance(names, list) else None
        )
        for location, name in dict.fromkeys(inputs):
            open_in = [
                operation.label
                for operation in operations(package)
                if (listed is None or operation.operation_id in listed)
                and any(
                    parameter.location == location
                    and parameter.name is not None
                    and (
                        parameter.name.lower() == name.lower()
                        if location == "header"
                        else parameter.name == name
                    )
                    and not _host_safe(parameter.node)
                    for parameter in operation_parameters(swagger, operation)
                )
            ]
            if open_in:
                yield _problem(
                    f"Security: the policy {policy_label(instance)} builds the host from the {location} "
                    f"parameter {name!r}, which {', '.join(open_in)} "
                    f"{'lets' if len(open_in) == 1 else 'let'} take any value; a value such as "
                    "'x@attacker.example/' sends the request with the connection's credentials "
                    "to another host. Restrict it with an enum of host names.",
                    join(instance.pointer, "parameters", PARAMETER_PREFIX + "urlTemplate"),
                )


RULES: tuple[Rule, ...] = (template_shape, template_unknown, parameter_values, host_injection)
