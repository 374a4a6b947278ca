"""apiProperties.json from the connector model."""

from __future__ import annotations

from typing import Any

from retarus_connector.models.package import ConnectionParameter, Connector, DynamicHostPolicy

JSON = dict[str, Any]


def api_properties_document(connector: Connector) -> JSON:
    script: JSON = (
        {}
        if connector.host_choice is None
        else {"scriptOperations": list(connector.host_choice.operation_ids)}
    )
    return {
        "properties": {
            "connectionParameters": {
                parameter.name: _connection_parameter(parameter)
                for parameter in connector.connection_parameters
            },
            "iconBrandColor": connector.icon_brand_color,
            "capabilities": list(connector.capabilities),
            "policyTemplateInstances": [_dynamic_host(policy) for policy in connector.policies],
            **script,
            "publisher": connector.publisher,
            "stackOwner": connector.stack_owner,
        }
    }


def _connection_parameter(parameter: ConnectionParameter) -> JSON:
    return {
        "type": parameter.type,
        "uiDefinition": {
            "displayName": parameter.display_name,
            "description": parameter.description,
            "tooltip": parameter.tooltip,
            "constraints": {
                "tabIndex": parameter.tab_index,
                "clearText": parameter.clear_text,
                # The schema and nearly every published connector spell it as a string.
                "required": "true" if parameter.required else "false",
            },
        },
    }


def _dynamic_host(policy: DynamicHostPolicy) -> JSON:
    return {
        "templateId": "dynamichosturl",
        "title": policy.title,
        "parameters": {
            "x-ms-apimTemplateParameter.urlTemplate": policy.url_template,
            "x-ms-apimTemplate-operationName": list(policy.operation_ids),
        },
    }
