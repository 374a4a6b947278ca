"""The connector's custom code as the local runtime plays it: a Python stand-in for script.csx.

Both the C# (`emitters/script.py`) and this stand-in are built from the same HostChoice model,
so they accept the same header values and send each one to the same base URL. The runtime
knows nothing of Retarus; it runs whatever stand-in it is given for a package's script.
`stand_in_for_package` gives this one only to a package whose script.csx is byte for byte the
one the models generate (for the release, or for the development variant its swagger's host
names), so a stand-in never plays a script it does not stand for.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from retarus_connector.emitters.script import script_source
from retarus_connector.files.serialize import text_bytes
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import (
    API_DEFINITION_FILE,
    SCRIPT_FILE,
    Connector,
    HostChoice,
)
from retarus_connector.runtime import CustomCode, ScriptAnswer, ScriptRequest

from .development import DevTarget, development_connector

_BAD_REQUEST = 400
_SERVER_ERROR = 500


def host_choice_stand_in(choice: HostChoice) -> CustomCode:
    """What the generated script does, step for step: for a listed operation, the header's one
    value (the default when it is absent) must be a key of the table, exactly; the URL's
    scheme, host and basePath are then replaced by that key's base URL. Any other value is
    answered with 400 and the message of the model, and nothing is sent."""
    base_urls = dict(choice.base_urls)
    base_path = choice.base_path.rstrip("/")

    def run(request: ScriptRequest) -> ScriptAnswer | None:
        if request.operation_id not in choice.operation_ids:
            return None
        values = request.header_values(choice.header)
        value = choice.default if not values else values[0] if len(values) == 1 else ""
        base_url = base_urls.get(value)
        if base_url is None:
            return _answer(_BAD_REQUEST, choice.refusal)
        parts = urlsplit(request.url)
        if not parts.path.startswith(base_path):
            return _answer(_SERVER_ERROR, "Unexpected request path.")
        query = f"?{parts.query}" if parts.query else ""
        request.url = base_url.rstrip("/") + parts.path[len(base_path) :] + query
        return None

    return run


def _answer(status: int, message: str) -> ScriptAnswer:
    body = json.dumps({"message": message, "code": status}).encode("utf-8")
    return ScriptAnswer(status, body, reason="Bad Request" if status == _BAD_REQUEST else "")


def stand_in_for_package(package_dir: Path, connector: Connector = CONNECTOR) -> CustomCode | None:
    """The stand-in for the script.csx in `package_dir`, when that script is the one generated
    from `connector`'s models, or from its development variant for the host, base path and
    scheme of the folder's swagger; None for any other script, or none."""
    try:
        found = (package_dir / SCRIPT_FILE).read_bytes()
    except OSError:
        return None
    for candidate in (connector, _development_variant(package_dir, connector)):
        choice = None if candidate is None else candidate.host_choice
        if choice is not None and found == text_bytes(script_source(choice)):
            return host_choice_stand_in(choice)
    return None


def _development_variant(package_dir: Path, connector: Connector) -> Connector | None:
    """The development variant for the target the folder's swagger points at, if it names one
    a development build could have."""
    try:
        swagger = json.loads((package_dir / API_DEFINITION_FILE).read_text(encoding="utf-8"))
        schemes = swagger.get("schemes") or ["https"]
        target = DevTarget(str(swagger["host"]), str(swagger["basePath"]), str(schemes[0]))
        return development_connector(connector, target)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
