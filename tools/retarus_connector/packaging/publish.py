"""Create or update the connector in a Power Platform environment through paconn.

paconn reads everything from a settings file when one is given, so we stage a clean copy of the
package in a temporary folder (with the deploy variant of apiProperties, which paconn accepts)
and point a generated settings.json at it. No secret is ever part of the staged files: the
connector uses Basic auth, whose credentials are entered by makers when they create a connection.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retarus_connector.emitters.settings import POWER_APPS_API_VERSION, POWER_APPS_URL
from retarus_connector.files.serialize import json_bytes
from retarus_connector.lint.engine import LintUsageError
from retarus_connector.models.package import (
    API_DEFINITION_FILE,
    API_PROPERTIES_FILE,
    ICON_FILE,
    SCRIPT_FILE,
    SETTINGS_FILE,
)
from retarus_connector.packaging.archive import folder_files
from retarus_connector.packaging.preflight import Preflight, lint_files, lint_folder
from retarus_connector.packaging.variants import deploy_properties
from retarus_connector.packaging.versioning import current_connector, folder_name

PACONN_INSTALL_HINT = (
    "paconn is not installed. Install it with `python -m pip install paconn` (in a checkout of "
    "this repository: `python -m pip install -e '.[publish]'`), then sign in once with "
    "`paconn login`."
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


def _json_of(data: bytes, shown: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PublishError(f"{shown}: not valid JSON ({error})") from None


def read_package(package_dir: Path) -> dict[str, bytes]:
    """The files paconn uploads from a connector folder, name -> bytes; the swagger and
    apiProperties are required and must be JSON, the icon and script are taken when present."""
    files: dict[str, bytes] = {}
    for name in (API_DEFINITION_FILE, API_PROPERTIES_FILE, ICON_FILE, SCRIPT_FILE):
        path = package_dir / name
        try:
            files[name] = path.read_bytes()
        except FileNotFoundError:
            if name in (API_DEFINITION_FILE, API_PROPERTIES_FILE):
                raise PublishError(
                    f"{path}: file not found; run `retarus-connector build` first"
                ) from None
        except OSError as error:
            raise PublishError(f"{path}: cannot be read ({error.strerror or error})") from None
        if name in files and name.endswith(".json"):
            _json_of(files[name], str(path))  # fail early, naming the file, not inside paconn
    return files


def _check_target(environment: str, connector_id: str | None) -> None:
    if not environment.strip():
        raise PublishError("--environment: an environment name or id is required")
    if connector_id is not None and not connector_id.strip():
        # an empty id, as from an unset variable in a script, would otherwise turn the update
        # into a create and leave the environment with a second connector
        raise PublishError(
            "--connector-id: empty; give the id of the connector to update, or leave the "
            "option out to create one"
        )


def stage(
    package_dir: Path,
    environment: str,
    connector_id: str | None = None,
    staging_dir: Path | None = None,
    paconn: str = "paconn",
) -> PublishPlan:
    """Copy the package in `package_dir` into a staging folder with a paconn settings file,
    and plan the command."""
    return stage_files(read_package(package_dir), environment, connector_id, staging_dir, paconn)


def stage_files(
    files: Mapping[str, bytes],
    environment: str,
    connector_id: str | None = None,
    staging_dir: Path | None = None,
    paconn: str = "paconn",
) -> PublishPlan:
    """Write the package (name -> bytes) into a staging folder, apiProperties as its deploy
    variant, with a paconn settings file naming every staged file; plan the command."""
    _check_target(environment, connector_id)
    for required in (API_DEFINITION_FILE, API_PROPERTIES_FILE):
        if required not in files:
            raise PublishError(f"{required}: missing from the package to publish")
    properties = _json_of(files[API_PROPERTIES_FILE], API_PROPERTIES_FILE)
    swagger = _json_of(files[API_DEFINITION_FILE], API_DEFINITION_FILE)
    target = staging_dir or Path(tempfile.mkdtemp(prefix="retarus-connector-publish-"))
    target.mkdir(parents=True, exist_ok=True)

    (target / API_DEFINITION_FILE).write_bytes(
        _readable_by_paconn(files[API_DEFINITION_FILE], swagger)
    )
    (target / API_PROPERTIES_FILE).write_bytes(json_bytes(deploy_properties(properties)))
    settings: dict[str, Any] = {}
    if connector_id:
        settings["connectorId"] = connector_id
    settings["environment"] = environment
    settings["apiProperties"] = str(target / API_PROPERTIES_FILE)
    settings["apiDefinition"] = str(target / API_DEFINITION_FILE)
    for key, name in (("icon", ICON_FILE), ("script", SCRIPT_FILE)):
        if name in files:
            (target / name).write_bytes(files[name])
            settings[key] = str(target / name)
    settings["powerAppsUrl"] = POWER_APPS_URL
    settings["powerAppsApiVersion"] = POWER_APPS_API_VERSION
    settings_file = target / SETTINGS_FILE
    settings_file.write_text(json.dumps(settings, indent=4) + "\n", encoding="utf-8")

    action = "update" if connector_id else "create"
    command: tuple[str, ...] = (paconn, action, "--settings", str(settings_file))
    if action == "create":
        # paconn create writes the new connector id back into ./settings.json, asking first
        # when the file exists; run in the staging folder, that is the staged file, so allow it
        # without a prompt, and the user's own settings.json is never touched.
        command += ("--overwrite-settings",)
    return PublishPlan(command, target, settings_file, action)


def _readable_by_paconn(data: bytes, document: Any) -> bytes:
    """The swagger as paconn create/update can read it: they open it in the platform's default
    encoding and json.load it, so a byte order mark fails there and UTF-8 text is misread
    outside UTF-8 locales. Such a file is staged re-serialized with \\u escapes (paconn parses
    it anyway, so layout does not matter); an ASCII file keeps its bytes."""
    return data if data.isascii() else json_bytes(document)


@dataclass(frozen=True)
class Preparation:
    """The lint verdict on the package to publish, and the staged plan unless lint stopped it."""

    preflight: Preflight
    plan: PublishPlan | None


def prepare(
    package_dir: Path | None,
    environment: str,
    connector_id: str | None = None,
    paconn: str = "paconn",
    staging_dir: Path | None = None,
) -> Preparation:
    """Lint the package under the certified profile, then stage it unless a finding is an
    error. `package_dir` None publishes the package generated from the models in memory, so
    stale files on disk can never reach an environment."""
    _check_target(environment, connector_id)
    if package_dir is None:
        connector = current_connector()
        files = folder_files(connector)
        preflight = lint_files(files, f"{folder_name(connector)} (generated from the models)")
    else:
        files = read_package(package_dir)
        try:
            preflight = lint_folder(package_dir, package_dir.as_posix())
        except LintUsageError as error:
            raise PublishError(str(error)) from None
    if preflight.blocked:
        return Preparation(preflight, None)
    return Preparation(
        preflight, stage_files(files, environment, connector_id, staging_dir, paconn)
    )


def find_paconn() -> str:
    """The paconn executable; raises PaconnMissingError with installation advice otherwise."""
    found = shutil.which("paconn")
    if found is None:
        raise PaconnMissingError(PACONN_INSTALL_HINT)
    return found


def run(plan: PublishPlan, runner: Any = subprocess.run) -> PublishResult:
    """Run paconn in the staging folder and read back the connector id it records in the
    staged settings file; PublishError when paconn cannot be started at all."""
    try:
        completed = runner(list(plan.command), check=False, cwd=plan.staging_dir)
    except OSError as error:  # found on PATH but not startable, e.g. its interpreter is gone
        raise PublishError(
            f"{plan.command[0]}: cannot be run ({error.strerror or error}); reinstall paconn "
            "with `python -m pip install --force-reinstall paconn`"
        ) from None
    try:
        connector_id = json.loads(plan.settings_file.read_text(encoding="utf-8")).get("connectorId")
    except (OSError, ValueError, AttributeError):
        connector_id = None
    return PublishResult(int(completed.returncode), connector_id)


def dry_run_command(plan: PublishPlan) -> str:
    """What `run` does, as one POSIX shell line: change into the staging folder, run paconn."""
    program = Path(plan.command[0]).name
    return f"cd {shlex.quote(str(plan.staging_dir))} && " + shlex.join((program, *plan.command[1:]))
