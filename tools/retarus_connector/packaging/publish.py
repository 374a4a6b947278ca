"""Create or update the connector in a Power Platform environment through paconn.

paconn reads everything from a settings file when one is given, so we stage a clean copy of the
package in a temporary folder (with the deploy variant of apiProperties, which paconn accepts)
and point a generated settings.json at it. No secret is ever part of the staged files: the
connector uses Basic auth, whose credentials are entered by makers when they create a connection.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retarus_connector.packaging.variants import deploy_properties

POWER_APPS_URL = "https://api.powerapps.com"
POWER_APPS_API_VERSION = "2016-11-01"
PACONN_INSTALL_HINT = (
    "paconn is not installed. Install it with `python -m pip install 'retarus-connector[publish]'` "
    "(or `python -m pip install paconn`), then sign in once with `paconn login`."
)


class PublishError(Exception):
    """The package cannot be published; the message names the file or setting at fault."""


class PaconnMissingError(PublishError):
    """paconn is not on PATH."""


@dataclass(frozen=True)
class PublishPlan:
    """What `publish` runs: the paconn command and the staged folder it reads."""

    command: tuple[str, ...]
    staging_dir: Path
    settings_file: Path
    action: str  # "create" or "update"


@dataclass(frozen=True)
class PublishResult:
    returncode: int
    connector_id: str | None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise PublishError(f"{path}: file not found; run `retarus-connector build` first") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PublishError(f"{path}: not valid JSON ({error})") from None


def stage(
    package_dir: Path,
    environment: str,
    connector_id: str | None = None,
    staging_dir: Path | None = None,
    paconn: str = "paconn",
) -> PublishPlan:
    """Copy the package into a staging folder with a paconn settings file, and plan the command."""
    if not environment.strip():
        raise PublishError("--environment: an environment name or id is required")
    swagger = package_dir / "apiDefinition.swagger.json"
    properties = _read_json(package_dir / "apiProperties.json")
    _read_json(swagger)  # fail early, naming the file, rather than inside paconn
    target = staging_dir or Path(tempfile.mkdtemp(prefix="retarus-connector-publish-"))
    target.mkdir(parents=True, exist_ok=True)

    shutil.copyfile(swagger, target / swagger.name)
    (target / "apiProperties.json").write_text(
        json.dumps(deploy_properties(properties), indent=4) + "\n", encoding="utf-8"
    )
    settings: dict[str, Any] = {}
    if connector_id:
        settings["connectorId"] = connector_id
    settings["environment"] = environment
    settings["apiProperties"] = str(target / "apiProperties.json")
    settings["apiDefinition"] = str(target / swagger.name)
    icon = package_dir / "icon.png"
    if icon.is_file():
        shutil.copyfile(icon, target / icon.name)
        settings["icon"] = str(target / icon.name)
    script = package_dir / "script.csx"
    if script.is_file():
        shutil.copyfile(script, target / script.name)
        settings["script"] = str(target / script.name)
    settings["powerAppsUrl"] = POWER_APPS_URL
    settings["powerAppsApiVersion"] = POWER_APPS_API_VERSION
    settings_file = target / "settings.json"
    settings_file.write_text(json.dumps(settings, indent=4) + "\n", encoding="utf-8")

    action = "update" if connector_id else "create"
    return PublishPlan(
        (paconn, action, "--settings", str(settings_file)), target, settings_file, action
    )


def find_paconn() -> str:
    """The paconn executable; raises PaconnMissingError with installation advice otherwise."""
    found = shutil.which("paconn")
    if found is None:
        raise PaconnMissingError(PACONN_INSTALL_HINT)
    return found


def run(plan: PublishPlan, runner: Any = subprocess.run) -> PublishResult:
    """Run paconn and read back the connector id it records in the staged settings file."""
    completed = runner(list(plan.command), check=False)
    connector_id: str | None = None
    try:
        connector_id = json.loads(plan.settings_file.read_text(encoding="utf-8")).get("connectorId")
    except (OSError, ValueError, AttributeError):
        connector_id = None
    return PublishResult(int(completed.returncode), connector_id)


def shell_command(command: Sequence[str]) -> str:
    """The command as one would type it in a POSIX shell."""
    import shlex

    return shlex.join(command)
