"""Reading cloud flow definitions (`Workflows/*.json`): their actions at every depth, the
connection each action uses, and the action names its expressions refer to."""

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from retarus_connector.core.pointer import escape

CONNECTION_TYPES = frozenset(
    {
        "openapiconnection",
        "openapiconnectionwebhook",
        "openapiconnectionnotification",
        "apiconnection",
        "apiconnectionwebhook",
        "apiconnectionnotification",
    }
)
# Patterns as text, compiled by `re` when a solution's flows are first read (most lint runs
# read none).
# @parameters('$connections')['KEY']['connectionId'], the older way to name a connection
_CONNECTIONS_PARAMETER = r"\$connections'\)\s*\[\s*'([^']+)'\s*\]"
# a function that takes an action's name as its first argument; '' is a quote inside a name
REFERENCE = r"\b(body|outputs|actions|result|items|iterationIndexes)\s*\(\s*'((?:[^']|'')*)'\s*[,)]"
RUN_AFTER_STATUSES = frozenset({"succeeded", "failed", "skipped", "timedout"})


class Action(NamedTuple):
    """An action or trigger: its name, its JSON object, its pointer, and the names of the
    actions beside it in the same `actions` object (what `runAfter` may name)."""

    name: str
    body: dict[str, Any]
    pointer: str
    siblings: frozenset[str]
    trigger: bool

    @property
    def type(self) -> str:
        value = self.body.get("type")
        return value.lower() if isinstance(value, str) else ""

    @property
    def inputs(self) -> dict[str, Any]:
        value = self.body.get("inputs")
        return value if isinstance(value, dict) else {}


def definition(data: Any) -> tuple[dict[str, Any], str] | None:
    """The workflow definition and its pointer: `properties.definition` in a solution's flow
    file, or the document itself when it is a bare definition."""
    if not isinstance(data, dict):
        return None
    properties = data.get("properties")
    if isinstance(properties, dict) and isinstance(properties.get("definition"), dict):
        return properties["definition"], "/properties/definition"
    if "actions" in data or "triggers" in data:
        return data, ""
    return None


def connection_references(data: Any) -> dict[str, Any] | None:
    properties = data.get("properties") if isinstance(data, dict) else None
    found = properties.get("connectionReferences") if isinstance(properties, dict) else None
    return found if isinstance(found, dict) else None


def actions(flow: dict[str, Any], base: str) -> list[Action]:
    """Every trigger and action, those inside scopes, conditions, loops and switches too."""
    found: list[Action] = []
    triggers = flow.get("triggers")
    if isinstance(triggers, dict):
        names = frozenset(triggers)
        for name, body in triggers.items():
            if isinstance(body, dict):
                found.append(Action(name, body, f"{base}/triggers/{escape(name)}", names, True))
    stack: list[tuple[Any, str]] = [(flow.get("actions"), f"{base}/actions")]
    while stack:
        group, pointer = stack.pop()
        if not isinstance(group, dict):
            continue
        names = frozenset(group)
        for name, body in group.items():
            if not isinstance(body, dict):
                continue
            here = f"{pointer}/{escape(name)}"
            found.append(Action(name, body, here, names, False))
            stack.append((body.get("actions"), f"{here}/actions"))
            for branch in ("else", "default"):
                inner = body.get(branch)
                if isinstance(inner, dict):
                    stack.append((inner.get("actions"), f"{here}/{branch}/actions"))
            cases = body.get("cases")
            if isinstance(cases, dict):
                for case, inner in cases.items():
                    if isinstance(inner, dict):
                        stack.append((inner.get("actions"), f"{here}/cases/{escape(case)}/actions"))
    return found


def connection_key(action: Action) -> tuple[str, str] | None:
    """(connection key, pointer) an action names in `host`, in the forms exports write:
    `host.connectionName`, `host.connection` (a name, or an object with `referenceName` or a
    `name` expression over `$connections`)."""
    host = action.inputs.get("host")
    if not isinstance(host, dict):
        return None
    pointer = f"{action.pointer}/inputs/host"
    name = host.get("connectionName")
    if isinstance(name, str):
        return name, f"{pointer}/connectionName"
    connection = host.get("connection")
    if isinstance(connection, str):
        return connection, f"{pointer}/connection"
    if isinstance(connection, dict):
        reference = connection.get("referenceName")
        if isinstance(reference, str):
            return reference, f"{pointer}/connection/referenceName"
        named = connection.get("name")
        if isinstance(named, str):
            match = re.search(_CONNECTIONS_PARAMETER, named)
            if match:
                return match.group(1), f"{pointer}/connection/name"
    return None


def expressions(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """(string, pointer) of every string below `node` that holds an expression."""
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        value, here = stack.pop()
        if isinstance(value, str):
            if "@" in value and "(" in value:
                yield value, here
        elif isinstance(value, dict):
            stack.extend((child, f"{here}/{escape(key)}") for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, f"{here}/{index}") for index, child in enumerate(value))


def referenced_names(text: str) -> Iterator[tuple[str, str]]:
    """(function, action name) of each literal action name an expression passes."""
    for match in re.finditer(REFERENCE, text):
        yield match.group(1), match.group(2).replace("''", "'")


def same_name(name: str) -> str:
    """Expressions write a name with spaces as the designer keys it, spaces as underscores."""
    return name.replace(" ", "_")
