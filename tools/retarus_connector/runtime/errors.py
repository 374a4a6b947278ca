"""What can go wrong before or while an operation is sent, as typed errors.

Every message names the file, pointer, parameter or policy at fault. None of them ever carries
a connection parameter's value: those are credentials more often than not.
"""

from __future__ import annotations

from dataclasses import dataclass


class CallError(Exception):
    """Base of every error the runtime raises."""


class PackageError(CallError):
    """The connector package cannot be loaded or does not say what the runtime needs."""

    def __init__(self, file: str, pointer: str, message: str) -> None:
        self.file = file
        self.pointer = pointer
        self.message = message
        where = f"{file}#{pointer}" if pointer else file
        super().__init__(f"{where}: {message}")


class UnknownOperationError(PackageError):
    """No operation in the swagger has the requested operationId."""

    def __init__(self, file: str, operation_id: str, suggestions: tuple[str, ...]) -> None:
        self.operation_id = operation_id
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(file, "/paths", f"no operation has operationId '{operation_id}'{hint}")


@dataclass(frozen=True)
class InputProblem:
    """One reason the given inputs do not fit the operation.

    `parameter` is the swagger parameter's name; `pointer` an RFC 6901 pointer inside its value
    ("" for the value as a whole, "/messages/0/text" inside a body).
    """

    parameter: str
    pointer: str
    message: str

    def __str__(self) -> str:
        where = f"{self.parameter}{self.pointer}" if self.pointer else self.parameter
        return f"parameter '{where}': {self.message}"


class InputError(CallError):
    """The inputs do not fit the operation; nothing was sent."""

    def __init__(self, problems: tuple[InputProblem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


class ConnectionParameterError(CallError):
    """A connection parameter is missing or not declared. Names the parameter, never a value."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"connection parameter '{parameter}': {message}")


class PolicyError(CallError):
    """A policy template that applies to the operation cannot be carried out."""

    def __init__(self, policy: str, pointer: str, message: str) -> None:
        self.policy = policy
        self.pointer = pointer
        super().__init__(f"policy {policy} (apiProperties.json#{pointer}): {message}")


class HeaderError(CallError):
    """A header that authentication or a policy set cannot be sent over HTTP. Names the header,
    never its value, which usually comes from a connection parameter."""

    def __init__(self, header: str, message: str) -> None:
        self.header = header
        super().__init__(f"header '{header}': {message}")


class TransportError(CallError):
    """The request could not be sent or no response came back (refused, timed out, ...)."""
