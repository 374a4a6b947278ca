"""The Python API of a loaded package: checks done before anything is built or sent."""

from __future__ import annotations

from typing import Any

import pytest
from runtime_packages import PackageFactory, operation, properties_document

from retarus_connector.runtime import ConnectionParameterError


def test_a_connection_value_that_is_not_text_is_refused(make_connector: PackageFactory) -> None:
    connector = make_connector(
        {"/x": {"get": operation("X")}}, properties_document({"site": "string"})
    )
    connection: dict[str, Any] = {"site": 5}
    with pytest.raises(ConnectionParameterError, match="'site': takes a string value"):
        connector.operation("X").prepare({}, connection)


def test_authentication_that_cannot_run_locally_is_a_notice_on_the_prepared_call(
    make_connector: PackageFactory,
) -> None:
    security = {"oauth": {"type": "oauth2", "flow": "accessCode"}}
    connector = make_connector({"/x": {"get": operation("X")}}, security=security)
    notices = connector.operation("X").prepare({}, {}).notices
    assert [notice.source for notice in notices] == ["security definition 'oauth'"]
    assert "pass an access token" in str(notices[0])
