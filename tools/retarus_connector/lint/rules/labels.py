"""Names users read in the designer: action and trigger names, connection field names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from retarus_connector.lint.model import FileKind, Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO
from retarus_connector.lint.rules._properties import api_properties
from retarus_connector.lint.rules._walk import join, operations, text

_FIRST_WORD = r"[^\W\d_][\w'\u2019-]*"


def lower_start(label: str) -> bool:
    """Whether a label starts with a lower-case word that is not a brand written with an inner
    capital ("iPhone", "eSignatures", "iManage"); labels that start with a digit or a sign
    are not judged."""
    stripped = label.lstrip()
    if not stripped[:1].islower():
        return False  # a capital, a digit or a sign: nearly every label ends here
    match = re.match(_FIRST_WORD, stripped)
    if match is None:
        return False
    word = match.group(0)
    return word[0].islower() and not any(letter.isupper() for letter in word[1:])


def _display_names(package: Package) -> Iterator[tuple[str, str]]:
    """(display name, pointer) of each parameter set and each connection parameter, in every
    parameter set."""
    api = api_properties(package)
    for parameter_set in api.parameter_sets:
        name = text(parameter_set.ui_definition.get("displayName"))
        if name is not None:
            yield name, join(parameter_set.pointer, "uiDefinition", "displayName")
    for parameter in api.all_connection_parameters():
        name = text(parameter.ui_definition.get("displayName"))
        if name is not None:
            yield name, join(parameter.pointer, "uiDefinition", "displayName")


@rule("label-capital", Severity.WARNING, needs=(), severities=CUSTOM_INFO)
def label_capital(package: Package) -> Iterator[Problem]:
    """Action, trigger and connection field names start with a capital letter.

    What: the `summary` of every operation (the action or trigger name), its `x-ms-summary`
    where it has one, and the `uiDefinition.displayName` of every connection
    parameter and parameter set start with a capital letter: "Send an SMS", not "send an
    SMS". A first word that is a brand with an inner capital ("iPhone", "eSign") is accepted;
    a label starting with a digit is not judged. Microsoft's extension guide asks for sentence
    case in summaries and title case in x-ms-summary
    (https://learn.microsoft.com/en-us/connectors/custom-connectors/openapi-extensions). The
    labels of parameters and properties are checked by parameter-summary-style, which reports
    a lower-case start among its title-case findings.
    Why: these names are what users read in the designer's lists and the connection dialog.
    Fix: capitalise the first letter.
    """
    if package.swagger is not None:
        for operation in operations(package):
            summary = text(operation.node.get("summary"))
            if summary is not None and lower_start(summary):
                yield Problem(
                    f"The summary of {operation.label} should start with a capital letter: "
                    f"{summary!r}",
                    join(operation.pointer, "summary"),
                )
            label = text(operation.node.get("x-ms-summary"))
            if label is not None and lower_start(label):
                yield Problem(
                    f"The x-ms-summary should start with a capital letter: {label!r}",
                    join(operation.pointer, "x-ms-summary"),
                )
    if package.properties is not None:
        for name, pointer in _display_names(package):
            if lower_start(name):
                yield Problem(
                    f"The connection field name should start with a capital letter: {name!r}",
                    pointer,
                    FileKind.PROPERTIES,
                )


RULES: tuple[Rule, ...] = (label_capital,)
