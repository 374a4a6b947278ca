"""The Python stand-in for script.csx: it and the C# come from the same HostChoice, it refuses
every value outside the table without sending, and it plays only the script it stands for."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import requests_mock

from retarus_connector.emitters.script import script_source
from retarus_connector.files.package import build
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import HostChoice
from retarus_connector.packaging.custom_code import host_choice_stand_in, stand_in_for_package
from retarus_connector.runtime import Connector, ScriptRequest

EU = "https://sms4a.eu.retarus.com/rest/v1"
JOB_ID = "J.20221116-102407.583-0lajfsfmoXIZJO93PQ"
ATTACKS = [
    "x@attacker.example:443/",
    "x@attacker.example",
    "de2.attacker.example",
    "attacker.example/",
    "DE1",  # only the exact values: the table is compared, not normalised
    " de1",
    "de1\t",
    "",
    "de1,de2",
]


def _choice() -> HostChoice:
    assert CONNECTOR.host_choice is not None
    return CONNECTOR.host_choice


def _csharp_table(source: str) -> dict[str, str]:
    block = source.split("BaseUrls =", 1)[1].split("};", 1)[0]
    return dict(re.findall(r'\{ "([^"]*)", "([^"]*)" \}', block))


def _request(value: str | None, operation_id: str = "GetJobStatus") -> ScriptRequest:
    headers = [("Authorization", "Basic dXNlcjpwdw==")]
    if value is not None:
        headers.append(("dataCenter", value))
    return ScriptRequest(operation_id, "GET", f"{EU}/jobs/{JOB_ID}?x=1", headers, None)


def _routes(choice: HostChoice) -> dict[str, str]:
    """Where the stand-in sends a read for each value of the table."""
    stand_in = host_choice_stand_in(choice)
    found = {}
    for value in choice.values:
        request = _request(value, choice.operation_ids[0])
        assert stand_in(request) is None
        found[value] = request.url
    return found


@pytest.mark.parametrize(
    "choice",
    [
        _choice(),
        # another table: both sides must follow the model, not a copy of today's values
        replace(
            _choice(),
            base_urls=(
                ("north", "https://n.example.test/api"),
                ("south", "http://127.0.0.1:8080/s/rest/v1"),
            ),
            default="south",
            base_path="/rest/v1",
        ),
    ],
    ids=["release", "other table"],
)
def test_the_stand_in_and_the_csharp_share_one_table(choice: HostChoice) -> None:
    table = _csharp_table(script_source(choice))
    assert table == dict(choice.base_urls)
    assert _routes(choice) == {value: f"{url}/jobs/{JOB_ID}?x=1" for value, url in table.items()}


def test_committed_script_and_stand_in_agree(repository_root: Path) -> None:
    committed = (repository_root / "script.csx").read_text(encoding="utf-8")
    assert _routes(_choice()) == {
        value: f"{url}/jobs/{JOB_ID}?x=1" for value, url in _csharp_table(committed).items()
    }


def test_no_header_takes_the_default() -> None:
    request = _request(None)
    assert host_choice_stand_in(_choice())(request) is None
    assert request.url == f"https://sms4a.de2.retarus.com/rest/v1/jobs/{JOB_ID}?x=1"


@pytest.mark.parametrize("value", ATTACKS)
def test_any_other_value_is_answered_400_and_the_url_kept(value: str) -> None:
    request = _request(value)
    answer = host_choice_stand_in(_choice())(request)
    assert answer is not None
    assert answer.status == 400
    assert json.loads(answer.body) == {"message": _choice().refusal, "code": 400}
    assert request.url == f"{EU}/jobs/{JOB_ID}?x=1"


def test_two_headers_are_refused() -> None:
    request = _request("de1")
    request.headers.append(("DataCenter", "de2"))
    answer = host_choice_stand_in(_choice())(request)
    assert answer is not None
    assert answer.status == 400


def test_other_operations_pass_untouched() -> None:
    request = _request("x@attacker.example/", "SendSmsJob")
    assert host_choice_stand_in(_choice())(request) is None
    assert request.url == f"{EU}/jobs/{JOB_ID}?x=1"


def test_an_unexpected_path_is_not_sent() -> None:
    request = _request("de1")
    request.url = "https://sms4a.eu.retarus.com/other/jobs"
    answer = host_choice_stand_in(_choice())(request)
    assert answer is not None
    assert answer.status == 500


def test_plays_only_the_generated_script(tmp_path: Path) -> None:
    build(tmp_path)
    assert stand_in_for_package(tmp_path) is not None
    script = tmp_path / "script.csx"
    script.write_text(script.read_text(encoding="utf-8") + "// edited\n", encoding="utf-8")
    assert stand_in_for_package(tmp_path) is None
    script.unlink()
    assert stand_in_for_package(tmp_path) is None
    assert stand_in_for_package(tmp_path, replace(CONNECTOR, host_choice=None)) is None


def _without_enum(folder: Path) -> None:
    """The package as a gateway that ignores enums at run time would treat it."""
    path = folder / "apiDefinition.swagger.json"
    swagger = json.loads(path.read_text(encoding="utf-8"))
    for item in swagger["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "dataCenter":
                    parameter.pop("enum")
                    parameter.pop("x-ms-enum-values", None)
    path.write_text(json.dumps(swagger), encoding="utf-8")


@pytest.mark.parametrize("value", ATTACKS[:3])
def test_even_without_the_enum_nothing_leaves_for_another_host(tmp_path: Path, value: str) -> None:
    build(tmp_path)
    _without_enum(tmp_path)
    stand_in = stand_in_for_package(tmp_path)
    assert stand_in is not None
    connector = Connector.load(tmp_path, custom_code=stand_in)
    with requests_mock.Mocker() as mock:  # any request at all would fail: nothing is registered
        result = connector.operation("GetJobStatus").call(
            {"jobId": JOB_ID, "dataCenter": value}, {"username": "user", "password": "pw"}
        )
        assert mock.request_history == []
    assert result.status == 400
    assert result.body == {"message": _choice().refusal, "code": 400}
    assert result.problems == ()  # the answer keeps the swagger's ErrorResponse
