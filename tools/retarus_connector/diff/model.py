"""The diff's vocabulary: what kind of change was found, how serious it is, and where."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    BREAKING = "breaking"
    NON_BREAKING = "non-breaking"


class Side(enum.StrEnum):
    """The document a change's pointer points into: the new one, or the old one when the thing
    it points at no longer exists."""

    OLD = "old"
    NEW = "new"


class Document(enum.StrEnum):
    """The file of a connector package a change's pointer points into."""

    SWAGGER = "swagger"
    PROPERTIES = "apiProperties"
    # script.csx, the package's custom code; its changes point at the whole file (pointer "")
    SCRIPT = "script"
    # icon.png, the package's icon; its changes point at the whole file (pointer "")
    ICON = "icon"


class ChangeKind(enum.StrEnum):
    """Stable identifiers, PascalCase like the ids in the change validator's logs."""

    # operations
    OPERATION_DELETED = "OperationDeleted"
    OPERATION_ID_CHANGED = "OperationIdChanged"
    PATH_TEMPLATE_CHANGED = "PathTemplateChanged"
    METHOD_CHANGED = "MethodChanged"
    OPERATION_ADDED = "OperationAdded"
    OPERATION_DEPRECATED = "OperationDeprecated"
    # parameters
    PARAMETER_REMOVED = "ParameterRemoved"
    PARAMETER_LOCATION_CHANGED = "ParameterLocationChanged"
    PARAMETER_NEWLY_REQUIRED = "ParameterNewlyRequired"
    REQUIRED_PARAMETER_ADDED = "RequiredParameterAdded"
    OPTIONAL_PARAMETER_ADDED = "OptionalParameterAdded"
    # input values (non-body parameters and body fields)
    INPUT_TYPE_CHANGED = "InputFieldTypeChanged"
    INPUT_FORMAT_CHANGED = "InputFieldTypeFormatChanged"
    ENUM_VALUE_REMOVED = "EnumValueRemoved"
    ENUM_VALUE_ADDED = "EnumValueAdded"
    ENUM_ADDED = "EnumAdded"
    INPUT_CONSTRAINT_ADDED = "InputConstraintAdded"
    INPUT_CONSTRAINT_TIGHTENED = "InputConstraintTightened"
    INPUT_CONSTRAINT_LOOSENED = "InputConstraintLoosened"
    INPUT_CONSTRAINT_REMOVED = "InputConstraintRemoved"
    INPUT_FIELD_REMOVED = "InputFieldRemoved"
    INPUT_FIELD_NEWLY_REQUIRED = "InputFieldNewlyRequired"
    REQUIRED_INPUT_FIELD_ADDED = "RequiredInputFieldAdded"
    OPTIONAL_INPUT_FIELD_ADDED = "OptionalInputFieldAdded"
    # outputs
    OUTPUT_TYPE_CHANGED = "OutputFieldTypeChanged"
    OUTPUT_FORMAT_CHANGED = "OutputFieldTypeFormatChanged"
    OUTPUT_FIELD_REMOVED = "OutputFieldRemoved"
    OUTPUT_FIELD_ADDED = "OutputFieldAdded"
    RESPONSE_SCHEMA_REMOVED = "ResponseSchemaRemoved"
    RESPONSE_SCHEMA_ADDED = "ResponseSchemaAdded"
    SUCCESS_RESPONSE_REMOVED = "SuccessResponseRemoved"
    SUCCESS_STATUS_CHANGED = "SuccessStatusChanged"
    RESPONSE_REMOVED = "ResponseRemoved"
    RESPONSE_ADDED = "ResponseAdded"
    RESPONSE_HEADER_REMOVED = "ResponseHeaderRemoved"
    RESPONSE_HEADER_ADDED = "ResponseHeaderAdded"
    RESPONSE_HEADER_TYPE_CHANGED = "ResponseHeaderTypeChanged"
    RESPONSE_HEADER_FORMAT_CHANGED = "ResponseHeaderTypeFormatChanged"
    # where requests go (connector-wide)
    HOST_CHANGED = "HostChanged"
    BASE_PATH_CHANGED = "BasePathChanged"
    SCHEMES_CHANGED = "SchemesChanged"
    # authentication (connector-wide)
    SECURITY_DEFINITION_REMOVED = "SecurityDefinitionRemoved"
    SECURITY_DEFINITION_ADDED = "SecurityDefinitionAdded"
    SECURITY_DEFINITION_IN_USE_CHANGED = "SecurityDefinitionInUseChanged"
    SECURITY_TYPE_CHANGED = "SecurityTypeChanged"
    API_KEY_NAME_CHANGED = "ApiKeyNameChanged"
    API_KEY_LOCATION_CHANGED = "ApiKeyLocationChanged"
    OAUTH_FLOW_CHANGED = "OAuthFlowChanged"
    OAUTH_TOKEN_URL_CHANGED = "OAuthTokenUrlChanged"
    OAUTH_AUTHORIZATION_URL_CHANGED = "OAuthAuthorizationUrlChanged"
    OAUTH_SCOPE_ADDED = "OAuthScopeAdded"
    OAUTH_SCOPE_REMOVED = "OAuthScopeRemoved"
    # connection settings in apiProperties.json (connector-wide); OAuthScopeAdded/Removed and
    # DescriptionChanged are reported there too
    CONNECTION_PARAMETER_REMOVED = "ConnectionParameterRemoved"
    REQUIRED_CONNECTION_PARAMETER_ADDED = "RequiredConnectionParameterAdded"
    OPTIONAL_CONNECTION_PARAMETER_ADDED = "OptionalConnectionParameterAdded"
    CONNECTION_PARAMETER_NEWLY_REQUIRED = "ConnectionParameterNewlyRequired"
    CONNECTION_PARAMETER_TYPE_CHANGED = "ConnectionParameterTypeChanged"
    CONNECTION_PARAMETER_ALLOWED_VALUE_REMOVED = "ConnectionParameterAllowedValueRemoved"
    CONNECTION_PARAMETER_ALLOWED_VALUE_ADDED = "ConnectionParameterAllowedValueAdded"
    CONNECTION_PARAMETER_ALLOWED_VALUES_ADDED = "ConnectionParameterAllowedValuesAdded"
    CONNECTION_PARAMETER_DEFAULT_VALUE_CHANGED = "ConnectionParameterDefaultValueChanged"
    CONNECTION_PARAMETER_SET_REMOVED = "ConnectionParameterSetRemoved"
    CONNECTION_PARAMETER_SET_ADDED = "ConnectionParameterSetAdded"
    OAUTH_IDENTITY_PROVIDER_CHANGED = "OAuthIdentityProviderChanged"
    OAUTH_CLIENT_ID_CHANGED = "OAuthClientIdChanged"
    OAUTH_REDIRECT_MODE_CHANGED = "OAuthRedirectModeChanged"
    OAUTH_CUSTOM_PARAMETER_CHANGED = "OAuthCustomParameterChanged"
    # runtime behaviour in apiProperties.json (connector-wide)
    POLICY_TEMPLATE_REMOVED = "PolicyTemplateRemoved"
    POLICY_TEMPLATE_ADDED = "PolicyTemplateAdded"
    POLICY_TEMPLATE_CHANGED = "PolicyTemplateChanged"
    CAPABILITIES_CHANGED = "CapabilitiesChanged"
    SCRIPT_OPERATIONS_CHANGED = "ScriptOperationsChanged"
    # custom code: the package's script.csx (connector-wide)
    CUSTOM_CODE_ADDED = "CustomCodeAdded"
    CUSTOM_CODE_REMOVED = "CustomCodeRemoved"
    CUSTOM_CODE_CHANGED = "CustomCodeChanged"
    # how the connector is presented (connector-wide, apiProperties.json)
    PUBLISHER_CHANGED = "PublisherChanged"
    STACK_OWNER_CHANGED = "StackOwnerChanged"
    ICON_BRAND_COLOR_CHANGED = "IconBrandColorChanged"
    # the package's icon.png (connector-wide)
    ICON_ADDED = "IconAdded"
    ICON_REMOVED = "IconRemoved"
    ICON_CHANGED = "IconChanged"
    # documentation
    DESCRIPTION_CHANGED = "DescriptionChanged"


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new version of a connector.

    `operation_id` names the operation as it is known in the old swagger (its operationId, or
    "METHOD /path" when it has none); for an added operation, as it is known in the new one.
    It is None for a change of the whole connector (host, authentication, connection settings,
    policies), which every operation shares. `pointer` is an RFC 6901 JSON pointer into the
    file named by `document` (the swagger, apiProperties.json, script.csx or icon.png) of the
    version named by `side`.
    """

    kind: ChangeKind
    severity: Severity
    operation_id: str | None
    pointer: str
    message: str
    side: Side = Side.NEW
    document: Document = Document.SWAGGER

    @property
    def breaking(self) -> bool:
        return self.severity is Severity.BREAKING

    def as_dict(self) -> dict[str, object]:
        """The JSON form, with the field names of the swagger (`operationId`)."""
        return {
            "kind": self.kind.value,
            "severity": self.severity.value,
            "breaking": self.breaking,
            "operationId": self.operation_id,
            "side": self.side.value,
            "document": self.document.value,
            "pointer": self.pointer,
            "message": self.message,
        }
