"""Policy template instances in apiProperties.json: known templates, their required
parameters and the values those parameters take (reference section 2)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from retarus_connector.lint.model import (
    FileKind,
    Package,
    Problem,
    Rule,
    Severity,
    rule,
)
from retarus_connector.lint.rules._walk import as_dict, join, one_of

_NEEDS = (FileKind.PROPERTIES,)
PARAMETER_PREFIX = "x-ms-apimTemplateParameter."
OPERATION_NAME = "x-ms-apimTemplate-operationName"
POLICY_SECTION = "x-ms-apimTemplate-policySection"
COMMON_PARAMETERS = frozenset({OPERATION_NAME, POLICY_SECTION})


@dataclass(frozen=True, slots=True)
class Template:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    sections: tuple[str, ...] = ("Request", "Response")


# the documented templates by lower-case id (ids are matched without regard to case)
TEMPLATES: dict[str, Template] = {
    "dynamichosturl": Template(("urlTemplate",)),
    "setheader": Template(("name", "value"), ("existsAction",), ("Request", "Response", "Failure")),
    "setqueryparameter": Template(("name", "value"), ("existsAction",)),
    "routerequesttoendpoint": Template(("newPath",), ("httpMethod",)),
    "setproperty": Template(
        ("newPropertyParentPathTemplate", "newPropertySubPathTemplate", "propertyValuePathTemplate")
    ),
    "setvaluefromurl": Template(
        ("parameterTemplate", "parameterValueUrl", "parameterValuePathTemplate"), ("httpMethod",)
    ),
    "pollingtrigger": Template(("triggerConfig", "triggerDataPath")),
    "updatenextlink": Template(("nextLinkPropertyName",), ("nextLinkParentPropertyPath",)),
    "convertarraytoobject": Template(
        ("propertyParentPath", "keyWithinCollectionPath", "newPropertyPath"),
        ("propertySubPath", "retainKey"),
    ),
    "convertobjecttoarray": Template(
        ("propertyParentPath", "newPropertyPath"), ("propertySubPath", "keyName", "valueName")
    ),
    "encodepropertyvalue": Template(
        ("propertyParentPath", "newPropertyPath"), ("propertySubPath",)
    ),
    "stringreplace": Template(
        ("propertyParentPath", "sourceString", "replacementString", "newPropertyPath"),
        ("propertySubPath",),
    ),
    "stringtoarray": Template(
        ("propertyParentPath", "delimiterList", "childPropertyName", "newPropertyPath"),
        ("propertySubPath",),
    ),
    # undocumented, but certified connectors use them (one each in October 2024: DeskDirector,
    # AzureAD, AlisQI); the parameters are the ones those connectors pass
    "setconnectionstatustounauthenticated": Template((), ("statusCode",)),
    "moveproperties": Template(
        ("srcParentPath", "dstParentPath"),
        ("srcSubPath", "dstSubPath", "copyOnlySubProperties"),
    ),
    "dynamicsubdomain": Template(("urlTemplate",)),
}
EXISTS_ACTIONS = frozenset({"override", "skip", "append"})
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
ORIGINAL_METHOD = "@Request.OriginalHTTPMethod"
VALUE_FROM_URL_METHODS = frozenset({"GET", "POST", "PUT"})


@dataclass(slots=True)
class Instance:
    index: int
    node: dict[str, Any]
    pointer: str
    template_id: str | None
    parameters: dict[str, Any]

    @property
    def template(self) -> Template | None:
        return TEMPLATES.get(self.template_id.lower()) if self.template_id else None

    @property
    def label(self) -> str:
        return repr(self.template_id) if self.template_id else f"#{self.index}"


def instances(properties: Any) -> Iterator[Instance]:
    """The policy template instances of a parsed apiProperties.json, tolerating any shape."""
    container = as_dict(as_dict(properties).get("properties")).get("policyTemplateInstances")
    if not isinstance(container, list):
        return
    for index, node in enumerate(container):
        pointer = join("/properties/policyTemplateInstances", index)
        if isinstance(node, dict):
            template_id = node.get("templateId")
            yield Instance(
                index,
                node,
                pointer,
                template_id if isinstance(template_id, str) else None,
                as_dict(node.get("parameters")),
            )


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
    container = as_dict(as_dict(package.properties).get("properties")).get(
        "policyTemplateInstances"
    )
    if isinstance(container, list):
        for index, node in enumerate(container):
            if not isinstance(node, dict):
                yield _problem(
                    "A policy template instance must be an object",
                    join("/properties/policyTemplateInstances", index),
                )
    for instance in instances(package.properties):
        if instance.template_id is None:
            yield _problem("The policy template instance needs a 'templateId'", instance.pointer)
            continue
        title = instance.node.get("title")
        if not isinstance(title, str) or not title.strip():
            yield _problem(f"The policy {instance.label} needs a 'title'", instance.pointer)
        if not isinstance(instance.node.get("parameters"), dict):
            yield _problem(
                f"The policy {instance.label} needs a 'parameters' object", instance.pointer
            )
            continue
        template = instance.template
        if template is None:
            continue
        for name in template.required:
            value = instance.parameters.get(PARAMETER_PREFIX + name)
            if value is None or value == "":
                yield _problem(
                    f"The policy {instance.label} needs the parameter '{PARAMETER_PREFIX}{name}'",
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
    for instance in instances(package.properties):
        if instance.template_id is None:
            continue
        template = instance.template
        if template is None:
            yield _problem(
                f"Unknown policy template {instance.template_id!r}",
                join(instance.pointer, "templateId"),
            )
            continue
        known = {PARAMETER_PREFIX + name for name in template.required + template.optional}
        for name in instance.parameters:
            if name not in known and name not in COMMON_PARAMETERS:
                yield _problem(
                    f"The policy {instance.label} does not take the parameter {name!r}",
                    join(instance.pointer, "parameters", name),
                )


def _value_problems(instance: Instance) -> Iterator[Problem]:
    template = instance.template
    parameters = instance.parameters
    base = join(instance.pointer, "parameters")
    if OPERATION_NAME in parameters:
        names = parameters[OPERATION_NAME]
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            yield _problem(
                f"'{OPERATION_NAME}' must be an array of operationIds", join(base, OPERATION_NAME)
            )
    if POLICY_SECTION in parameters and template is not None:
        section = parameters[POLICY_SECTION]
        if section not in template.sections:
            yield _problem(
                f"'{POLICY_SECTION}' of {instance.label} must be one of "
                f"{', '.join(template.sections)}, not {section!r}",
                join(base, POLICY_SECTION),
            )
    exists = parameters.get(PARAMETER_PREFIX + "existsAction")
    if exists is not None and not one_of(exists, EXISTS_ACTIONS):
        yield _problem(
            f"'existsAction' must be one of {', '.join(sorted(EXISTS_ACTIONS))}, not {exists!r}",
            join(base, PARAMETER_PREFIX + "existsAction"),
        )
    method = parameters.get(PARAMETER_PREFIX + "httpMethod")
    if method is not None and template is not None:
        allowed = (
            VALUE_FROM_URL_METHODS
            if instance.template_id and instance.template_id.lower() == "setvaluefromurl"
            else HTTP_METHODS | {ORIGINAL_METHOD}
        )
        if not one_of(method, allowed):
            yield _problem(
                f"'httpMethod' of {instance.label} must be one of {', '.join(sorted(allowed))}, "
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
    for instance in instances(package.properties):
        yield from _value_problems(instance)


RULES: tuple[Rule, ...] = (template_shape, template_unknown, parameter_values)
