"""Cloud flows as models: a manual trigger and the actions of the workflow definition language.

A flow names connector operations, parameters and output fields by the words the connector
models use, through typed references (`BodyRef`, `ItemRef`, ...), never by writing expressions
by hand; the flow emitter resolves every reference against the connector and refuses a flow
that names an operation, parameter or field the connector does not have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

# Every status a runAfter may wait for, as the designer spells them.
RUN_STATUSES = ("Succeeded", "Failed", "Skipped", "TimedOut")


@dataclass(frozen=True)
class TriggerInputRef:
    """A value the person who starts the flow typed in (`triggerBody()['key']`)."""

    key: str


@dataclass(frozen=True)
class BodyRef:
    """A field of the body a connector action returned; an empty path is the whole body."""

    action: str
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusCodeRef:
    """The HTTP status code a connector action ended with."""

    action: str


@dataclass(frozen=True)
class ItemRef:
    """A field of the current item while filtering an array that `operation_id` returned."""

    operation_id: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class VariableRef:
    name: str


@dataclass(frozen=True)
class DocumentedStatus:
    """A status code the operation documents (404, say); refused when it does not."""

    operation_id: str
    status: int


Ref: TypeAlias = TriggerInputRef | BodyRef | StatusCodeRef | ItemRef | VariableRef


@dataclass(frozen=True)
class Expr:
    """An expression: `template` with `{0}`, `{1}`, ... standing for the rendered refs."""

    template: str
    refs: tuple[Ref, ...] = ()


def ref(reference: Ref) -> Expr:
    """The plain value of one reference, such as `@triggerBody()['text']`."""
    return Expr("{0}", (reference,))


Value: TypeAlias = (
    str | int | bool | Expr | DocumentedStatus | list["Value"] | dict[str, "Value"] | None
)
RunAfter: TypeAlias = tuple[tuple[str, tuple[str, ...]], ...]


def after(action: str, *statuses: str) -> RunAfter:
    """Run after `action` ended with one of `statuses` (default: succeeded)."""
    wanted = statuses or ("Succeeded",)
    unknown = sorted(set(wanted) - set(RUN_STATUSES))
    if unknown:
        raise ValueError(f"runAfter {action!r}: unknown statuses {unknown}")
    return ((action, tuple(wanted)),)


@dataclass(frozen=True)
class TriggerInput:
    """A text input of the manual trigger; `key` is how the designer names it (text, text_1)."""

    key: str
    title: str
    description: str


@dataclass(frozen=True)
class ManualTrigger:
    inputs: tuple[TriggerInput, ...]
    name: str = "manual"


@dataclass(frozen=True)
class _ActionBase:
    """What every action has: its name, unique within the flow, and the actions it waits for
    (keyword-only, so that each action's own fields come first)."""

    name: str
    run_after: RunAfter = field(default=(), kw_only=True)


@dataclass(frozen=True)
class ConnectorAction(_ActionBase):
    """One call of a connector operation. Parameter keys are as the designer writes them:
    the parameter name, and for body fields `body/<field>/<field>`."""

    operation_id: str
    parameters: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class InitializeVariable(_ActionBase):
    variable: str
    type: str  # array, boolean, integer, string, object, float
    value: Value


@dataclass(frozen=True)
class SetVariable(_ActionBase):
    variable: str
    value: Value


@dataclass(frozen=True)
class Wait(_ActionBase):
    count: int
    unit: str  # Second, Minute, Hour


@dataclass(frozen=True)
class FilterArray(_ActionBase):
    """The Filter array action (type Query)."""

    source: Value
    where: Expr


@dataclass(frozen=True)
class Compose(_ActionBase):
    inputs: Value


@dataclass(frozen=True)
class Terminate(_ActionBase):
    status: str  # Succeeded, Failed, Cancelled
    code: str = ""
    message: Value = ""


@dataclass(frozen=True)
class Condition(_ActionBase):
    """An If action; `expression` is in the designer's JSON form ({"and": [{"equals": ...}]})."""

    expression: Value
    actions: tuple[Action, ...]
    else_actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Until(_ActionBase):
    """A Do-until loop: repeats `actions` until `expression` holds, at most `count` times and
    for at most `timeout` (ISO 8601 duration)."""

    expression: Expr
    actions: tuple[Action, ...]
    count: int
    timeout: str


Action: TypeAlias = (
    ConnectorAction
    | InitializeVariable
    | SetVariable
    | Wait
    | FilterArray
    | Compose
    | Terminate
    | Condition
    | Until
)


@dataclass(frozen=True)
class Flow:
    """A cloud flow. `key` names it for good: its workflow id is derived from it, so the
    display name may change without making a new flow."""

    key: str
    display_name: str
    description: str
    trigger: ManualTrigger
    actions: tuple[Action, ...]
    # The solution version that first shipped the flow (the Workflow's IntroducedVersion).
    introduced_version: str = "1.0.0.0"

    def __post_init__(self) -> None:
        names = [action.name for action in walk(self.actions)]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"flow {self.display_name!r}: action names used twice {duplicates}")


def walk(actions: tuple[Action, ...]) -> list[Action]:
    """Every action, those inside loops and conditions included, in definition order."""
    found: list[Action] = []
    for action in actions:
        found.append(action)
        if isinstance(action, Until):
            found += walk(action.actions)
        elif isinstance(action, Condition):
            found += walk(action.actions) + walk(action.else_actions)
    return found
