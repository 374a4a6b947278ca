"""Swagger 2.0 structure: what every Swagger 2.0 reader (and Microsoft's validator before any
certification rule) requires of the document: the version, the required keys, the types of the
main objects, paths, operations' responses, parameters, references, unique operationIds and
declared path parameters (reference sections 3 and 4, SW-01, OP-07, OP-09, PRM-03, SCH-04,
SCH-05).

Each check reads the document as it is, with no assumption on types: a rule that meets a list
where an object belongs reports it (or leaves it to the rule that does) and goes on.

The family is a package: each module holds the rules of one part of the document.
"""

from __future__ import annotations

from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules.structure.parameter_lists import parameter_shape
from retarus_connector.lint.rules.structure.path_parameters import path_parameters
from retarus_connector.lint.rules.structure.paths import (
    operation_id_unique,
    operation_responses,
    paths_shape,
)
from retarus_connector.lint.rules.structure.refs import ref_target, security_definitions
from retarus_connector.lint.rules.structure.root import (
    swagger_openapi_3,
    swagger_required,
    swagger_types,
    swagger_unknown_root_key,
    swagger_version,
)
from retarus_connector.lint.rules.structure.schema_checks import (
    default_matches_schema,
    schema_shape,
)

RULES: tuple[Rule, ...] = (
    swagger_version,
    swagger_openapi_3,
    swagger_required,
    swagger_types,
    swagger_unknown_root_key,
    paths_shape,
    operation_responses,
    operation_id_unique,
    parameter_shape,
    path_parameters,
    ref_target,
    security_definitions,
    schema_shape,
    default_matches_schema,
)
