"""What the rule families share for reading a swagger, in one place to import from: the JSON
pointer helpers of core, the tolerant value helpers (`_values`), the nodes (`_nodes`), the
structure rules' schema checks (`_shapes`) and the package's index (`_index`).

A swagger handed to a rule may be any JSON value: a list, a string where an object belongs, a
`$ref` that points nowhere, or refs that form a cycle. Every helper checks the type of each node
before it looks inside. References are followed only by core's one `$ref` follower, so a
reference resolves for a rule exactly when it resolves for the diff and the runtime.
"""

from __future__ import annotations

from retarus_connector.core.jsontype import kind_of
from retarus_connector.core.names import HTTP_METHODS, WRITE_METHODS
from retarus_connector.core.pointer import escape, join, strings
from retarus_connector.lint.rules._index import (
    INDEXED_KEYS,
    Index,
    holders_with,
    index,
    operation_ids,
    operations,
    parameter_definitions,
    parameter_items,
    schema_entries,
)
from retarus_connector.lint.rules._nodes import (
    Holder,
    Operation,
    Parameter,
    SchemaEntry,
    SchemaNode,
    follow,
    operation_parameters,
    responses,
    schema_name,
    schema_pointer,
)
from retarus_connector.lint.rules._shapes import (
    DEFAULT,
    SCHEMA_TYPES,
    SHAPE,
    ShapeProblem,
    default_problem,
)
from retarus_connector.lint.rules._values import (
    as_dict,
    as_list,
    blank,
    holding,
    one_of,
    text,
    values_at,
)

__all__ = [
    "DEFAULT",
    "HTTP_METHODS",
    "INDEXED_KEYS",
    "SCHEMA_TYPES",
    "SHAPE",
    "WRITE_METHODS",
    "Holder",
    "Index",
    "Operation",
    "Parameter",
    "SchemaEntry",
    "SchemaNode",
    "ShapeProblem",
    "as_dict",
    "as_list",
    "blank",
    "default_problem",
    "escape",
    "follow",
    "holders_with",
    "holding",
    "index",
    "join",
    "kind_of",
    "one_of",
    "operation_ids",
    "operation_parameters",
    "operations",
    "parameter_definitions",
    "parameter_items",
    "responses",
    "schema_entries",
    "schema_name",
    "schema_pointer",
    "strings",
    "text",
    "values_at",
]
