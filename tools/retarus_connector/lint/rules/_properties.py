"""apiProperties.json as the rule families read it: the maps of connection parameters and
the policy template instances (with the templates Microsoft documents)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from retarus_connector.lint.rules._walk import as_dict, join


def as_list_of(mapping: dict[str, Any], key: str) -> list[Any]:
    value = mapping.get(key)
    return value if isinstance(value, list) else []


def parameter_maps(properties: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Each map of connection parameters with its pointer: `connectionParameters` and the
    `parameters` of every entry of `connectionParameterSets` (multi-auth)."""
    direct = properties.get("connectionParameters")
    if isinstance(direct, dict):
        yield direct, "/properties/connectionParameters"
    sets = as_dict(properties.get("connectionParameterSets"))
    for index, entry in enumerate(as_list_of(sets, "values")):
        parameters = as_dict(entry).get("parameters")
        if isinstance(parameters, dict):
            yield (
                parameters,
                join("/properties/connectionParameterSets/values", index, "parameters"),
            )


def connection_parameter_names(properties: dict[str, Any]) -> set[str]:
    """Every connection parameter name defined, across all parameter sets."""
    return {name for parameters, _ in parameter_maps(properties) for name in parameters}


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
TEMPLATES: Mapping[str, Template] = MappingProxyType(
    {
        "dynamichosturl": Template(("urlTemplate",)),
        "setheader": Template(
            ("name", "value"), ("existsAction",), ("Request", "Response", "Failure")
        ),
        "setqueryparameter": Template(("name", "value"), ("existsAction",)),
        "routerequesttoendpoint": Template(("newPath",), ("httpMethod",)),
        "setproperty": Template(
            (
                "newPropertyParentPathTemplate",
                "newPropertySubPathTemplate",
                "propertyValuePathTemplate",
            )
        ),
        "setvaluefromurl": Template(
            ("parameterTemplate", "parameterValueUrl", "parameterValuePathTemplate"),
            ("httpMethod",),
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
)
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
