"""Readiness for Copilot Studio agents and AI plugins (reference AI-01, AI-02).

AI-01's hard floor (operation summary and description, parameter summary and description) is
checked by the operations and parameters rules; what is left offline is that operations can be
told apart. AI-02 is guidance, so its rule reports at info level.
"""

from __future__ import annotations

from collections.abc import Iterator

from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO
from retarus_connector.lint.rules._walk import (
    WRITE_METHODS,
    Operation,
    as_dict,
    holders_with,
    join,
    operations,
)

OPENAI_DATA = "x-ms-openai-data"
MANIFEST = "x-ms-openai-manifest"
MANIFEST_FIELDS = ("humanName", "modelDescription", "contactEmail", "legalUrl")
CONFIRMATION = "x-ms-require-user-confirmation"


def _visible(package: Package) -> list[Operation]:
    return [op for op in operations(package) if not op.internal and not op.deprecated]


def _key(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.lower().rstrip(". \t\n").split())


@rule("copilot-operation-distinct", Severity.WARNING, severities=CUSTOM_INFO)
def operation_distinct(package: Package) -> Iterator[Problem]:
    """Visible operations have summaries and descriptions of their own.

    What: two operations users can see (not internal, not deprecated) share a summary or a
    description (compared without case and a final period) (reference AI-01).
    Why: Copilot and users choose an operation by its summary and description; twins cannot be
    told apart, so the wrong one gets called.
    Fix: say in each text what makes the operation different, e.g. "Get a message" and
    "List messages".
    """
    for field in ("summary", "description"):
        first: dict[str, Operation] = {}
        for operation in _visible(package):
            key = _key(operation.node.get(field))
            if key is None:
                continue
            if key in first:
                yield Problem(
                    f"The {field} of {operation.label} is the same as that of "
                    f"{first[key].label}; make each operation's {field} distinct",
                    join(operation.pointer, field),
                )
            else:
                first[key] = operation


def _openai_data_problems(operation: Operation) -> Iterator[Problem]:
    data = operation.node[OPENAI_DATA]
    pointer = join(operation.pointer, OPENAI_DATA)
    if not isinstance(data, dict):
        yield Problem(f"'{OPENAI_DATA}' must be an object", pointer)
        return
    if not isinstance(data.get("openai-enabled"), bool):
        yield Problem(f"'{OPENAI_DATA}' needs 'openai-enabled': true or false", pointer)
    entries = data.get("operations", [])
    if not isinstance(entries, list):
        yield Problem(f"'{OPENAI_DATA}.operations' must be an array", join(pointer, "operations"))
        return
    for index, entry in enumerate(entries):
        entry_pointer = join(pointer, "operations", index)
        if not isinstance(entry, dict) or not isinstance(entry.get("operationId"), str):
            yield Problem("Each entry needs a string 'operationId'", entry_pointer)
            continue
        confirmation = entry.get(CONFIRMATION)
        if CONFIRMATION in entry and not isinstance(confirmation, bool):
            yield Problem(
                f"'{CONFIRMATION}' must be true or false", join(entry_pointer, CONFIRMATION)
            )
        elif (
            data.get("openai-enabled") is True
            and operation.method in WRITE_METHODS
            and entry.get("operationId") == operation.operation_id
            and confirmation is not True
        ):
            yield Problem(
                f"The write operation {operation.label} is exposed to copilots; set "
                f"'{CONFIRMATION}': true so that users confirm each call",
                entry_pointer,
            )


@rule("copilot-openai-data", Severity.INFO)
def openai_data(package: Package) -> Iterator[Problem]:
    """Copilot-enabled operations are declared completely; write operations ask to confirm.

    What: `x-ms-openai-data` on an operation is `{"openai-enabled": bool, "operations":
    [{"operationId", "x-ms-require-user-confirmation": bool}]}`; an enabled POST, PUT, PATCH
    or DELETE sets the confirmation to true; a connector that exposes operations has a root
    `x-ms-openai-manifest` with humanName, modelDescription, contactEmail and legalUrl
    (reference AI-02; observed practice, not a validator rule).
    Why: the user should approve every change a copilot makes on their behalf, and the
    manifest is how the plugin presents itself.
    Fix: complete the extension as the message says.
    """
    enabled = False
    for holder in holders_with(package, OPENAI_DATA):
        if isinstance(holder, Operation):
            yield from _openai_data_problems(holder)
            enabled = enabled or as_dict(holder.node[OPENAI_DATA]).get("openai-enabled") is True
    swagger = as_dict(package.swagger)
    manifest = swagger.get(MANIFEST)
    if manifest is None:
        if enabled:
            yield Problem(
                f"Operations are exposed to copilots but the swagger has no '{MANIFEST}'", ""
            )
        return
    if not isinstance(manifest, dict):
        yield Problem(f"'{MANIFEST}' must be an object", f"/{MANIFEST}")
        return
    for field in MANIFEST_FIELDS:
        value = manifest.get(field)
        if not isinstance(value, str) or not value.strip():
            yield Problem(f"'{MANIFEST}' needs a '{field}'", f"/{MANIFEST}")


RULES: tuple[Rule, ...] = (operation_distinct, openai_data)
