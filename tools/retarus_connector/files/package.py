"""The connector package as bytes, and writing or checking it in a folder.

Two layouts:
- the repository (a folder holding this project): the four package files, plus README.md
  with the connector readme in its generated block;
- any other folder (`build --out DIR`): the four package files plus a complete readme.md,
  so the folder is a connector on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from retarus_connector.emitters.icon import icon_image
from retarus_connector.emitters.properties import api_properties_document
from retarus_connector.emitters.readme import connector_readme, connector_readme_sections
from retarus_connector.emitters.settings import settings_document
from retarus_connector.emitters.swagger import swagger_document
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import (
    API_DEFINITION_FILE,
    API_PROPERTIES_FILE,
    CONNECTOR_README_FILE,
    ICON_FILE,
    REPOSITORY_README_FILE,
    SETTINGS_FILE,
    Connector,
)

from .atomic import write_files_atomically
from .blocks import replace_generated_block
from .check import Difference, differences
from .png import encode_png
from .serialize import json_bytes, ordered_swagger, text_bytes

README_BLOCK = "connector-readme"


class PackageError(Exception):
    """The package cannot be produced for this folder; the message names file and cause."""


def is_repository(target: Path) -> bool:
    """Whether `target` is a checkout of this project (its README.md embeds the readme)."""
    return (target / "pyproject.toml").is_file() and (
        target / "tools" / "retarus_connector"
    ).is_dir()


def connector_files(
    connector: Connector, settings_properties_file: str = API_PROPERTIES_FILE
) -> dict[str, bytes]:
    """The four package files, name -> bytes. `settings_properties_file` is the apiProperties
    file settings.json names, for a folder that also holds its deploy variant."""
    return {
        API_DEFINITION_FILE: json_bytes(ordered_swagger(swagger_document(connector.api))),
        API_PROPERTIES_FILE: json_bytes(api_properties_document(connector)),
        ICON_FILE: encode_png(icon_image(connector.brand_rgb)),
        SETTINGS_FILE: json_bytes(settings_document(settings_properties_file)),
    }


def package_files(
    target: Path,
    connector: Connector = CONNECTOR,
    readme_blocks: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """Every file the build owns in `target`, name -> bytes, in a fixed order.

    `readme_blocks` are further generated blocks of the repository's README.md (block name ->
    content), such as the linter's rules table, which this layer does not know about."""
    files = connector_files(connector)
    if is_repository(target):
        files[REPOSITORY_README_FILE] = _embedded_readme(target, connector, readme_blocks or {})
    else:
        _refuse_other_readme(target)
        files[CONNECTOR_README_FILE] = text_bytes(connector_readme(connector))
    return files


def build(
    target: Path,
    connector: Connector = CONNECTOR,
    readme_blocks: Mapping[str, str] | None = None,
) -> list[str]:
    """Write the package into `target` atomically; returns the names that changed."""
    return write_files_atomically(target, package_files(target, connector, readme_blocks))


def check(
    target: Path,
    connector: Connector = CONNECTOR,
    readme_blocks: Mapping[str, str] | None = None,
) -> list[Difference]:
    """The files in `target` that differ from what the models produce; writes nothing."""
    return differences(target, package_files(target, connector, readme_blocks))


def _refuse_other_readme(target: Path) -> None:
    """A README.md beside readme.md is the same file on Windows and macOS file systems, and
    two readmes in one connector folder are one too many either way."""
    if not target.is_dir():
        return
    for path in target.iterdir():
        lowered = path.name.lower()
        if lowered == CONNECTOR_README_FILE and path.name != CONNECTOR_README_FILE:
            raise PackageError(
                f"{path}: the build writes {CONNECTOR_README_FILE} here; rename or remove "
                f"{path.name} first"
            )


def _embedded_readme(target: Path, connector: Connector, blocks: Mapping[str, str]) -> bytes:
    path = target / REPOSITORY_README_FILE
    try:
        # Bytes, not read_text: universal newlines would rewrite other people's line ends.
        current = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise PackageError(f"{path}: not found; the connector readme is embedded in it") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PackageError(f"{path}: cannot be read ({error})") from error
    try:
        updated = current
        all_blocks = {README_BLOCK: connector_readme_sections(connector), **blocks}
        for block, content in all_blocks.items():
            updated = replace_generated_block(updated, block, content, source=str(path))
    except ValueError as error:
        raise PackageError(str(error)) from error
    return updated.encode("utf-8")
