"""Operations of the API: their parameters and responses."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .schema import Scalar, ValueType, Visibility


class Location(enum.StrEnum):
    """Where a parameter travels (the swagger's `in`)."""

    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    BODY = "body"


class Method(enum.StrEnum):
    GET = "get"
    POST = "post"


@dataclass(frozen=True)
class Parameter:
    name: str
    location: Location
    summary: str
    description: str
    value: ValueType  # a Scalar for path, query and header; a Ref for the body
    required: bool
    visibility: Visibility

    def __post_init__(self) -> None:
        if self.location is not Location.BODY and not isinstance(self.value, Scalar):
            raise TypeError(f"parameter {self.name!r}: only a body parameter may carry a schema")
        if self.location is Location.PATH and not self.required:
            raise ValueError(f"path parameter {self.name!r} must be required")


@dataclass(frozen=True)
class Response:
    """One documented response; `status` None is the swagger's `default` response, which
    never has a body schema (certification rejects one)."""

    status: int | None
    description: str
    body: ValueType | None = None

    def __post_init__(self) -> None:
        if self.status is None and self.body is not None:
            raise ValueError("the default response must not have a schema")

    @property
    def key(self) -> str:
        return "default" if self.status is None else str(self.status)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: Method
    path: str
    summary: str  # sentence case, at most 80 characters, no trailing punctuation
    description: str  # says when to use the action and what it returns
    parameters: tuple[Parameter, ...]
    responses: tuple[Response, ...]
    # Sending costs money and reaches people, so an agent asks the user first.
    requires_confirmation: bool = False
    # Read operations whose host follows the data center the job lives in.
    routed_by_data_center: bool = False

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(f"{self.operation_id} has no parameter {name!r}")

    def response(self, status: int | None) -> Response:
        for response in self.responses:
            if response.status == status:
                return response
        raise KeyError(f"{self.operation_id} has no response {status!r}")

    @property
    def success(self) -> Response:
        """The 2xx response the API really returns."""
        return next(r for r in self.responses if r.status is not None and 200 <= r.status < 300)
