"""Operations: summary, description, operationId and responses (reference OP-01 to OP-11;
OP-09, the shape of `responses`, and unique operationIds are structure rules), and the callback
of webhook triggers (reference section 3)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._callbacks import MARK, NOTIFICATION, walker
from retarus_connector.lint.rules._profiles import CUSTOM_INFO, CUSTOM_WARNING
from retarus_connector.lint.rules._walk import (
    HTTP_METHODS,
    Operation,
    as_dict,
    blank,
    holders_with,
    join,
    operations,
    responses,
    text,
)

SUMMARY_LIMIT = 80
_RESTRICTED = re.compile(r"[/\\<>*%&?]")
_OPERATION_ID_STYLE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
# a sentence ends in . ! or ?, possibly followed by closing quotes or brackets
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")


def _required(package: Package, key: str) -> Iterator[Problem]:
    """The validator's finding for each operation whose `key` is missing or blank."""
    for operation in operations(package):
        if blank(operation.node.get(key)):
            yield Problem(
                f"The '{key}' property is required (operation {operation.label})",
                operation.pointer,
            )


def _summary_problems(package: Package, message: Callable[[str], str | None]) -> Iterator[Problem]:
    """A finding at the summary of each operation whose summary text `message` reports."""
    for operation in operations(package):
        summary = text(operation.node.get("summary"))
        said = message(summary) if summary is not None else None
        if said is not None:
            yield Problem(said, join(operation.pointer, "summary"))


@rule("operation-summary-required", Severity.ERROR, severities=CUSTOM_WARNING)
def summary_required(package: Package) -> Iterator[Problem]:
    """Every operation has a `summary`.

    What: the validator reports "The 'summary' property is required" (reference OP-01).
    Why: the summary is the action or trigger name users pick in the designer, and the first
    thing Copilot reads to choose an operation.
    Fix: add a short sentence-case `summary` such as "Send an SMS".
    """
    yield from _required(package, "summary")


@rule("operation-description-required", Severity.ERROR, severities=CUSTOM_WARNING)
def description_required(package: Package) -> Iterator[Problem]:
    """Every operation has a `description`.

    What: the validator reports "The 'description' property is required. ValuePath: ..."
    (reference OP-02).
    Why: the description is the action's help text and tells Copilot what the operation does.
    Fix: add a full sentence that says what the operation does and returns.
    """
    yield from _required(package, "description")


@rule("operation-summary-characters", Severity.ERROR, severities=CUSTOM_WARNING)
def summary_characters(package: Package) -> Iterator[Problem]:
    """Operation summaries contain none of the characters `/ \\ < > * % & ?`.

    What: the validator rejects them with "Summary string contains any of the restricted
    characters" (reference OP-03).
    Why: summaries become names in flows and generated code, where those characters break.
    Fix: reword, e.g. "Get status or report" instead of "Get status/report".
    """
    yield from _summary_problems(package, _restricted_characters)


def _restricted_characters(summary: str) -> str | None:
    found = sorted(set(_RESTRICTED.findall(summary)))
    if not found:
        return None
    return (
        f"Summary string contains any of the restricted characters {' '.join(found)!r}: {summary!r}"
    )


@rule("operation-summary-length", Severity.WARNING, severities=CUSTOM_INFO)
def summary_length(package: Package) -> Iterator[Problem]:
    """Operation summaries are at most 80 characters.

    What: the string guidance caps summaries at 80 characters (reference OP-04).
    Why: the designer truncates longer action names.
    Fix: shorten the summary; put the details in `description`.
    """
    yield from _summary_problems(package, _too_long)


def _too_long(summary: str) -> str | None:
    if len(summary) <= SUMMARY_LIMIT:
        return None
    return (
        f"The 'summary' goes over the character limit '{SUMMARY_LIMIT}' ({len(summary)} characters)"
    )


@rule("operation-summary-style", Severity.WARNING, severities=CUSTOM_INFO)
def summary_style(package: Package) -> Iterator[Problem]:
    """Operation summaries do not start or end with whitespace or end with punctuation.

    What: a summary is a name, not a sentence: no trailing period, colon or space (a closing
    parenthesis is fine) (reference OP-05).
    Why: summaries are shown as action names and used for generated identifiers.
    Fix: remove the trailing punctuation or whitespace.
    """
    yield from _summary_problems(package, _badly_styled)


def _badly_styled(summary: str) -> str | None:
    if not summary.strip():
        return None
    if summary != summary.strip():
        return f"The 'summary' has leading or trailing whitespace: {summary!r}"
    if not (summary[-1].isalnum() or summary[-1] == ")"):
        return f"The 'summary' should not end with {summary[-1]!r}: {summary!r}"
    return None


@rule("operation-description-style", Severity.WARNING, severities=CUSTOM_INFO)
def description_style(package: Package) -> Iterator[Problem]:
    """An operation's description differs from its summary and ends with a period.

    What: the coding standards ask for a description that adds to the summary and is written
    as a full sentence (reference OP-06).
    Why: a copy of the summary tells users and Copilot nothing more.
    Fix: explain what the operation does, what it needs and what it returns, ending in a period.
    """
    for operation in operations(package):
        description = text(operation.node.get("description"))
        if not description or not description.strip():
            continue
        summary = text(operation.node.get("summary"))
        if summary is not None and summary.strip().lower() == description.strip().lower():
            yield Problem(
                f"The 'description' repeats the summary {summary!r}; describe the operation",
                join(operation.pointer, "description"),
            )
        elif not _SENTENCE_END.search(description.strip()):
            yield Problem(
                "The 'description' should be a sentence ending with a period",
                join(operation.pointer, "description"),
            )


@rule("operation-id-required", Severity.ERROR)
def operation_id_required(package: Package) -> Iterator[Problem]:
    """Every operation has an `operationId`.

    What: certification needs a stable, unique operationId on each operation (reference OP-07;
    uniqueness is checked by the structure rules).
    Why: flows store the operationId; policies, dynamic values and script code refer to it.
    Fix: add an alphanumeric PascalCase `operationId`, e.g. "SendMessage".
    """
    for operation in operations(package):
        if blank(operation.node.get("operationId")):
            yield Problem(
                f"The 'operationId' property is required ({operation.method.upper()} "
                f"{operation.path})",
                operation.pointer,
            )


@rule("operation-id-style", Severity.INFO)
def operation_id_style(package: Package) -> Iterator[Problem]:
    """operationIds are alphanumeric, without `-`, `_` or spaces.

    What: the coding standards ask for PascalCase (the string guidance says camelCase); both
    forbid hyphens, underscores and spaces (reference OP-08).
    Why: operationIds become method names in SDKs and identifiers in flows.
    Fix: for a new connector, write e.g. "SendMessage". Never rename the operationId of a
    published operation: that is a breaking change.
    """
    for operation in operations(package):
        operation_id = operation.operation_id
        if operation_id and not _OPERATION_ID_STYLE.match(operation_id):
            yield Problem(
                f"The operationId {operation_id!r} should contain only letters and digits",
                join(operation.pointer, "operationId"),
            )


@rule("operation-default-response-schema", Severity.ERROR, severities=CUSTOM_WARNING)
def default_response_schema(package: Package) -> Iterator[Problem]:
    """The `default` response has no `schema`.

    What: the validator rejects a schema on the default response ("DefaultResponseHasSchema",
    reference OP-10).
    Why: the default response stands for unexpected errors, whose body is not part of the
    action's outputs.
    Fix: remove the schema from `default`; describe known error bodies under their status codes.
    """
    for operation in operations(package):
        for code, response, pointer in responses(package.swagger, operation):
            if code == "default" and "schema" in response:
                yield Problem(
                    f"DefaultResponseHasSchema: the 'default' response of {operation.label} "
                    f"must not have a 'schema'",
                    join(pointer, "schema"),
                )


def _has_success_code(operation: Operation) -> bool:
    declared = operation.node.get("responses")
    return isinstance(declared, dict) and any(
        isinstance(code, str) and code[:1] in ("2", "3") for code in declared
    )


@rule("operation-success-response", Severity.WARNING, severities=CUSTOM_INFO)
def success_response(package: Package) -> Iterator[Problem]:
    """Operations declare their success response, and reads describe what they return.

    What: each operation lists a 2xx (or 3xx) response rather than only `default`, and a GET
    operation's 2xx responses (other than 204) carry a `schema` (reference OP-11; reviewers ask
    for response schemas unless they are dynamic).
    Why: without a success schema the action has no outputs to use in later steps.
    Fix: add e.g. `"200": {"description": "...", "schema": {...}}`; use `x-ms-dynamic-schema`
    when the shape depends on the input.
    """
    for operation in operations(package):
        declared = operation.node.get("responses")
        if not isinstance(declared, dict) or not declared:
            continue  # the structure rule operation-responses reports it
        if not _has_success_code(operation):
            yield Problem(
                f"The operation {operation.label} declares no success (2xx) response",
                join(operation.pointer, "responses"),
            )
            continue
        if operation.method != "get":
            continue
        success = [
            (code, response)
            for code, response, _ in responses(package.swagger, operation)
            if code.startswith("2") and code != "204"
        ]
        if success and not any("schema" in response for _, response in success):
            yield Problem(
                f"The operation {operation.label} returns data but its success response has "
                f"no 'schema'",
                join(operation.pointer, "responses", success[0][0]),
            )


@rule("operation-webhook-callback", Severity.ERROR)
def webhook_callback(package: Package) -> Iterator[Problem]:
    """A webhook trigger has an input for its callback URL, and only webhooks have one.

    What: an operation with `x-ms-trigger` whose path item (or, as Microsoft's extension list
    allows, the operation itself) declares `x-ms-notification-content` is a webhook trigger: it
    subscribes to the service's events, and one of its inputs, a parameter or a property of
    its body, is marked `"x-ms-notification-url": true` so the platform fills in the URL the
    service must call (reference section 3, the touchSMS pattern). The same declaration
    without `x-ms-trigger` makes a webhook action, one that subscribes and waits for a single
    call back (as Office 365's "Send approval email" does), and the mark is valid there too. On
    an operation that is neither, the mark does nothing.
    A trigger whose inputs reach a `$ref` that does not resolve is left to `ref-target`.
    Why: without the marked input the service is never told where to send events, so the
    trigger never fires; on a plain action the platform fills no callback URL, so the hidden
    value is sent empty.
    Fix: mark the callback URL property of the subscription body with
    `"x-ms-notification-url": true` and `"x-ms-visibility": "internal"`; remove the mark from
    operations that are not webhooks, or add `"x-ms-trigger": "single"` to the subscription.
    """
    marked = bool(holders_with(package, MARK))
    for operation in operations(package):
        trigger = "x-ms-trigger" in operation.node
        notified = NOTIFICATION in operation.path_item or NOTIFICATION in operation.node
        webhook = trigger and notified
        if not webhook and not marked:
            continue
        inputs, unresolved = walker(package).of(operation) if marked else ([], False)
        if webhook and not inputs and not unresolved:  # ref-target reports a broken reference
            yield Problem(
                f"The webhook trigger {operation.label} has no input marked "
                f"'x-ms-notification-url: true', so the service never learns where to send "
                f"events",
                operation.pointer,
            )
        elif inputs and not trigger and not notified:
            yield Problem(
                f"The operation {operation.label} marks a callback URL "
                f"('x-ms-notification-url') but is neither a trigger (no 'x-ms-trigger') nor a "
                f"webhook action (no 'x-ms-notification-content')",
                join(inputs[0][1], MARK),
            )


@rule("operation-path-empty", Severity.WARNING, severities=CUSTOM_INFO)
def path_empty(package: Package) -> Iterator[Problem]:
    """Every path item holds at least one operation.

    What: an entry of `paths` such as `"/messages": {}`, or one holding only `parameters`,
    defines no get, put, post, delete, options, head or patch operation. A path item that
    carries an extension (some connectors keep an `x-ms-notification-content` apart) is left
    alone. In microsoft/PowerPlatformConnectors (October 2024) 156 empty path items sit in 43
    connectors, most of them generator leftovers of removed operations.
    Why: the path does nothing for users, and reviewers ask for it to go: the definition is
    the connector's public contract
    (https://learn.microsoft.com/en-us/connectors/custom-connectors/define-openapi-definition).
    Fix: remove the path, or add the operation it was meant to hold.
    """
    paths = as_dict(as_dict(package.swagger).get("paths"))
    for path, item in paths.items():
        if not isinstance(item, dict) or any(method in item for method in HTTP_METHODS):
            continue
        if not any(isinstance(key, str) and key.startswith("x-") for key in item):
            yield Problem(f"The path {path!r} holds no operation", join("/paths", path))


RULES: tuple[Rule, ...] = (
    summary_required,
    description_required,
    summary_characters,
    summary_length,
    summary_style,
    description_style,
    operation_id_required,
    operation_id_style,
    default_response_schema,
    success_response,
    webhook_callback,
    path_empty,
)
