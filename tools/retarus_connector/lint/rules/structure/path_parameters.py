"""Swagger 2.0 structure: every `{name}` of a path is a declared, required path parameter
(PRM-03)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from retarus_connector.core.pointer import join
from retarus_connector.lint.model import Package, Problem, Severity, rule
from retarus_connector.lint.rules._walk import (
    follow,
)
from retarus_connector.lint.rules.structure._common import (
    TEMPLATE_NAME,
    operations,
)


@rule("path-parameters", Severity.ERROR)
def path_parameters(package: Package) -> Iterator[Problem]:
    """Every `{name}` in a path is a declared, required path parameter, and every path parameter
    appears in its path.

    What: a path template names a parameter that neither the operation nor its path item
    declares with `"in": "path"`; a path parameter is not `"required": true`; a path parameter
    is declared but its name is not in the path (reference PRM-03).
    Why: the runtime fills the path from these parameters; a missing one leaves "{name}" in the
    URL, an optional one can produce "//" in it.
    Fix: declare `{"name": "id", "in": "path", "required": true, "type": "string", ...}` for each
    template name, and remove path parameters the path does not use.
    """
    swagger = package.swagger
    for operation in operations(package):
        names = TEMPLATE_NAME.findall(operation.path)
        label = operation.route
        declared: dict[str, tuple[dict[str, Any], str, int]] = {}
        for owner, owner_at in (
            (operation.path_item, operation.path_pointer),
            (operation.node, operation.pointer),
        ):
            parameters = owner.get("parameters")
            if not isinstance(parameters, list):
                continue
            for index, parameter in enumerate(parameters):
                target = follow(swagger, parameter, "")[0]
                if (
                    isinstance(target, dict)
                    and target.get("in") == "path"
                    and isinstance(target.get("name"), str)
                ):
                    declared[target["name"]] = (target, owner_at, index)
        for name in dict.fromkeys(names):
            if name not in declared:
                yield Problem(
                    f"The path parameter {{{name}}} of {label} is not declared.", operation.pointer
                )
        for name, (parameter, owner_at, index) in declared.items():
            if name not in names:
                yield Problem(
                    f"The path parameter {name!r} of {label} does not appear in the path.",
                    join(owner_at, "parameters", index),
                )
            elif parameter.get("required") is not True:
                yield Problem(
                    f'The path parameter {name!r} of {label} must be "required": true.',
                    join(owner_at, "parameters", index),
                )


# --------------------------------------------------------------------------- references
