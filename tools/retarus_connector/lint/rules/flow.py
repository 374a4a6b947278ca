"""Cloud flows in a solution (`Workflows/*.json`): connections, connection references, the
operations they call on a connector of the same solution, `runAfter` and the action names in
expressions (reference section 2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from retarus_connector.core.pointer import escape
from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._solution import SOLUTION, in_json, solution_of

# The solution readers (lint/solutions/) are imported inside the rules that use them: most
# lint runs read no solution, and every run imports this module to register its rules.
if TYPE_CHECKING:
    from retarus_connector.lint.solutions import flows
    from retarus_connector.lint.solutions.model import Solution
    from retarus_connector.lint.solutions.operations import Input

_NEEDS = (SOLUTION,)


class _Flow:
    """A flow file of the solution that parses and holds a workflow definition."""

    __slots__ = ("definition", "document", "entry", "pointer", "solution")

    def __init__(
        self,
        solution: Solution,
        entry: str,
        document: Any,
        definition: dict[str, Any],
        pointer: str,
    ) -> None:
        self.solution = solution
        self.entry = entry
        self.document = document
        self.definition = definition
        self.pointer = pointer  # of the definition

    def problem(self, message: str, pointer: str) -> Problem:
        """A finding at `pointer` in this flow file."""
        return in_json(self.solution, self.entry, message, pointer)


def _flows(solution: Solution) -> Iterator[_Flow]:
    """Each flow file of the solution that parses and holds a definition."""
    from retarus_connector.lint.solutions import flows

    for name in solution.tree.names:
        lowered = name.lower()
        if not (lowered.startswith("workflows/") and lowered.endswith(".json")):
            continue
        parsed = solution.json(name)
        data = parsed.data if parsed is not None else None
        found = flows.definition(data)
        if found is not None:
            yield _Flow(solution, name, data, found[0], found[1])


@rule("flow-definition", Severity.ERROR, needs=_NEEDS)
def definition(package: Package) -> Iterator[Problem]:
    """A flow file holds a workflow definition with triggers and actions.

    What: `Workflows/*.json` is an object with `properties.definition`, whose `triggers` and
    `actions` are objects (files that do not parse are reported by `solution-json`).
    Why: import stores the definition as the flow; without it there is no flow.
    Fix: export the flow again.
    """
    from retarus_connector.lint.solutions import flows

    solution = solution_of(package)
    if solution is None:
        return
    for name in solution.tree.names:
        lowered = name.lower()
        if not (lowered.startswith("workflows/") and lowered.endswith(".json")):
            continue
        parsed = solution.json(name)
        if parsed is None or not isinstance(parsed.data, dict):
            continue
        found = flows.definition(parsed.data)
        if found is None:
            yield in_json(solution, name, "The flow file has no properties.definition.", "")
            continue
        flow, pointer = found
        for key in ("triggers", "actions"):
            if key in flow and not isinstance(flow[key], dict):
                yield in_json(
                    solution, name, f"The definition's {key} is not an object.", f"{pointer}/{key}"
                )


@rule("flow-connection-name", Severity.ERROR, needs=_NEEDS)
def connection_name(package: Package) -> Iterator[Problem]:
    """Every connector action and trigger names a connection the flow declares.

    What: the connection an action's `host` names (`connectionName`, `connection`, or the
    `$connections` key in older flows) is a key of `properties.connectionReferences`.
    Why: the flow runtime finds the action's connection through that key; an unknown key makes
    the flow fail to save or to run.
    Fix: name one of the keys in `connectionReferences`, or add the reference.
    """
    from retarus_connector.lint.solutions import flows

    solution = solution_of(package)
    if solution is None:
        return
    for flow in _flows(solution):
        declared = flows.connection_references(flow.document) or {}
        for action in flows.actions(flow.definition, flow.pointer):
            found = flows.connection_key(action)
            if found is None:
                continue
            key, where = found
            if key not in declared:
                known = ", ".join(sorted(declared)) or "none"
                yield flow.problem(
                    f"The action {action.name!r} uses the connection {key!r}, which connectionReferences does not declare (declared: {known}).",
                    where,
                )


@rule("flow-connection-reference", Severity.ERROR, needs=_NEEDS)
def connection_reference(package: Package) -> Iterator[Problem]:
    """Every connection reference a flow uses is in the solution or a declared dependency.

    What: `connection.connectionReferenceLogicalName` of each entry in
    `properties.connectionReferences` matches a `<connectionreference
    connectionreferencelogicalname="...">` in customizations.xml, or a `<MissingDependency>`
    whose `<Required type="connectionreference">` names it in solution.xml.
    Why: import binds the flow to its connections through these references; one that is neither
    in the solution nor a known dependency fails the import ("Some dependencies are missing").
    Fix: add the connection reference to the solution (in the maker portal, Add existing,
    Connection reference) and export again.
    """
    from retarus_connector.lint.solutions import flows

    solution = solution_of(package)
    if solution is None:
        return
    known = {
        (element.attribute("connectionreferencelogicalname") or "").lower()
        for element in solution.connection_references()
    }
    for missing in solution.missing_dependencies():
        for required in missing.all("Required"):
            if (required.attribute("type") or "").lower() == "connectionreference":
                known.add((required.attribute("id.connectionreferencelogicalname") or "").lower())
    for flow in _flows(solution):
        for key, reference in (flows.connection_references(flow.document) or {}).items():
            connection = reference.get("connection") if isinstance(reference, dict) else None
            logical = (
                connection.get("connectionReferenceLogicalName")
                if isinstance(connection, dict)
                else None
            )
            if isinstance(logical, str) and logical.lower() not in known:
                pointer = f"/properties/connectionReferences/{escape(key)}/connection/connectionReferenceLogicalName"
                yield flow.problem(
                    f"The connection reference {logical!r} is neither in customizations.xml nor a missing dependency in solution.xml.",
                    pointer,
                )


def _connector_operations(solution: Solution) -> dict[str, dict[str, list[Input]]]:
    """Connector name (lower case) -> its operations, for the connectors in the solution."""
    from retarus_connector.lint.solutions.operations import operations

    found: dict[str, dict[str, list[Input]]] = {}
    for connector in solution.connectors():
        element = connector.element.child("openapidefinition")
        entry = solution.part_entry(element.text) if element is not None else None
        parsed = solution.json(entry) if entry is not None else None
        if parsed is not None and isinstance(parsed.data, dict) and connector.name:
            found[connector.name.lower()] = operations(parsed.data)
    return found


class _Call:
    """An OpenApiConnection action of a flow that calls a connector of the same solution."""

    __slots__ = ("action", "flow", "operation_id", "operations", "swagger")

    def __init__(
        self,
        flow: _Flow,
        action: flows.Action,
        operation_id: str,
        operations: dict[str, list[Input]],
        swagger: Any,
    ) -> None:
        self.flow = flow
        self.action = action
        self.operation_id = operation_id  # "" when the action names none
        self.operations = operations  # the connector's: operationId -> inputs
        self.swagger = swagger  # the connector's

    @property
    def parameters_pointer(self) -> str:
        """Where the action's `inputs.parameters` are (or would be)."""
        return f"{self.action.pointer}/inputs/parameters"

    def problem(self, message: str, pointer: str) -> Problem:
        """A finding at `pointer` in the calling flow's file."""
        return self.flow.problem(message, pointer)


def _calls(solution: Solution) -> Iterator[_Call]:
    from retarus_connector.lint.solutions import flows

    connectors = _connector_operations(solution)
    if not connectors:
        return
    swaggers: dict[str, Any] = {}
    for connector in solution.connectors():
        element = connector.element.child("openapidefinition")
        entry = solution.part_entry(element.text) if element is not None else None
        parsed = solution.json(entry) if entry is not None else None
        swaggers[connector.name.lower()] = parsed.data if parsed is not None else None
    for flow in _flows(solution):
        references = flows.connection_references(flow.document) or {}
        for action in flows.actions(flow.definition, flow.pointer):
            if not action.type.startswith("openapiconnection"):
                continue
            found = flows.connection_key(action)
            reference = references.get(found[0]) if found is not None else None
            api = reference.get("api") if isinstance(reference, dict) else None
            logical = api.get("logicalName") if isinstance(api, dict) else None
            if not isinstance(logical, str) or logical.lower() not in connectors:
                continue
            host = action.inputs.get("host")
            identifier = host.get("operationId") if isinstance(host, dict) else None
            yield _Call(
                flow,
                action,
                identifier if isinstance(identifier, str) else "",
                connectors[logical.lower()],
                swaggers.get(logical.lower()),
            )


@rule("flow-operation", Severity.ERROR, needs=_NEEDS)
def operation(package: Package) -> Iterator[Problem]:
    """An action on a connector of the same solution calls an operation the connector has.

    What: for an `OpenApiConnection` action whose connection reference names a connector of the
    solution (`api.logicalName` = the connector's `<name>`), `host.operationId` is an
    operationId of that connector's openapidefinition.
    Why: a renamed or removed operation breaks the flow at import or on its first run.
    Fix: call an existing operation, or keep the operationId stable in the connector.
    """
    solution = solution_of(package)
    if solution is None:
        return
    for call in _calls(solution):
        if call.operation_id not in call.operations:
            yield call.problem(
                f"The action {call.action.name!r} calls the operation {call.operation_id!r}, which the connector in this solution does not have.",
                f"{call.action.pointer}/inputs/host/operationId",
            )


@rule("flow-parameters", Severity.ERROR, needs=_NEEDS)
def parameters(package: Package) -> Iterator[Problem]:
    """An action on a connector of the same solution gives each required input and no unknown one.

    What: the keys of the action's `inputs.parameters` are the operation's parameter names, or
    `<body parameter>/<property>` paths into its body schema; every required parameter without
    a default (and every required property of a required body) is given.
    Why: the flow designer would show the missing input as an error, and the gateway rejects the
    call; an unknown input is silently dropped, so the value the flow means to send is lost.
    Fix: give the input under its exact name, or remove the unknown one.
    """
    solution = solution_of(package)
    if solution is None:
        return
    for call in _calls(solution):
        inputs = call.operations.get(call.operation_id)
        if inputs is None:
            continue
        given = call.action.inputs.get("parameters")
        given = given if isinstance(given, dict) else {}
        yield from _missing(call, inputs, given)
        yield from _unknown(call, inputs, given)


def _missing(call: _Call, inputs: list[Input], given: dict[str, Any]) -> Iterator[Problem]:
    from retarus_connector.lint.solutions.operations import properties_of

    name, where, swagger = call.action.name, call.parameters_pointer, call.swagger
    for item in inputs:
        if not item.required or item.has_default:
            continue
        if item.location != "body":
            if item.name not in given:
                yield call.problem(
                    f"The action {name!r} does not give the required input {item.name!r}.",
                    where,
                )
            continue
        below = [key for key in given if key.startswith(f"{item.name}/")]
        if item.name in given:
            continue
        if not below:
            yield call.problem(
                f"The action {name!r} does not give the required body {item.name!r}.",
                where,
            )
            continue
        shape = properties_of(swagger, item.schema) if isinstance(swagger, dict) else None
        if shape is None:
            continue
        properties, required = shape
        for field in required:
            schema = properties.get(field)
            has_default = isinstance(schema, dict) and "default" in schema
            prefix = f"{item.name}/{field}"
            if not has_default and not any(
                key == prefix or key.startswith(prefix + "/") for key in given
            ):
                yield call.problem(
                    f"The action {name!r} does not give the required body field {prefix!r}.",
                    where,
                )


def _unknown(call: _Call, inputs: list[Input], given: dict[str, Any]) -> Iterator[Problem]:
    from retarus_connector.lint.solutions.operations import properties_of

    name, where, swagger = call.action.name, call.parameters_pointer, call.swagger
    names = {item.name for item in inputs}
    bodies = {item.name: item for item in inputs if item.location == "body"}
    for key in given:
        if key in names:
            continue
        head, _, rest = key.partition("/")
        body = bodies.get(head)
        if body is None or not rest:
            yield call.problem(
                f"The action {name!r} gives {key!r}, which is no input of the operation.",
                f"{where}/{escape(key)}",
            )
            continue
        schema: Any = body.schema
        for field in rest.split("/"):
            shape = properties_of(swagger, schema) if isinstance(swagger, dict) else None
            if shape is None:
                break
            if field not in shape[0]:
                yield call.problem(
                    f"The action {name!r} gives {key!r}, but the body has no field {field!r} there.",
                    f"{where}/{escape(key)}",
                )
                break
            schema = shape[0][field]


@rule("flow-run-after", Severity.ERROR, needs=_NEEDS)
def run_after(package: Package) -> Iterator[Problem]:
    """`runAfter` names actions beside the action, with known statuses.

    What: every key of an action's `runAfter` is another action in the same `actions` object
    (the same scope, condition branch, loop or switch case), and its statuses are `Succeeded`,
    `Failed`, `Skipped` or `TimedOut`.
    Why: the flow cannot be saved or imported when it waits for an action that is not there or
    not in its scope.
    Fix: name the action as its key is spelt, or move the action into the same scope.
    """
    from retarus_connector.lint.solutions import flows

    solution = solution_of(package)
    if solution is None:
        return
    for flow in _flows(solution):
        every = flows.actions(flow.definition, flow.pointer)
        names = {action.name for action in every if not action.trigger}
        for action in every:
            after = action.body.get("runAfter")
            if action.trigger or not isinstance(after, dict):
                continue
            for other, statuses in after.items():
                where = f"{action.pointer}/runAfter/{escape(other)}"
                if other not in action.siblings or other == action.name:
                    place = (
                        "is in another scope"
                        if other in names and other != action.name
                        else "does not exist"
                    )
                    yield flow.problem(
                        f"The action {action.name!r} runs after {other!r}, which {place}.",
                        where,
                    )
                elif isinstance(statuses, list):
                    for status in statuses:
                        if (
                            not isinstance(status, str)
                            or status.lower() not in flows.RUN_AFTER_STATUSES
                        ):
                            yield flow.problem(
                                f"The action {action.name!r} waits for the status {status!r} of {other!r}; statuses are Succeeded, Failed, Skipped and TimedOut.",
                                where,
                            )


@rule("flow-expression-reference", Severity.ERROR, needs=_NEEDS)
def expression_reference(package: Package) -> Iterator[Problem]:
    """Expressions name actions that exist.

    What: the literal names passed to `body('X')`, `outputs('X')`, `actions('X')`,
    `result('X')`, `items('X')` and `iterationIndexes('X')` are actions (or triggers) of the same
    flow. Names are compared as the designer keys them: spaces as underscores.
    Why: the flow fails to save, or the expression fails at run time, when the action was renamed
    or removed.
    Fix: use the action's key as it appears in the definition.
    """
    from retarus_connector.lint.solutions import flows

    solution = solution_of(package)
    if solution is None:
        return
    for flow in _flows(solution):
        every = flows.actions(flow.definition, flow.pointer)
        names = {flows.same_name(action.name) for action in every}
        for action in every:
            own = {
                key: value
                for key, value in action.body.items()
                if key not in ("actions", "else", "cases", "default")
            }
            for text, where in flows.expressions(own, action.pointer):
                for function, name in flows.referenced_names(text):
                    if flows.same_name(name) not in names:
                        yield flow.problem(
                            f"The expression {function}('{name}') in {action.name!r} names no action of the flow.",
                            where,
                        )


RULES: tuple[Rule, ...] = (
    definition,
    connection_name,
    connection_reference,
    operation,
    parameters,
    run_after,
    expression_reference,
)
