"""The source models hold together: references resolve, constraints are coherent, invariants bite."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest

from retarus_connector.models import CONNECTOR
from retarus_connector.models.operation import Location, Parameter, Response
from retarus_connector.models.operations import DATA_CENTER, DataCenter
from retarus_connector.models.package import DynamicHostPolicy
from retarus_connector.models.schema import (
    ArrayOf,
    Definition,
    ObjectOf,
    Property,
    Ref,
    Scalar,
    ValueType,
)

API = CONNECTOR.api


def _refs(value: ValueType) -> Iterator[str]:
    if isinstance(value, Ref):
        yield value.definition
    elif isinstance(value, ArrayOf):
        yield from _refs(value.items)
    elif isinstance(value, ObjectOf):
        for prop in value.properties:
            yield from _refs(prop.value)


def _scalars(value: ValueType, where: str) -> Iterator[tuple[str, Scalar]]:
    if isinstance(value, Scalar):
        yield where, value
    elif isinstance(value, ArrayOf):
        yield from _scalars(value.items, f"{where}[]")
    elif isinstance(value, ObjectOf):
        for prop in value.properties:
            yield from _scalars(prop.value, f"{where}.{prop.name}")


def _every_scalar() -> Iterator[tuple[str, Scalar]]:
    for definition in API.definitions:
        for prop in definition.properties:
            yield from _scalars(prop.value, f"{definition.name}.{prop.name}")
    for operation in API.operations:
        for parameter in operation.parameters:
            yield from _scalars(parameter.value, f"{operation.operation_id}.{parameter.name}")


def test_operation_ids_and_routes_are_unique() -> None:
    ids = [operation.operation_id for operation in API.operations]
    routes = [(operation.method, operation.path) for operation in API.operations]
    assert len(set(ids)) == len(ids) == 5
    assert len(set(routes)) == len(routes)


def test_every_reference_resolves_and_every_definition_is_used() -> None:
    names = {definition.name for definition in API.definitions}
    used: set[str] = set()
    for operation in API.operations:
        for parameter in operation.parameters:
            used.update(_refs(parameter.value))
        for response in operation.responses:
            if response.body is not None:
                used.update(_refs(response.body))
    for definition in API.definitions:
        for prop in definition.properties:
            used.update(_refs(prop.value))
    assert used <= names
    assert used == names


def test_property_names_are_unique_within_each_object() -> None:
    def check(properties: tuple[Property, ...], where: str) -> None:
        names = [prop.name for prop in properties]
        assert len(set(names)) == len(names), where
        for prop in properties:
            inner = prop.value.items if isinstance(prop.value, ArrayOf) else prop.value
            if isinstance(inner, ObjectOf):
                check(inner.properties, f"{where}.{prop.name}")

    for definition in API.definitions:
        check(definition.properties, definition.name)


def test_defaults_fit_their_own_constraints() -> None:
    checked = 0
    for where, scalar in _every_scalar():
        if scalar.default is None:
            continue
        checked += 1
        if scalar.enum:
            assert scalar.default in [item.value for item in scalar.enum], where
        if isinstance(scalar.default, int) and not isinstance(scalar.default, bool):
            assert scalar.minimum is None or scalar.default >= scalar.minimum, where
            assert scalar.maximum is None or scalar.default <= scalar.maximum, where
    assert checked >= 4  # dataCenter, jobIdsOnly, offset, limit


def test_enum_values_have_distinct_labels() -> None:
    for where, scalar in _every_scalar():
        labels = [item.display_name for item in scalar.enum]
        assert len(set(labels)) == len(labels), where
        assert all(labels), where


def test_data_centers_and_hosts() -> None:
    assert [center.value for center in DataCenter] == ["de1", "de2"]
    assert DATA_CENTER.location is Location.HEADER
    assert isinstance(DATA_CENTER.value, Scalar)
    assert DATA_CENTER.value.default == "de2"
    routed = [op.operation_id for op in API.operations if op.routed_by_data_center]
    choice = CONNECTOR.host_choice
    assert choice is not None
    assert routed == list(choice.operation_ids)
    # the custom code's table and the input's enum come from the same DataCenter enum
    assert isinstance(DATA_CENTER.value, Scalar)
    assert choice.values == tuple(item.value for item in DATA_CENTER.value.enum)
    assert choice.default == DATA_CENTER.value.default
    assert dict(choice.base_urls) == {
        "de1": "https://sms4a.de1.retarus.com/rest/v1",
        "de2": "https://sms4a.de2.retarus.com/rest/v1",
    }
    # no policy builds a host from a request value any more
    assert CONNECTOR.policies == ()
    for operation in API.operations:
        choices = [p for p in operation.parameters if p.name == DATA_CENTER.name]
        assert bool(choices) == operation.routed_by_data_center, operation.operation_id
        for choice in choices:
            assert choice.value == DATA_CENTER.value, operation.operation_id


def test_only_sending_uses_the_load_balanced_host() -> None:
    """Retarus names sms4a.eu "only to send SMS", and its SDKs read everything, /version
    included, from de1 and de2 (reference 1); only SendSmsJob may stay on the swagger host."""
    unrouted = [op.operation_id for op in API.operations if not op.routed_by_data_center]
    assert unrouted == ["SendSmsJob"]


def test_only_sending_needs_confirmation() -> None:
    assert [op.operation_id for op in API.operations if op.requires_confirmation] == ["SendSmsJob"]


def test_path_parameters_must_be_required() -> None:
    with pytest.raises(ValueError, match="must be required"):
        Parameter(
            "jobId",
            Location.PATH,
            "Job ID",
            "The job.",
            Scalar("string"),
            False,
            DATA_CENTER.visibility,
        )


def test_only_the_body_carries_a_schema() -> None:
    with pytest.raises(TypeError, match="only a body parameter"):
        Parameter(
            "q", Location.QUERY, "Q", "A query.", Ref("JobRequest"), True, DATA_CENTER.visibility
        )


def test_only_outputs_may_be_null() -> None:
    with pytest.raises(ValueError, match="only an output field"):
        Property(
            "src",
            "Sender ID",
            "The sender.",
            Scalar("string"),
            visibility=DATA_CENTER.visibility,
            nullable=True,
        )
    assert Property("src", "Sender ID", "The sender.", Scalar("string"), nullable=True).nullable


def test_default_response_never_has_a_schema() -> None:
    with pytest.raises(ValueError, match="default response"):
        Response(None, "Failed.", Ref("ErrorResponse"))
    assert Response(None, "Failed.").key == "default"
    assert Response(404, "Gone.").key == "404"


def test_connector_rejects_bad_colors_and_unknown_policy_operations() -> None:
    with pytest.raises(ValueError, match="color"):
        dataclasses.replace(CONNECTOR, icon_brand_color="#FFF")
    policy = DynamicHostPolicy("Route", "https://x.example", ("GetJobStatus", "Nope"))
    with pytest.raises(ValueError, match="Nope"):
        dataclasses.replace(CONNECTOR, policies=(policy,))
    assert CONNECTOR.host_choice is not None
    choice = dataclasses.replace(CONNECTOR.host_choice, operation_ids=("GetJobStatus", "Gone"))
    with pytest.raises(ValueError, match="Gone"):
        dataclasses.replace(CONNECTOR, host_choice=choice)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"default": "de3"}, "default 'de3' not listed"),
        ({"base_urls": ()}, "values must be given once each"),
        ({"base_urls": (("de1", "https://a.example"), ("de1", "https://b.example"))}, "once each"),
        # a value is compared, never put into a URL, but the sources quote it
        ({"base_urls": (("de2", "https://a.example"), ('x"y', "https://b.example"))}, "plain name"),
        ({"base_urls": (("de2", "https://a.example/?q=1"),)}, "without query"),
        ({"base_urls": (("de2", "ftp://a.example"),)}, "http"),
        ({"base_path": "rest"}, "base path"),
    ],
)
def test_host_choice_refuses_tables_it_cannot_keep(change: dict[str, Any], message: str) -> None:
    assert CONNECTOR.host_choice is not None
    with pytest.raises(ValueError, match=re.escape(message)):
        dataclasses.replace(CONNECTOR.host_choice, **change)


def test_lookups_name_what_is_missing() -> None:
    with pytest.raises(KeyError, match="NoSuchOperation"):
        API.operation("NoSuchOperation")
    with pytest.raises(KeyError, match="JobReport has no property 'nope'"):
        API.definition("JobReport").property("nope")
    assert API.operation("SendSmsJob").success.status == 201
    assert isinstance(API.definition("JobRequest"), Definition)


def test_brand_rgb_matches_the_hex_color() -> None:
    red, green, blue = CONNECTOR.brand_rgb
    assert f"#{red:02x}{green:02x}{blue:02x}" == CONNECTOR.icon_brand_color


def test_models_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        API.operations[0].summary = "changed"  # type: ignore[misc]
