"""Cross-references inside the swagger and between the swagger and apiProperties.json:
operationIds, the parameters dynamic extensions pass and read, connection parameters, request
values used by policies, and the match between security definitions and connection parameters
(reference REF-01 to REF-03).

The family is a package: each module holds the rules of one kind of reference.
"""

from __future__ import annotations

from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules.references.connections import (
    connection_parameter_references,
    policy_request_values,
)
from retarus_connector.lint.rules.references.dynamic import (
    dynamic_parameters,
    dynamic_required,
    dynamic_sources,
)
from retarus_connector.lint.rules.references.operation_ids import operation_id_references
from retarus_connector.lint.rules.references.security import security_connection, security_oauth

RULES: tuple[Rule, ...] = (
    operation_id_references,
    dynamic_parameters,
    dynamic_sources,
    dynamic_required,
    connection_parameter_references,
    policy_request_values,
    security_connection,
    security_oauth,
)
