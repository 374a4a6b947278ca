"""All certification rule families together: the clean samples pass every rule under every
profile, no rule crashes on the real corpus or on arbitrary JSON, and the rule ids are sound."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from certification_samples import CLEAN_README, CLEAN_SCRIPT, clean_icon, clean_properties
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lint_packages import make_package, run_rule

from retarus_connector.lint import engine
from retarus_connector.lint.model import Package, Profile, Rule
from retarus_connector.lint.rules import (
    copilot,
    extensions,
    icon,
    info,
    metadata,
    operations,
    parameters,
    policies,
    properties,
    readme,
    references,
    schemas,
    script,
)

FAMILIES = (
    info,
    metadata,
    operations,
    parameters,
    schemas,
    extensions,
    references,
    properties,
    policies,
    icon,
    readme,
    script,
    copilot,
)
RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)


def clean_package(swagger: dict[str, Any], profile: Profile) -> Package:
    props = clean_properties()
    readme_text = CLEAN_README
    package_icon: bytes | None = clean_icon()
    if profile is Profile.INDEPENDENT_PUBLISHER:
        props["properties"]["iconBrandColor"] = "#da3b01"
        package_icon = None
        readme_text = CLEAN_README.split("## Deployment Instructions")[0]
    return make_package(
        swagger,
        props,
        icon=package_icon,
        readme=readme_text,
        script=CLEAN_SCRIPT,
        profile=profile,
    )


@pytest.mark.parametrize("profile", list(Profile), ids=str)
@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_the_clean_package_passes(
    rule: Rule, profile: Profile, minimal_swagger: dict[str, Any]
) -> None:
    assert run_rule(rule, clean_package(minimal_swagger, profile)) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_the_minimal_swagger_alone_passes(rule: Rule, minimal_swagger: dict[str, Any]) -> None:
    package = make_package(minimal_swagger)
    package.single_file = True  # linted on its own: no companions expected
    assert run_rule(rule, package) == []


def test_rule_ids_are_unique_kebab_case_and_documented() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.id), rule.id
        for part in ("What:", "Why:", "Fix:"):
            assert part in rule.doc, rule.id
        assert rule.summary.endswith("."), rule.id


def test_every_family_is_registered() -> None:
    registered = {rule.id for rule in engine.registry()}
    missing = [rule.id for rule in RULES if rule.id not in registered]
    assert missing == []


@pytest.mark.shared
@pytest.mark.slow
def test_no_rule_crashes_on_the_corpus(corpus_dir: Path) -> None:
    sources = engine.discover(corpus_dir)
    assert len(sources) >= 70
    checked = 0
    for source in sources:
        for profile in (Profile.CERTIFIED, Profile.INDEPENDENT_PUBLISHER):
            package = engine.load_package(source, profile)
            for rule in RULES:
                if rule.applies_to(package):
                    for problem in rule.run(package):
                        assert problem.message, rule.id
                    checked += 1
    assert checked > 1000


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "$ref",
                    "type",
                    "properties",
                    "items",
                    "required",
                    "parameters",
                    "responses",
                    "schema",
                    "x-ms-visibility",
                    "x-ms-dynamic-values",
                    "operationId",
                    "summary",
                    "description",
                    "in",
                    "name",
                    "default",
                    "format",
                    "connectionParameters",
                    "policyTemplateInstances",
                    "templateId",
                    "oAuthSettings",
                ]
            )
            | st.text(max_size=6),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value inside a document (the root excluded)."""
    found: list[tuple[Any, ...]] = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_places(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_places(child, (*path, index)))
    return found


def _replace(document: Any, place: tuple[Any, ...], value: Any) -> Any:
    document = copy.deepcopy(document)
    target = document
    for token in place[:-1]:
        target = target[token]
    target[place[-1]] = value
    return document


def _run_all(package: Package) -> None:
    for rule in RULES:
        if rule.applies_to(package):
            for problem in rule.run(package):
                assert isinstance(problem.message, str)


_ICON = clean_icon()
# the minimal_swagger fixture is only read (deep-copied) by these tests, so sharing it between
# hypothesis examples is safe
_SHARED_FIXTURE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=300, deadline=None, suppress_health_check=_SHARED_FIXTURE)
@given(value=JSON, property_value=JSON, data=st.data())
def test_arbitrary_json_anywhere_never_crashes_a_rule(
    minimal_swagger: dict[str, Any], value: Any, property_value: Any, data: st.DataObject
) -> None:
    """Any value of the clean documents, in either file, replaced by arbitrary JSON."""
    props = clean_properties()
    place = data.draw(st.sampled_from(_places(minimal_swagger)), label="swagger place")
    property_place = data.draw(st.sampled_from(_places(props)), label="properties place")
    swagger = _replace(minimal_swagger, place, value)
    props = _replace(props, property_place, property_value)
    for profile in Profile:
        _run_all(
            make_package(
                swagger,
                props,
                readme=CLEAN_README,
                script=CLEAN_SCRIPT,
                icon=_ICON,
                profile=profile,
            )
        )


@settings(max_examples=100, deadline=None)
@given(document=JSON)
def test_arbitrary_json_as_the_whole_document_never_crashes_a_rule(document: Any) -> None:
    wrapped = document if isinstance(document, dict) else {"swagger": document}
    _run_all(make_package(wrapped, wrapped, readme="", script=""))


@settings(max_examples=100, deadline=None, suppress_health_check=_SHARED_FIXTURE)
@given(
    cut=st.integers(min_value=1, max_value=len(_ICON)),
    flip=st.integers(min_value=0, max_value=len(_ICON) - 1),
)
def test_damaged_icons_never_crash(minimal_swagger: dict[str, Any], cut: int, flip: int) -> None:
    data = bytearray(_ICON)
    data[flip] ^= 0x5A
    _run_all(make_package(minimal_swagger, clean_properties(), icon=bytes(data[:cut])))


def test_reference_cycles_do_not_loop(minimal_swagger: dict[str, Any]) -> None:
    minimal_swagger["definitions"]["A"] = {"$ref": "#/definitions/B"}
    minimal_swagger["definitions"]["B"] = {"$ref": "#/definitions/A"}
    minimal_swagger["parameters"] = {"P": {"$ref": "#/parameters/P"}}
    op = minimal_swagger["paths"]["/messages/{id}"]["get"]
    op["responses"]["200"]["schema"] = {"$ref": "#/definitions/A"}
    op["responses"]["201"] = {"$ref": "#/responses/R"}
    minimal_swagger["responses"] = {"R": {"$ref": "#/responses/R"}}
    op["parameters"].append({"$ref": "#/parameters/P"})
    _run_all(make_package(minimal_swagger, clean_properties()))


def test_custom_profile_is_never_stricter_and_relaxes_certification_demands() -> None:
    for rule in RULES:
        custom = rule.severity_for(Profile.CUSTOM)
        assert custom.rank <= rule.severity.rank, rule.id
    relaxed = {rule.id for rule in RULES if rule.severity_for(Profile.CUSTOM) != rule.severity}
    # what only certification asks for is milder; what breaks at run time is not
    assert {"info-title-length", "metadata-required", "parameter-summary-required"} <= relaxed
    assert not relaxed & {"reference-operation-id", "schema-format", "properties-shape"}
