"""Breaking-change comparison of two versions of a connector: `compare` yields the changes of
the whole connector (`connector`: where requests go, authentication), of the apiProperties.json
files and script.csx (`properties`), then those of each operation, which this module compares.

What counts as breaking follows the Power Platform change validator (`/ValidateChange`): a change
is breaking when a flow built against the old definition can fail or lose data with the new one.
Operations are matched by operationId first, then by method and path template (parameter names in
the template ignored), so that a renamed operationId or a moved path is reported as such and not
as a deletion plus an addition.

Decisions where the validator's behaviour is not documented:

* Deleting an operation is breaking even when the old operation was already deprecated:
  `deprecated` only hides an operation from the designer, existing flows still call it.
* A parameter or body field that becomes required, or is added as required, is not breaking when
  it has a `default`, which fills the value existing flows do not send.
* Removing an input field or an output field is breaking: the runtime rejects inputs the
  operation no longer defines, and flows that read the output get nothing.
* Any change of `type` or `format` is breaking, widening ones included (integer to number); a
  `type` declared on one side only is not compared.
* Removing one success response while another 2xx remains is not breaking (the remaining one
  provides the outputs, and its schema is compared with the removed one's); removing the last
  one is. Removing an error response is not breaking.
* Adding an `enum` to an input that had none is breaking, as Microsoft's change validator
  reports it ("The list of enum values has been added to the input field"): values flows send
  today may be outside the list. Removing a value from an existing enum is breaking too;
  adding one is not.
* The other constraints of an input (`maxLength`/`minLength`, `maximum`/`minimum` and their
  `exclusive*` flags, `maxItems`/`minItems`, `uniqueItems`, `multipleOf`, `pattern`) follow
  the enum rule, one change per keyword: one introduced where there was none is breaking (the
  validator treats an added pattern like an added enum, and Microsoft's versioning guide
  counts "no longer supporting certain inputs" as breaking), one tightened (a lower maximum,
  a higher minimum, a flag made exclusive, a `multipleOf` the old one is not a multiple of) is
  breaking, one loosened or removed is not. A changed `pattern` counts as loosened only when
  the new one is proved to accept every value the old one did (patterns.py proves it for
  plain shapes: wider classes and counts, an added alternative or optional part, a dropped
  anchor); any other change counts as tightened, since whether one regular expression
  accepts everything another does cannot be decided in general. An added enum or an added or
  tightened constraint is not breaking on an input that is internal (`x-ms-visibility:
  internal`) in both versions and has a `default` in the new one: users never fill it, and
  the connector sends its default (whether the default meets the constraint is the linter's
  concern). It applies to the internal node itself, not to the fields inside it.
* Enum changes of output fields are not reported, and neither are the other constraints of
  outputs (pattern, lengths, ranges): a narrowed output (a value removed, a pattern added)
  breaks no flow that reads it. A widened one (a value added) can surprise a flow that
  switches on the values, but the values are the service's to send, whatever the swagger
  lists, so it is not reported either.
* Response headers are outputs of the response that provides the outputs (the 2xx ones, or
  `default` when there is none), compared by the rules of output fields: one removed, or with
  another `type` or `format` (their items' included), is breaking; one added is not; changes
  of their `enum`, `pattern` and other constraints are not reported. Names compare without
  letter case, as HTTP header names do. Headers of error responses are not compared.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from retarus_connector.core.properties import read as read_properties

from .assets import compare_icons, compare_scripts
from .connector import compare_connector
from .model import Change, ChangeKind, Severity, Side
from .operations import OperationComparison
from .properties import compare_properties
from .settings import signs_in_with_oauth_settings
from .swagger import Operation, operations

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING

_TEMPLATE_PARAMETER = re.compile(r"\{[^}]*\}")


def compare(
    old: Any,
    new: Any,
    *,
    properties: tuple[Any, Any] | None = None,
    scripts: tuple[bytes | None, bytes | None] | None = None,
    icons: tuple[bytes | None, bytes | None] | None = None,
) -> Iterator[Change]:
    """Every change from the swagger `old` to `new`, breaking and non-breaking: first those of
    the whole connector (where requests go, authentication, then, given the old and new
    apiProperties documents as `properties`, their connection settings, policies,
    capabilities, scriptOperations and presentation, then, given the bytes of each version's
    script.csx (None for none) as `scripts`, the custom code, and given those of each
    version's icon.png as `icons`, the icon), then the operations' in the old
    document's order, then the added operations in the new document's order."""
    # the platform signs in with apiProperties' oAuthSettings when both versions have them
    signed_in_by_properties = properties is not None and all(
        signs_in_with_oauth_settings(read_properties(document)) for document in properties
    )
    yield from compare_connector(old, new, signed_in_by_properties=signed_in_by_properties)
    if properties is not None:
        yield from compare_properties(*properties, old, new)
    if scripts is not None:
        yield from compare_scripts(*scripts)
    if icons is not None:
        yield from compare_icons(*icons)
    old_operations = list(operations(old))
    new_operations = list(operations(new))
    matches = _match_operations(old_operations, new_operations)
    matched_new: set[int] = set()
    for old_operation in old_operations:
        new_operation = matches.get(id(old_operation))
        if new_operation is None:
            yield _deleted(old_operation)
            continue
        matched_new.add(id(new_operation))
        yield from OperationComparison(old, new, old_operation, new_operation).changes()
    for new_operation in new_operations:
        if id(new_operation) not in matched_new:
            yield Change(
                ChangeKind.OPERATION_ADDED,
                NON_BREAKING,
                new_operation.label,
                new_operation.pointer,
                f"The operation {new_operation.route} has been added.",
            )


def _match_operations(
    old_operations: list[Operation], new_operations: list[Operation]
) -> dict[int, Operation]:
    """old operation (by id()) -> the new operation it became."""
    old_ids = Counter(op.operation_id for op in old_operations if op.operation_id)
    new_ids = Counter(op.operation_id for op in new_operations if op.operation_id)
    new_by_id = {
        op.operation_id: op
        for op in new_operations
        if op.operation_id and new_ids[op.operation_id] == 1
    }
    matches: dict[int, Operation] = {}
    taken: set[int] = set()
    for op in old_operations:
        # a duplicated operationId identifies nothing; such operations match by route only
        if op.operation_id and old_ids[op.operation_id] == 1 and op.operation_id in new_by_id:
            target = new_by_id[op.operation_id]
            matches[id(op)] = target
            taken.add(id(target))
    by_route: dict[tuple[str, str], Operation] = {}
    for op in new_operations:
        if id(op) not in taken:
            by_route.setdefault(_route_key(op), op)
    for op in old_operations:
        if id(op) in matches:
            continue
        key = _route_key(op)
        if key in by_route:
            matches[id(op)] = by_route.pop(key)
    return matches


def _route_key(operation: Operation) -> tuple[str, str]:
    return operation.method, _TEMPLATE_PARAMETER.sub("{}", operation.path.rstrip("/"))


def _deleted(operation: Operation) -> Change:
    message = (
        f"The operation has been deleted ({operation.route}). This change breaks existing flows."
    )
    if operation.deprecated:
        message += (
            " It was already deprecated, but deprecated operations still run in existing flows:"
            " keep it in the definition."
        )
    else:
        message += " Mark it `deprecated: true` instead of deleting it."
    return Change(
        ChangeKind.OPERATION_DELETED,
        BREAKING,
        operation.label,
        operation.pointer,
        message,
        Side.OLD,
    )
