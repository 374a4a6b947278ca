"""Parameters and properties as the user fills them in: titles, help texts, hidden required
values, the hidden callback URL of webhooks (reference PRM-01, PRM-02, PRM-04 and section 3;
PRM-03 is part of the structure rules)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._callbacks import callback_inputs
from retarus_connector.lint.rules._profiles import CUSTOM_INFO, CUSTOM_WARNING
from retarus_connector.lint.rules._walk import (
    Parameter,
    SchemaNode,
    as_dict,
    as_list,
    blank,
    follow,
    holders_with,
    holding,
    join,
    operation_parameters,
    operations,
    parameter_definitions,
    text,
    values_at,
)
from retarus_connector.lint.rules._walk import index as schema_index

SUMMARY_LIMIT = 80
# words that stay lower case inside a title
_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "if",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "via",
        "vs",
        "with",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_SENTENCE_END = re.compile(r"[.!?:][\"')\]]*$")


def _label(node: dict[str, Any]) -> str:
    name = text(node.get("name"))
    return repr(name) if name else "without a name"


_PRIMITIVE_TYPES = frozenset({"string", "integer", "number", "boolean"})


def _labelled_elsewhere(node: dict[str, Any]) -> bool:
    """Whether the designer never shows a parameter's own label and help text: it is hidden
    (`x-ms-visibility: internal`), or it is a body whose schema is not a single primitive
    value, so the designer shows the schema's properties, each with its own x-ms-summary and
    description, instead of the body parameter."""
    if node.get("x-ms-visibility") == "internal":
        return True
    if node.get("in") != "body":
        return False
    schema = node.get("schema")
    return not (isinstance(schema, dict) and schema.get("type") in _PRIMITIVE_TYPES)


def _required(package: Package, key: str) -> Iterator[Problem]:
    """The validator's finding for each parameter users see whose `key` is missing or blank."""
    for parameter in parameter_definitions(package):
        node = parameter.node
        if blank(node.get(key)) and not _labelled_elsewhere(node):
            yield Problem(
                f"The '{key}' property is required (parameter {_label(node)})", parameter.pointer
            )


@rule("parameter-summary-required", Severity.ERROR, severities=CUSTOM_WARNING)
def summary_required(package: Package) -> Iterator[Problem]:
    """Every parameter users see has an `x-ms-summary`.

    What: the validator reports "The 'x-ms-summary' property is required" for each parameter,
    including the shared ones under `#/parameters` (reference PRM-01). Not checked: parameters
    hidden with `x-ms-visibility: internal`, and body parameters whose schema is an object, an
    array or a `$ref` (the designer shows the schema's properties, not the body parameter).
    Decided on the 607 certified connectors of microsoft/PowerPlatformConnectors (October
    2024): 5,229 of 5,975 body parameters (in 492 connectors) and 1,065 of 1,414 internal
    parameters (in 138) have no x-ms-summary, against 777 of 15,685 other parameters.
    Microsoft certifies the former routinely, so reporting them would be noise.
    Why: `x-ms-summary` is the field label users see in the designer.
    Fix: add a short title-case label, e.g. `"x-ms-summary": "Phone Number"`.
    """
    yield from _required(package, "x-ms-summary")


@rule("parameter-description-required", Severity.ERROR, severities=CUSTOM_WARNING)
def description_required(package: Package) -> Iterator[Problem]:
    """Every parameter users see has a `description`.

    What: the validator reports "The 'description' property is required" for parameters
    (reference PRM-01). Not checked, as for parameter-summary-required: internal parameters
    and body parameters whose schema is not a single primitive value. Evidence from the 607
    certified connectors: 3,358 of 5,975 body parameters (in 422 connectors) and 979 of 1,414
    internal ones (in 123) have no description, against 546 of 15,685 other parameters.
    Why: the description is the field's help text and tells Copilot what value to pass.
    Fix: add a sentence that says what the value is and what format it takes.
    """
    yield from _required(package, "description")


def _title_case_problem(summary: str) -> str | None:
    words = _WORD.findall(summary)
    if not words:
        return None
    if words[0][0].islower():
        return f"should start with a capital letter: {summary!r}"
    for word in words[1:]:
        if word[0].islower() and word.lower() not in _MINOR_WORDS and len(word) > 3:
            return f"should be in title case ({word!r}): {summary!r}"
    return None


# what is wrong with a label depends on its text alone, and the same labels ("Name", "ID",
# "Status") come back on many properties: each text is judged once (a bounded memo of a pure
# function, which no package can make stale)
@functools.lru_cache(maxsize=8192)
def _label_messages(summary: str) -> tuple[str, ...]:
    found: list[str] = []
    if summary.strip():
        if len(summary) > SUMMARY_LIMIT:
            found.append(
                f"The 'x-ms-summary' goes over the character limit '{SUMMARY_LIMIT}' "
                f"({len(summary)} characters)"
            )
        problem = _title_case_problem(summary)
        if problem:
            found.append(f"The 'x-ms-summary' {problem}")
    return tuple(found)


@rule("parameter-summary-style", Severity.WARNING, severities=CUSTOM_INFO)
def summary_style(package: Package) -> Iterator[Problem]:
    """Field labels (`x-ms-summary` of parameters and properties) are short and in title case.

    What: the string guidance asks for labels of at most 80 characters in title case, e.g.
    "Phone Number" (reference PRM-02). Short words such as "of" or "to" may stay lower case.
    Why: labels are shown beside input fields and as dynamic-content names.
    Fix: shorten the label and capitalise its words.
    """
    for parameter in parameter_definitions(package):
        summary = parameter.node.get("x-ms-summary")
        if summary.__class__ is str and summary:
            for message in _label_messages(summary):
                yield Problem(message, join(parameter.pointer, "x-ms-summary"))
    found = schema_index(package)
    labels = values_at(found.property_nodes, "x-ms-summary")
    for entry in holding(found.properties, labels, _badly_labelled):
        for message in _label_messages(entry[0]["x-ms-summary"]):
            yield Problem(message, found.schema_pointer(entry, "x-ms-summary"))


def _badly_labelled(summary: Any) -> bool:
    return summary.__class__ is str and bool(summary) and bool(_label_messages(summary))


@rule("parameter-description-style", Severity.WARNING, severities=CUSTOM_INFO)
def description_style(package: Package) -> Iterator[Problem]:
    """Parameter descriptions are full sentences ending in punctuation.

    What: the string guidance asks for parameter descriptions written as a sentence
    (reference PRM-02).
    Why: the description is shown as help text and read by Copilot.
    Fix: write e.g. "The phone number in international format, such as +4930123456."
    """
    for parameter in parameter_definitions(package):
        description = text(parameter.node.get("description"))
        if description and description.strip() and not _SENTENCE_END.search(description.strip()):
            yield Problem(
                f"The 'description' of parameter {_label(parameter.node)} should be a "
                f"sentence ending with punctuation",
                join(parameter.pointer, "description"),
            )


def _needs_default(node: dict[str, Any]) -> bool:
    # the platform fills a webhook's callback URL itself
    return (
        node.get("x-ms-visibility") == "internal"
        and "default" not in node
        and node.get("x-ms-notification-url") is not True
    )


@rule("parameter-internal-required-default", Severity.ERROR)
def internal_required_default(package: Package) -> Iterator[Problem]:
    """A required parameter or property hidden with `x-ms-visibility: internal` has a `default`.

    What: an internal value is never shown to the user, so when it is also required the
    connector must supply it through `default` (reference PRM-04). The callback URL of a webhook
    (`x-ms-notification-url: true`) is exempt: the platform fills it.
    Why: without a default every call fails for a value nobody can enter.
    Fix: add a `default`, or make the value optional or visible.
    """
    for holder in holders_with(package, "x-ms-visibility"):
        node = holder.node
        if isinstance(holder, Parameter):
            if node.get("in") != "body" and node.get("required") is True and _needs_default(node):
                yield Problem(
                    f"The parameter {_label(node)} is internal and required but has no 'default'",
                    holder.pointer,
                )
        elif isinstance(holder, SchemaNode) and holder.required and _needs_default(node):
            yield Problem(
                f"The property '{holder.name}' is internal and required but has no 'default'",
                holder.pointer,
            )


@rule("parameter-notification-url-internal", Severity.WARNING)
def notification_url_internal(package: Package) -> Iterator[Problem]:
    """The callback URL input of a webhook is hidden with `x-ms-visibility: internal`.

    What: a parameter or body property marked `"x-ms-notification-url": true` receives the
    URL the platform creates for the trigger; the extension table asks to mark it internal
    (reference section 3).
    Why: the platform fills the value itself; shown, it is a field users are asked to fill in
    and cannot fill in correctly.
    Fix: add `"x-ms-visibility": "internal"` next to `"x-ms-notification-url": true`.
    """
    if not holders_with(package, "x-ms-notification-url"):
        return
    reported: set[str] = set()  # a definition shared by several subscriptions is reported once
    for operation in operations(package):
        for node, pointer in callback_inputs(package, operation):
            if node.get("x-ms-visibility") != "internal" and pointer not in reported:
                reported.add(pointer)
                yield Problem(
                    "The callback URL ('x-ms-notification-url') is not hidden with "
                    "'x-ms-visibility: internal'",
                    pointer,
                )


_CALLBACK_MARK = "x-ms-notification-url"
_NOTIFICATION_CONTENT = "x-ms-notification-content"


def _required_path(swagger: Any, schema: Any, depth: int = 0) -> tuple[bool, str] | None:
    """Whether the callback URL below `schema` is reached through required properties only,
    with the name of the first optional one; None when `schema` holds no marked property."""
    node, _ = follow(swagger, schema, "")
    if not isinstance(node, dict) or depth > 32:
        return None
    if node.get(_CALLBACK_MARK) is True:
        return True, ""
    members = [node, *(follow(swagger, m, "")[0] for m in as_list(node.get("allOf")))]
    required = {
        name
        for member in members
        if isinstance(member, dict)
        for name in as_list(member.get("required"))
        if isinstance(name, str)
    }
    for member in members:
        if not isinstance(member, dict):
            continue
        if member is not node:
            found = _required_path(swagger, member, depth + 1)
            if found is not None:
                return found
        for name, child in as_dict(member.get("properties")).items():
            found = _required_path(swagger, child, depth + 1)
            if found is not None:
                held, optional = found
                if name not in required:
                    return False, optional or name
                return held, optional
    return None


@rule("operation-webhook-callback-required", Severity.WARNING, severities=CUSTOM_INFO)
def webhook_callback_required(package: Package) -> Iterator[Problem]:
    """The input that carries a webhook's callback URL is required.

    What: in a webhook trigger (an operation with `x-ms-trigger` whose path item declares
    `x-ms-notification-content`), the parameter marked `"x-ms-notification-url": true`, or the
    body parameter whose schema holds the marked property, is `"required": true`, and so is
    each property on the way to the marked one (listed in its schema's `required`).
    Why: the subscription cannot work without the URL; an optional body may be left out by the
    designer or by a maker, and the service then never learns where to post events. Microsoft
    documents the callback as a required input of the subscription
    (https://learn.microsoft.com/en-us/connectors/custom-connectors/create-webhook-trigger).
    36 of the 1,014 connectors of microsoft/PowerPlatformConnectors (October 2024) have such a
    trigger, most from before reviewers started asking; hence a warning.
    Fix: add `"required": true` to the body parameter and list the callback property in
    `required`.
    """
    if not holders_with(package, _CALLBACK_MARK):
        return
    swagger = package.swagger
    for operation in operations(package):
        notified = (
            _NOTIFICATION_CONTENT in operation.path_item or _NOTIFICATION_CONTENT in operation.node
        )
        if "x-ms-trigger" not in operation.node or not notified:
            continue
        for parameter in operation_parameters(swagger, operation):
            node = parameter.node
            if node.get("in") != "body":
                found = (True, "") if node.get(_CALLBACK_MARK) is True else None
            else:
                found = _required_path(swagger, node.get("schema"))
            if found is None:
                continue
            held, optional = found
            if node.get("required") is not True:
                yield Problem(
                    f"The webhook trigger {operation.label} carries its callback URL in the "
                    f"parameter {text(node.get('name')) or '(unnamed)'!r}, which is not required",
                    parameter.pointer,
                )
            elif not held:
                yield Problem(
                    f"The webhook trigger {operation.label} reaches its callback URL through "
                    f"the optional property {optional!r}; list it in 'required'",
                    join(parameter.pointer, "schema"),
                )


RULES: tuple[Rule, ...] = (
    summary_required,
    description_required,
    summary_style,
    description_style,
    internal_required_default,
    notification_url_internal,
    webhook_callback_required,
)
