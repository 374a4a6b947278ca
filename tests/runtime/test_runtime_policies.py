"""Policy templates and their expressions, as the gateway applies them."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
import requests_mock
from runtime_packages import BASE, PackageFactory, operation, policy, properties_document

from retarus_connector.runtime import Connector, PolicyError

ITEM_PATHS: dict[str, Any] = {
    "/items/{id}": {
        "get": operation(
            "GetItem",
            [
                {"name": "id", "in": "path", "required": True, "type": "string"},
                {"name": "region", "in": "query", "type": "string"},
                {"name": "X-Zone", "in": "header", "type": "string"},
            ],
        ),
        "delete": operation(
            "DeleteItem", [{"name": "id", "in": "path", "required": True, "type": "string"}]
        ),
    },
    "/version": {"get": operation("Version")},
}
CONNECTION = {"site": "string", "token": "securestring", "tenant": "string"}


def connector_with(make_connector: PackageFactory, *policies: dict[str, Any]) -> Connector:
    return make_connector(ITEM_PATHS, properties_document(CONNECTION, list(policies)))


@pytest.mark.parametrize(
    ("template", "connection", "expected"),
    [
        (
            "https://@connectionParameters('site')/api",
            {"site": "eu.example.test"},
            "https://eu.example.test/api",
        ),
        (
            "https://@connectionParameters('site','us.example.test')/api",
            {},
            "https://us.example.test/api",
        ),
        (
            "https://@connectionParameters('site','us.example.test')/api",
            {"site": "jp.example.test"},
            "https://jp.example.test/api",
        ),
        (
            "@ConnectionParameters('site')/",
            {"site": "https://x.example.test"},
            "https://x.example.test",
        ),
    ],
)
def test_dynamic_host_url_replaces_scheme_host_and_base_path(
    make_connector: PackageFactory, template: str, connection: dict[str, str], expected: str
) -> None:
    connector = connector_with(make_connector, policy("dynamichosturl", urlTemplate=template))
    prepared = connector.operation("Version").prepare({}, connection)
    assert prepared.url == f"{expected}/version"


def test_dynamic_host_url_from_a_query_parameter_with_default(
    make_connector: PackageFactory,
) -> None:
    template = "https://api-@queryParameters('region','eu').example.test/v1"
    connector = connector_with(
        make_connector, policy("dynamicHostUrl", ["GetItem"], urlTemplate=template)
    )
    get_item = connector.operation("GetItem")
    assert (
        get_item.prepare({"id": "1", "region": "us"}).url
        == "https://api-us.example.test/v1/items/1?region=us"
    )
    assert get_item.prepare({"id": "1"}).url == "https://api-eu.example.test/v1/items/1"


def test_dynamic_host_url_from_a_header_with_default(make_connector: PackageFactory) -> None:
    template = "https://@headers('X-Zone','main').example.test"
    connector = connector_with(
        make_connector, policy("dynamichosturl", ["GetItem"], urlTemplate=template)
    )
    get_item = connector.operation("GetItem")
    assert get_item.prepare({"id": "1", "X-Zone": "z2"}).url == "https://z2.example.test/items/1"
    assert get_item.prepare({"id": "1"}).url == "https://main.example.test/items/1"


def test_a_policy_applies_only_to_the_operations_it_names(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy("dynamichosturl", ["GetItem"], urlTemplate="https://other.example.test"),
    )
    assert (
        connector.operation("GetItem")
        .prepare({"id": "1"})
        .url.startswith("https://other.example.test/")
    )
    assert connector.operation("DeleteItem").prepare({"id": "1"}).url == f"{BASE}/items/1"
    assert connector.operation("Version").prepare({}).url == f"{BASE}/version"


def test_policies_run_in_file_order(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy("setheader", name="X-Client", value="first"),
        policy("setheader", name="X-Client", value="second"),
        policy("SetHeader", name="X-Seen", value="@headers('X-Client')"),
    )
    headers = dict(connector.operation("Version").prepare({}).headers)
    assert headers == {"X-Client": "second", "X-Seen": "second"}


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (None, "policy"),
        ("override", "policy"),
        ("skip", "caller"),
        ("append", "caller, policy"),
        ("delete", None),
    ],
)
def test_setheader_exists_actions(
    make_connector: PackageFactory, action: str | None, expected: str | None
) -> None:
    values = {"name": "x-zone", "value": "policy"}
    if action:
        values["existsAction"] = action
    connector = connector_with(make_connector, policy("setheader", ["GetItem"], **values))
    headers = {
        k.lower(): v
        for k, v in connector.operation("GetItem").prepare({"id": "1", "X-Zone": "caller"}).headers
    }
    assert headers.get("x-zone") == expected


@pytest.mark.parametrize(
    ("action", "query"),
    [
        ("override", "region=policy"),
        ("skip", "region=caller"),
        ("append", "region=caller&region=policy"),
        ("delete", ""),
    ],
)
def test_setqueryparameter_exists_actions(
    make_connector: PackageFactory, action: str, query: str
) -> None:
    connector = connector_with(
        make_connector,
        policy(
            "setQueryParameter", ["GetItem"], name="region", value="policy", existsAction=action
        ),
    )
    url = connector.operation("GetItem").prepare({"id": "1", "region": "caller"}).url
    assert url == f"{BASE}/items/1" + (f"?{query}" if query else "")


def test_setqueryparameter_adds_a_missing_parameter(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy("setqueryparameter", name="tenant", value="@connectionParameters('tenant','none')"),
    )
    assert (
        connector.operation("Version").prepare({}, {"tenant": "t1"}).url
        == f"{BASE}/version?tenant=t1"
    )
    assert connector.operation("Version").prepare({}).url == f"{BASE}/version?tenant=none"


def test_route_request_to_endpoint_keeps_path_parameters(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy(
            "routerequesttoendpoint",
            ["GetItem"],
            newPath="/tenants/@connectionParameters('tenant')/things/{id}",
            httpMethod="@Request.OriginalHTTPMethod",
        ),
    )
    prepared = connector.operation("GetItem").prepare({"id": "a/b"}, {"tenant": "t1"})
    assert prepared.method == "GET"
    assert prepared.url == f"{BASE}/tenants/t1/things/a%2Fb"


def test_route_request_to_endpoint_may_change_the_method(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy("routerequesttoendpoint", ["DeleteItem"], newPath="/trash/{id}", httpMethod="post"),
    )
    prepared = connector.operation("DeleteItem").prepare({"id": "9"})
    assert (prepared.method, prepared.url) == ("POST", f"{BASE}/trash/9")


def test_route_after_dynamic_host_combines_both(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy("dynamichosturl", urlTemplate="https://@connectionParameters('site')/base"),
        policy("routerequesttoendpoint", ["Version"], newPath="/about"),
    )
    prepared = connector.operation("Version").prepare({}, {"site": "s.example.test"})
    assert prepared.url == "https://s.example.test/base/about"


def test_unknown_templates_are_reported_not_ignored(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy("setproperty", ["GetItem"], newPropertyParentPathTemplate="@body()"),
        policy("updatenextlink", ["DeleteItem"], nextLinkPropertyName="next"),
    )
    notices = connector.operation("GetItem").prepare({"id": "1"}).notices
    assert [notice.source for notice in notices] == ["'setproperty test' (setproperty)"]
    assert "not supported" in str(notices[0])
    assert connector.operation("Version").prepare({}).notices == ()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("@connectionParameters('site')", "needs connection parameter 'site'"),
        ("@headers('X-Missing')", "needs request header 'X-Missing'"),
        ("@queryParameters('missing')", "needs query parameter 'missing'"),
        ("@connectionParameters(site)", "malformed expression"),
        ("@connectionParameters('site'", "malformed expression"),
        ("@connectionParameters('a','b','c')", "takes a name and an optional default"),
        ("@body().x", "cannot run locally"),
    ],
)
def test_expressions_that_cannot_be_evaluated_are_errors(
    make_connector: PackageFactory, value: str, fragment: str
) -> None:
    connector = connector_with(make_connector, policy("setheader", name="X-Value", value=value))
    with pytest.raises(PolicyError) as caught:
        connector.operation("Version").prepare({})
    assert fragment in str(caught.value)
    assert (
        "/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.value"
        in str(caught.value)
    )


def test_expressions_with_escaped_quotes_and_literal_at_signs(
    make_connector: PackageFactory,
) -> None:
    connector = connector_with(
        make_connector,
        policy(
            "setheader",
            name="X-Mail",
            value="ops@example.test (@connectionParameters('site','it''s'))",
        ),
    )
    assert dict(connector.operation("Version").prepare({}).headers) == {
        "X-Mail": "ops@example.test (it's)"
    }


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"urlTemplate": "not a url"}, "not an absolute http(s) URL"),
        ({}, "needs 'x-ms-apimTemplateParameter.urlTemplate'"),
    ],
)
def test_bad_dynamic_host_url(
    make_connector: PackageFactory, values: dict[str, str], fragment: str
) -> None:
    connector = connector_with(make_connector, policy("dynamichosturl", **values))
    with pytest.raises(PolicyError) as caught:
        connector.operation("Version").prepare({})
    assert fragment in str(caught.value)


def test_route_to_unknown_path_parameter_is_an_error(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector, policy("routerequesttoendpoint", newPath="/x/{nope}")
    )
    with pytest.raises(PolicyError, match="'\\{nope\\}' is not a path parameter"):
        connector.operation("Version").prepare({})


def test_bad_exists_action_and_method(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector, policy("setheader", name="a", value="b", existsAction="merge")
    )
    with pytest.raises(PolicyError, match="'merge' is not one of"):
        connector.operation("Version").prepare({})
    connector = connector_with(
        make_connector, policy("routerequesttoendpoint", newPath="/x", httpMethod="FETCH")
    )
    with pytest.raises(PolicyError, match="not an HTTP method"):
        connector.operation("Version").prepare({})


def test_a_header_set_from_a_secret_is_redacted(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy("setheader", name="X-Auth", value="Token @connectionParameters('token')"),
    )
    prepared = connector.operation("Version").prepare({}, {"token": "tk-42"})
    assert dict(prepared.headers) == {"X-Auth": "Token tk-42"}
    assert dict(prepared.redacted_headers()) == {"X-Auth": "Token ***"}


def test_a_policy_error_never_shows_a_secret(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector, policy("dynamichosturl", urlTemplate="@connectionParameters('token')")
    )
    with pytest.raises(PolicyError) as caught:
        connector.operation("Version").prepare({}, {"token": "tk-42"})
    assert "tk-42" not in str(caught.value)


def test_response_and_failure_sections_set_response_headers(
    make_connector: PackageFactory, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    connector = connector_with(
        make_connector,
        policy(
            "setheader",
            name="X-Always",
            value="r",
            **{"x-ms-apimTemplate-policySection": "Response"},
        ),
        policy(
            "setheader",
            name="X-Failed",
            value="f",
            **{"x-ms-apimTemplate-policySection": "Failure"},
        ),
    )
    mock.get(f"{BASE}/version", status_code=200)
    result = connector.operation("Version").call(session=session)
    assert not any(name == "X-Always" for name, _ in mock.request_history[0].headers.items())
    assert ("X-Always", "r") in result.headers
    assert not any(name == "X-Failed" for name, _ in result.headers)
    mock.get(f"{BASE}/version", status_code=500)
    failed = connector.operation("Version").call(session=session)
    assert {("X-Always", "r"), ("X-Failed", "f")} <= set(failed.headers)


def test_an_operation_name_given_as_one_string_limits_the_policy_to_it(
    make_connector: PackageFactory,
) -> None:
    only_get = policy(
        "setheader", name="X-A", value="1", **{"x-ms-apimTemplate-operationName": "GetItem"}
    )
    connector = connector_with(make_connector, only_get)
    assert dict(connector.operation("GetItem").prepare({"id": "1"}).headers) == {"X-A": "1"}
    assert dict(connector.operation("Version").prepare({}).headers) == {}


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"urlTemplate": "ftp://files.example.test/api"}, "not an absolute http(s) URL"),
        ({"urlTemplate": "https://h.example.test/api?x=1"}, "without query"),
        ({"urlTemplate": "https://h.example.test/api#top"}, "without query"),
    ],
)
def test_a_dynamic_host_url_must_be_http_without_query_or_fragment(
    make_connector: PackageFactory, values: dict[str, str], fragment: str
) -> None:
    connector = connector_with(make_connector, policy("dynamichosturl", **values))
    with pytest.raises(PolicyError, match=re.escape(fragment)):
        connector.operation("Version").prepare({})


def test_a_trailing_comma_in_an_expression_is_malformed(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector, policy("setheader", name="X-A", value="@connectionParameters('site',)")
    )
    with pytest.raises(PolicyError, match="malformed expression"):
        connector.operation("Version").prepare({}, {"site": "s"})


def test_a_route_gets_a_leading_slash_and_keeps_blank_query_values(
    make_connector: PackageFactory,
) -> None:
    connector = connector_with(
        make_connector,
        policy("routerequesttoendpoint", ["DeleteItem"], newPath="trash/{id}?hard=&n=1"),
    )
    assert connector.operation("DeleteItem").prepare({"id": "9"}).url == (
        f"{BASE}/trash/9?hard=&n=1"
    )


def test_exists_action_is_read_in_any_letter_case(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector,
        policy("setheader", ["GetItem"], name="X-Zone", value="policy", existsAction="Skip"),
    )
    prepared = connector.operation("GetItem").prepare({"id": "1", "X-Zone": "caller"})
    assert dict(prepared.headers) == {"X-Zone": "caller"}


def test_a_header_name_that_evaluates_to_nothing_is_an_error(
    make_connector: PackageFactory,
) -> None:
    connector = connector_with(
        make_connector,
        policy("setheader", name="@connectionParameters('tenant','')", value="v"),
    )
    with pytest.raises(PolicyError, match="the name is empty"):
        connector.operation("Version").prepare({})


def test_a_header_a_policy_builds_from_a_secret_is_masked_whole(
    make_connector: PackageFactory,
) -> None:
    connector = connector_with(
        make_connector,
        policy("setheader", name="X-Sig", value="sig=@connectionParameters('token');v=1"),
        policy("setheader", name="X-Site", value="@connectionParameters('site')"),
    )
    prepared = connector.operation("Version").prepare({}, {"token": "t-1", "site": "eu"})
    assert dict(prepared.headers)["X-Sig"] == "sig=t-1;v=1"
    assert dict(prepared.redacted_headers()) == {"X-Sig": "***", "X-Site": "eu"}


def test_a_policy_applies_to_every_operation_its_list_names(make_connector: PackageFactory) -> None:
    both = policy("setheader", ["GetItem", "Version"], name="X-A", value="1")
    connector = connector_with(make_connector, both)
    assert dict(connector.operation("GetItem").prepare({"id": "1"}).headers) == {"X-A": "1"}
    assert dict(connector.operation("Version").prepare({}).headers) == {"X-A": "1"}
    assert dict(connector.operation("DeleteItem").prepare({"id": "1"}).headers) == {}


def test_a_query_parameter_policy_outside_the_request_section_is_a_notice(
    make_connector: PackageFactory, mock: requests_mock.Mocker, session: requests.Session
) -> None:
    connector = connector_with(
        make_connector,
        policy(
            "setqueryparameter",
            name="trace",
            value="1",
            **{"x-ms-apimTemplate-policySection": "Response"},
        ),
    )
    mock.get(f"{BASE}/version", status_code=200)
    result = connector.operation("Version").call(session=session)
    assert mock.request_history[0].url == f"{BASE}/version"
    assert [str(notice) for notice in result.notices] == [
        "'setqueryparameter test' (setqueryparameter): "
        "a query parameter cannot be set in the response section"
    ]
    assert not any(name == "trace" for name, _ in result.headers)


def test_a_dynamic_host_url_without_a_host_is_an_error(make_connector: PackageFactory) -> None:
    template = "https://@connectionParameters('site')/api"
    connector = connector_with(make_connector, policy("dynamichosturl", urlTemplate=template))
    with pytest.raises(PolicyError, match="not an absolute http"):
        connector.operation("Version").prepare({}, {"site": ""})


def test_a_query_value_a_policy_sets_from_a_secret_is_masked_by_name(
    make_connector: PackageFactory,
) -> None:
    connector = connector_with(
        make_connector,
        policy("setqueryparameter", name="sig", value="s-@connectionParameters('token')"),
        policy("setqueryparameter", name="site", value="@connectionParameters('site')"),
    )
    prepared = connector.operation("Version").prepare({}, {"token": "t-1", "site": "eu"})
    assert prepared.url == f"{BASE}/version?sig=s-t-1&site=eu"
    assert prepared.redacted_url() == f"{BASE}/version?sig=***&site=eu"


def test_a_bad_host_url_built_from_a_secret_is_not_shown(make_connector: PackageFactory) -> None:
    connector = connector_with(
        make_connector, policy("dynamichosturl", urlTemplate="@connectionParameters('token')")
    )
    with pytest.raises(PolicyError) as caught:
        connector.operation("Version").prepare({}, {"token": "not-a-url"})
    assert "gives a URL built from a credential" in str(caught.value)
    assert "not-a-url" not in str(caught.value)
