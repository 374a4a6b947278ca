"""The value types, properties and definitions the API models are made of.

A value type says what a parameter or a property holds (a constrained scalar, an array, an
inline object or a reference to a named definition); a property adds the words a maker and a
Copilot Studio agent read (x-ms-summary, description) and whether it is required.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

ScalarType = Literal["string", "integer", "boolean"]
ScalarValue = str | int | bool


class Visibility(enum.StrEnum):
    """Where the Power Platform designer shows an input (x-ms-visibility)."""

    IMPORTANT = "important"
    ADVANCED = "advanced"
    INTERNAL = "internal"


@dataclass(frozen=True)
class EnumValue:
    """One allowed value of an enum, with the label makers see in the picker."""

    value: ScalarValue
    display_name: str


@dataclass(frozen=True)
class Scalar:
    """A string, integer or boolean with its constraints."""

    type: ScalarType
    format: str | None = None
    enum: tuple[EnumValue, ...] = ()
    default: ScalarValue | None = None
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class ArrayOf:
    items: ValueType
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True)
class ObjectOf:
    """An object described in place (nested request parts such as a message or a recipient)."""

    properties: tuple[Property, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(prop.name for prop in self.properties if prop.required)


@dataclass(frozen=True)
class Ref:
    """A reference to a named definition."""

    definition: str


ValueType = Scalar | ArrayOf | ObjectOf | Ref


@dataclass(frozen=True)
class Property:
    """A named field of an object: its value type and the words that explain it."""

    name: str
    summary: str  # x-ms-summary: a short Title Case label
    description: str  # a full sentence that tells what the field means and how to use it
    value: ValueType
    required: bool = False
    visibility: Visibility | None = None  # set on inputs only
    nullable: bool = False  # x-nullable: the API may report the field as null (outputs only)

    def __post_init__(self) -> None:
        if self.nullable and self.visibility is not None:
            raise ValueError(f"property {self.name!r}: only an output field may be null")


@dataclass(frozen=True)
class Definition:
    """A named object schema (the swagger's `definitions`)."""

    name: str
    description: str
    properties: tuple[Property, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(prop.name for prop in self.properties if prop.required)

    def property(self, name: str) -> Property:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(f"{self.name} has no property {name!r}")


def date_time() -> Scalar:
    """An ISO 8601 date and time with offset, as the API exchanges timestamps."""
    return Scalar("string", format="date-time")
