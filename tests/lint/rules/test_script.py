"""The script.csx rules (CSX-01): a breaking and a passing fragment each."""

from __future__ import annotations

from typing import Any

import pytest
from certification_samples import CLEAN_SCRIPT, clean_properties
from lint_packages import case_ids, make_package, run_rule

from retarus_connector.lint.model import FileKind, Rule
from retarus_connector.lint.rules import script

FAILING: list[tuple[Rule, str, str]] = [
    (script.script_class, CLEAN_SCRIPT.replace(": ScriptBase", ""), "class Script : ScriptBase"),
    (
        script.script_class,
        "// public class Script : ScriptBase\n"
        + CLEAN_SCRIPT.replace("class Script", "class Other"),
        "class Script",
    ),
    (
        script.script_execute_async,
        CLEAN_SCRIPT.replace("override async", "async"),
        "override 'ExecuteAsync'",
    ),
    (
        script.script_execute_async,
        CLEAN_SCRIPT.replace("ExecuteAsync()", "Run()") + '\nvar s = "override ExecuteAsync(";\n',
        "override 'ExecuteAsync'",
    ),
    (script.script_size, CLEAN_SCRIPT + "//" + "x" * (1024 * 1024), "below 1 MB"),
]

PASSING: list[tuple[Rule, str]] = [
    (script.script_class, CLEAN_SCRIPT.replace("public class", "class")),
    (
        script.script_execute_async,
        CLEAN_SCRIPT.replace(
            "public override async Task<HttpResponseMessage> ExecuteAsync()",
            "public override async Task<HttpResponseMessage>\n        ExecuteAsync()",
        ),
    ),
    (script.script_size, CLEAN_SCRIPT + "//" + "x" * 1000),
]


@pytest.mark.parametrize(("rule", "code", "fragment"), FAILING, ids=case_ids(FAILING))
def test_breaking_fragment_is_reported(
    rule: Rule, code: str, fragment: str, minimal_swagger: Any
) -> None:
    found = run_rule(rule, make_package(minimal_swagger, script=code))
    assert [(problem.file, problem.pointer) for problem in found] == [(FileKind.SCRIPT, "")]
    assert fragment in found[0].message


@pytest.mark.parametrize(("rule", "code"), PASSING, ids=case_ids(PASSING))
def test_passing_fragment_is_clean(rule: Rule, code: str, minimal_swagger: Any) -> None:
    assert run_rule(rule, make_package(minimal_swagger, script=code)) == []


def test_script_operations_need_a_script(minimal_swagger: Any) -> None:
    props = clean_properties()
    props["properties"]["scriptOperations"] = ["GetMessage"]
    (problem,) = run_rule(script.script_missing, make_package(minimal_swagger, props))
    assert (problem.file, problem.pointer) == (FileKind.PROPERTIES, "/properties/scriptOperations")
    with_script = make_package(minimal_swagger, props, script=CLEAN_SCRIPT)
    assert run_rule(script.script_missing, with_script) == []
    alone = make_package(minimal_swagger, props)
    alone.single_file = True
    assert run_rule(script.script_missing, alone) == []


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in script.RULES} == {
        "script-class": "warning",
        "script-execute-async": "warning",
        "script-size": "warning",
        "script-missing": "warning",
    }
