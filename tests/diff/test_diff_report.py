"""How a comparison is shown: the text lines, the json document, and the warning when only one
side has an apiProperties.json."""

from __future__ import annotations

import json

from retarus_connector.diff.compare import compare
from retarus_connector.diff.io import LoadedDocument, LoadedVersion
from retarus_connector.diff.model import Change, ChangeKind, Document, Severity, Side
from retarus_connector.diff.report import as_json, as_text, unpaired_properties

OPERATION = {"operationId": "GetA", "summary": "Get A", "responses": {"200": {"description": "A"}}}
OLD = {"swagger": "2.0", "host": "old.example.com", "paths": {"/a": {"get": OPERATION}}}
NEW = {"swagger": "2.0", "host": "new.example.com", "paths": {}}
PROPERTIES = {"properties": {"connectionParameters": {}}}


def version(label: str, swagger: object, properties: object = None) -> LoadedVersion:
    loaded = None
    if properties is not None:
        loaded = LoadedDocument(label.replace("swagger", "properties"), properties)
    return LoadedVersion(LoadedDocument(label, swagger), loaded)


def test_text_lists_breaking_changes_and_hints_at_the_others() -> None:
    old, new = version("old/swagger", OLD), version("new/swagger", NEW)
    text = as_text(old, new, list(compare(OLD, NEW)), show_all=False)
    lines = text.splitlines()
    assert lines[0].startswith("breaking: GetA: ")
    assert "(old/swagger#/paths/~1a/get)" in lines[0]
    assert "HostChanged" not in text
    assert lines[-1] == (
        "1 breaking change and 1 non-breaking change (--all lists them) from old/swagger to"
        " new/swagger."
    )


def test_text_with_all_names_no_operation_for_a_connector_change() -> None:
    old, new = version("old/swagger", OLD), version("new/swagger", NEW)
    text = as_text(old, new, list(compare(OLD, NEW)), show_all=True)
    host_line = next(line for line in text.splitlines() if "HostChanged" in line)
    assert host_line.startswith("non-breaking: HostChanged: ")


def test_no_change_says_so() -> None:
    old, new = version("a", OLD), version("b", OLD)
    assert as_text(old, new, [], show_all=False) == (
        "No breaking changes from a to b; 0 non-breaking changes.\n"
    )


def test_json_names_the_properties_only_when_both_sides_have_them() -> None:
    old = version("old/swagger", OLD, PROPERTIES)
    both = json.loads(as_json(old, version("new/swagger", NEW, PROPERTIES), []))
    assert (both["oldProperties"], both["newProperties"]) == ("old/properties", "new/properties")
    one = json.loads(as_json(old, version("new/swagger", NEW), []))
    assert (one["oldProperties"], one["newProperties"]) == (None, None)
    assert one["summary"] == {"breaking": 0, "nonBreaking": 0}


def test_properties_on_one_side_only_are_named_in_a_warning() -> None:
    old = version("old/swagger", OLD, PROPERTIES)
    new = version("new/swagger", NEW)
    assert unpaired_properties(old, new) == (
        "apiProperties.json not compared: old/properties has no counterpart next to new/swagger"
    )
    assert unpaired_properties(new, new) is None
    assert unpaired_properties(old, old) is None


def test_a_script_change_names_the_file_without_a_pointer() -> None:
    old = version("old/swagger", OLD, PROPERTIES)
    new = LoadedVersion(
        LoadedDocument("new/swagger", OLD),
        LoadedDocument("new/properties", PROPERTIES),
        LoadedDocument("new/script.csx", b"code"),
    )
    change = Change(
        ChangeKind.CUSTOM_CODE_ADDED,
        Severity.NON_BREAKING,
        None,
        "",
        "The custom code (script.csx) has been added.",
        Side.NEW,
        Document.SCRIPT,
    )
    first = as_text(old, new, [change], show_all=True).splitlines()[0]
    assert first == (
        "non-breaking: CustomCodeAdded: The custom code (script.csx) has been added."
        " (new/script.csx)"
    )
    (listed,) = json.loads(as_json(old, new, [change]))["changes"]
    assert (listed["document"], listed["pointer"], listed["side"]) == ("script", "", "new")
