"""The diff over the 75 real connector swaggers in ../shared/corpus: it never crashes, finds
nothing between a swagger and itself, and finds exactly the edit made to a copy (an operation,
an operationId, types, the host, the authentication, response headers)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from diff_pointers import resolves

from retarus_connector.cli import main
from retarus_connector.diff.compare import compare
from retarus_connector.diff.io import DiffInputError, LoadedDocument, load_file
from retarus_connector.diff.model import Change, ChangeKind, Severity, Side
from retarus_connector.diff.swagger import operations


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> list[LoadedDocument]:
    loaded: list[LoadedDocument] = []
    failures: list[tuple[str, str]] = []
    for path in sorted(corpus_dir.rglob("apiDefinition.swagger.json")):
        try:
            loaded.append(load_file(path))
        except DiffInputError as error:
            failures.append((str(path), str(error)))
    assert len(loaded) + len(failures) == 75
    # a swagger that cannot be read is an input error naming it, never a crash
    assert all(message.startswith(path) for path, message in failures)
    assert len(failures) <= 5, failures
    return loaded


def _check_pointers(changes: list[Change], old: Any, new: Any) -> None:
    for change in changes:
        document = old if change.side is Side.OLD else new
        assert change.pointer.startswith("/")
        assert resolves(document, change.pointer), change


def _without_operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    paths = dict(document["paths"])
    paths[path] = {key: value for key, value in paths[path].items() if key != method}
    return {**document, "paths": paths}


def _strings_become_integers(node: Any) -> Any:
    if isinstance(node, dict):
        changed = {key: _strings_become_integers(value) for key, value in node.items()}
        if changed.get("type") == "string":
            changed["type"] = "integer"
        return changed
    if isinstance(node, list):
        return [_strings_become_integers(value) for value in node]
    return node


def test_each_swagger_against_itself_has_no_changes(corpus: list[LoadedDocument]) -> None:
    for swagger in corpus:
        assert list(compare(swagger.data, swagger.data)) == [], swagger.label


def test_removing_one_operation_is_exactly_one_breaking_change(
    corpus: list[LoadedDocument],
) -> None:
    checked = 0
    for swagger in corpus:
        for operation in list(operations(swagger.data))[:3]:
            new = _without_operation(swagger.data, operation.path, operation.method)
            changes = list(compare(swagger.data, new))
            assert [(c.kind, c.severity, c.operation_id) for c in changes] == [
                (ChangeKind.OPERATION_DELETED, Severity.BREAKING, operation.label)
            ], swagger.label
            _check_pointers(changes, swagger.data, new)
            checked += 1
    assert checked > 150


def test_renaming_an_operation_id_is_reported_as_such(corpus: list[LoadedDocument]) -> None:
    for swagger in corpus:
        operation = next(iter(operations(swagger.data)), None)
        if operation is None or operation.operation_id is None:
            continue
        renamed = {**operation.node, "operationId": operation.operation_id + "Renamed"}
        path_item = {**swagger.data["paths"][operation.path], operation.method: renamed}
        new = {**swagger.data, "paths": {**swagger.data["paths"], operation.path: path_item}}
        kinds = [c.kind for c in compare(swagger.data, new)]
        assert kinds == [ChangeKind.OPERATION_ID_CHANGED], swagger.label


def test_retyping_every_string_never_crashes_and_breaks(corpus: list[LoadedDocument]) -> None:
    for swagger in corpus:
        new = _strings_become_integers(swagger.data)
        changes = list(compare(swagger.data, new))
        _check_pointers(changes, swagger.data, new)
        has_string_parameter = any(
            parameter.node.get("type") == "string"
            for operation in operations(swagger.data)
            for parameter in operation.parameters(swagger.data)
        )
        if has_string_parameter:
            assert any(c.kind is ChangeKind.INPUT_TYPE_CHANGED for c in changes), swagger.label
        assert all(c.kind is not ChangeKind.OPERATION_DELETED for c in changes)


def test_every_pair_of_neighbours_compares_without_crashing(corpus: list[LoadedDocument]) -> None:
    for old, new in zip(corpus, corpus[1:] + corpus[:1], strict=True):
        changes = list(compare(old.data, new.data))
        _check_pointers(changes, old.data, new.data)
        kinds = [c.kind for c in changes]
        # operations are matched one to one: what is neither deleted nor added was matched
        matched_old = len(list(operations(old.data))) - kinds.count(ChangeKind.OPERATION_DELETED)
        matched_new = len(list(operations(new.data))) - kinds.count(ChangeKind.OPERATION_ADDED)
        assert matched_old == matched_new >= 0, (old.label, new.label)


def _without_headers(responses: Any) -> Any:
    if not isinstance(responses, dict):
        return responses
    return {
        code: {k: v for k, v in response.items() if k != "headers"}
        if isinstance(response, dict)
        else response
        for code, response in responses.items()
    }


def _without_response_headers(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every response's headers dropped, #/responses included."""
    paths = {
        path: {
            method: {**node, "responses": _without_headers(node.get("responses"))}
            if isinstance(node, dict) and method != "parameters"
            else node
            for method, node in item.items()
        }
        if isinstance(item, dict)
        else item
        for path, item in document.get("paths", {}).items()
    }
    new = {**document, "paths": paths}
    if "responses" in document:
        new["responses"] = _without_headers(document["responses"])
    return new


def test_moving_the_host_is_one_connector_change(corpus: list[LoadedDocument]) -> None:
    for swagger in corpus:
        new = {**swagger.data, "host": "moved.example", "basePath": "/moved"}
        changes = list(compare(swagger.data, new))
        _check_pointers(changes, swagger.data, new)
        assert {(c.kind, c.severity, c.operation_id) for c in changes} <= {
            (ChangeKind.HOST_CHANGED, Severity.NON_BREAKING, None),
            (ChangeKind.BASE_PATH_CHANGED, Severity.NON_BREAKING, None),
        }, swagger.label
        assert len(changes) == 2 - (swagger.data.get("basePath") == "/moved"), swagger.label


def test_changing_the_authentication_type_is_one_breaking_change(
    corpus: list[LoadedDocument],
) -> None:
    checked = 0
    for swagger in corpus:
        definitions = swagger.data.get("securityDefinitions")
        if not isinstance(definitions, dict) or len(definitions) != 1:
            continue
        ((name, definition),) = definitions.items()
        other = "basic" if definition.get("type") != "basic" else "apiKey"
        new = {**swagger.data, "securityDefinitions": {name: {"type": other}}}
        changes = list(compare(swagger.data, new))
        _check_pointers(changes, swagger.data, new)
        assert [(c.kind, c.severity) for c in changes] == [
            (ChangeKind.SECURITY_TYPE_CHANGED, Severity.BREAKING)
        ], swagger.label
        checked += 1
    assert checked > 40


def test_dropping_response_headers_reports_only_their_removal(
    corpus: list[LoadedDocument],
) -> None:
    removed = 0
    for swagger in corpus:
        new = _without_response_headers(swagger.data)
        changes = list(compare(swagger.data, new))
        _check_pointers(changes, swagger.data, new)
        assert {(c.kind, c.severity) for c in changes} <= {
            (ChangeKind.RESPONSE_HEADER_REMOVED, Severity.BREAKING)
        }, swagger.label
        removed += len(changes)
    # URLBae, iManage Work and others declare headers on their success responses
    assert removed > 20


def test_cli_on_a_corpus_swagger_with_an_operation_removed(
    corpus: list[LoadedDocument], tmp_path: Path
) -> None:
    swagger = corpus[0]
    operation = next(iter(operations(swagger.data)))
    new = tmp_path / "new.json"
    new.write_text(
        json.dumps(_without_operation(swagger.data, operation.path, operation.method)),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["diff", swagger.label, str(new)])
    assert result.exit_code == 1, result.output
    assert f"breaking: {operation.label}: OperationDeleted" in result.stdout


def test_switching_to_a_second_definition_is_one_breaking_change(
    corpus: list[LoadedDocument],
) -> None:
    """Every connector with one definition, given a second one in both versions: pointing the
    top-level security at it is the only change."""
    checked = 0
    for swagger in corpus:
        definitions = swagger.data.get("securityDefinitions")
        if not isinstance(definitions, dict) or len(definitions) != 1:
            continue
        (name,) = definitions
        other = "second" if name != "second" else "third"
        extra = {"type": "basic"} if definitions[name].get("type") != "basic" else {"type": "x"}
        with_both = {**swagger.data, "securityDefinitions": {**definitions, other: extra}}
        old = {**with_both, "security": [{name: []}]}
        new = {**with_both, "security": [{other: []}]}
        changes = list(compare(old, new))
        _check_pointers(changes, old, new)
        assert [(c.kind, c.severity, c.pointer) for c in changes] == [
            (ChangeKind.SECURITY_DEFINITION_IN_USE_CHANGED, Severity.BREAKING, "/security")
        ], swagger.label
        checked += 1
    assert checked > 40


def test_cli_on_edited_copies_of_a_corpus_package(corpus_dir: Path, tmp_path: Path) -> None:
    """URLBae: both copies get a basic definition next to the API key, the new one uses it,
    and the new one's rate-limit reset header gets an enum, a pattern and a format: the switch
    and the format break; the enum and the pattern are not reported, as for output fields."""
    source = corpus_dir / "independent-publisher-connectors" / "URLBae"
    document = json.loads((source / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    document["securityDefinitions"]["basic"] = {"type": "basic"}
    old_folder, new_folder = tmp_path / "old", tmp_path / "new"
    for folder in (old_folder, new_folder):
        shutil.copytree(source, folder)
        (folder / "apiDefinition.swagger.json").write_text(json.dumps(document), encoding="utf-8")
    document["security"] = [{"basic": []}]
    reset = document["paths"]["/account"]["get"]["responses"]["200"]["headers"]["X-RateLimit-Reset"]
    reset.update(enum=["60", "3600"], pattern="^[0-9]+$", format="date-time")
    (new_folder / "apiDefinition.swagger.json").write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old_folder), str(new_folder), "--all"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert [line.split(": ")[:2] for line in lines[:-1]] == [
        ["breaking", "SecurityDefinitionInUseChanged"],
        ["breaking", "AccountGet"],
    ], result.stdout
    assert "ResponseHeaderTypeFormatChanged" in lines[1]
    assert lines[1].endswith(
        f"({new_folder / 'apiDefinition.swagger.json'}"
        "#/paths/~1account/get/responses/200/headers/X-RateLimit-Reset/format)"
    )


def _max_lengths_lowered(node: Any) -> Any:
    if isinstance(node, dict):
        changed = {key: _max_lengths_lowered(value) for key, value in node.items()}
        length = changed.get("maxLength")
        if isinstance(length, int) and not isinstance(length, bool) and length > 1:
            changed["maxLength"] = length - 1
        return changed
    if isinstance(node, list):
        return [_max_lengths_lowered(value) for value in node]
    return node


def test_lowering_every_max_length_tightens_inputs_only(corpus: list[LoadedDocument]) -> None:
    """Outputs' constraints are not compared, so the only changes are inputs' maxLength."""
    tightened = 0
    for swagger in corpus:
        new = _max_lengths_lowered(swagger.data)
        changes = list(compare(swagger.data, new))
        assert {(c.kind, c.severity) for c in changes} <= {
            (ChangeKind.INPUT_CONSTRAINT_TIGHTENED, Severity.BREAKING),
            (ChangeKind.INPUT_CONSTRAINT_TIGHTENED, Severity.NON_BREAKING),
        }, swagger.label
        assert all(c.pointer.endswith("/maxLength") for c in changes), swagger.label
        _check_pointers(changes, swagger.data, new)
        tightened += len(changes)
        # raising them back loosens exactly the same inputs
        loosened = list(compare(new, swagger.data))
        assert len(loosened) == len(changes), swagger.label
        assert {c.kind for c in loosened} <= {ChangeKind.INPUT_CONSTRAINT_LOOSENED}
    assert tightened >= 10
