"""apiProperties.json as the rule families read it: core's read model, kept in the package's
memo, and the policy templates Microsoft documents."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from retarus_connector.core.names import OPERATION_NAME, PARAMETER_PREFIX, POLICY_SECTION
from retarus_connector.lint.model import Package

if TYPE_CHECKING:
    from retarus_connector.core.properties import ApiProperties, PolicyInstance

__all__ = [
    "COMMON_PARAMETERS",
    "EXISTS_ACTIONS",
    "HTTP_METHODS",
    "OPERATION_NAME",
    "ORIGINAL_METHOD",
    "PARAMETER_PREFIX",
    "POLICY_SECTION",
    "TEMPLATES",
    "VALUE_FROM_URL_METHODS",
    "Template",
    "api_properties",
    "policy_label",
    "template_of",
]


def api_properties(package: Package) -> ApiProperties:
    """The package's apiProperties.json read by core's reader, once per package (in its memo)
    however many rules ask; empty when the file is absent or unreadable."""
    return package.memo(_read)


def _read(package: Package) -> ApiProperties:
    # imported at the first read, so that a run no rule reads in (the findings cache answers,
    # --list-rules) does not build the read model's classes
    from retarus_connector.core.properties import read

    return read(package.properties)


COMMON_PARAMETERS = frozenset({OPERATION_NAME, POLICY_SECTION})


class Template:
    __slots__ = ("optional", "required", "sections")

    def __init__(
        self,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
        sections: tuple[str, ...] = ("Request", "Response"),
    ) -> None:
        self.required = required
        self.optional = optional
        self.sections = sections


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


def template_of(instance: PolicyInstance) -> Template | None:
    """The documented template an instance uses, None when its id is no known one."""
    template_id = instance.template_id
    return TEMPLATES.get(template_id.lower()) if template_id else None


def policy_label(instance: PolicyInstance) -> str:
    """How findings name a policy: its templateId, or its position when it has none."""
    return repr(instance.template_id) if instance.template_id else f"#{instance.position}"
