"""The connector package as bytes, and writing or checking it in a folder.

Two layouts:
- the repository (a folder holding this project): the package files (swagger, apiProperties,
  icon, settings and the custom code script.csx), plus README.md with the connector readme in
  its generated block;
- any other folder (`build --out DIR`): the same package files plus a complete readme.md, so
  the folder is a connector on its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from retarus_connector.emitters.icon import icon_image
from retarus_connector.emitters.properties import api_properties_document
from retarus_connector.emitters.readme import connector_readme, connector_readme_sections
from retarus_connector.emitters.script import script_source
from retarus_connector.emitters.settings import settings_document
from retarus_connector.emitters.swagger import swagger_document
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import (
    API_DEFINITION_FILE,
    API_PROPERTIES_FILE,
    CONNECTOR_README_FILE,
    ICON_FILE,
    REPOSITORY_README_FILE,
    SCRIPT_FILE,
    SETTINGS_FILE,
    Connector,
)

from .atomic import write_files_atomically
from .blocks import replace_generated_block
from .check import Difference, differences
from .png import encode_png
from .serialize import json_bytes, ordered_swagger, text_bytes

README_BLOCK = "connector-readme"

# documentation file relative to the repository root -> generated block name -> content
DocBlocks = Mapping[str, Mapping[str, str]]


class PackageError(Exception):
    """The package cannot be produced for this folder; the message names file and cause."""


class OtherConnectorError(PackageError):
    """The folder holds another connector's package, which the build would overwrite."""


def is_repository(target: Path) -> bool:
    """Whether `target` is a checkout of this project (its README.md embeds the readme)."""
    return (target / "pyproject.toml").is_file() and (
        target / "tools" / "retarus_connector"
    ).is_dir()


def connector_files(
    connector: Connector, settings_properties_file: str = API_PROPERTIES_FILE
) -> dict[str, bytes]:
    """The package files, name -> bytes: the four every connector has, and script.csx when it
    has custom code. `settings_properties_file` is the apiProperties file settings.json names,
    for a folder that also holds its deploy variant."""
    choice = connector.host_choice
    files = {
        API_DEFINITION_FILE: json_bytes(ordered_swagger(swagger_document(connector.api))),
        API_PROPERTIES_FILE: json_bytes(api_properties_document(connector)),
        ICON_FILE: encode_png(icon_image(connector.brand_rgb)),
        SETTINGS_FILE: json_bytes(
            settings_document(settings_properties_file, script=choice is not None)
        ),
    }
    if choice is not None:
        files[SCRIPT_FILE] = text_bytes(script_source(choice))
    return files


def package_files(target: Path, connector: Connector = CONNECTOR) -> dict[str, bytes]:
    """Every file of the package the build owns in `target`, name -> bytes, in a fixed order."""
    files = connector_files(connector)
    if is_repository(target):
        files[REPOSITORY_README_FILE] = _embedded_readme(target, connector)
    else:
        _refuse_other_readme(target)
        files[CONNECTOR_README_FILE] = text_bytes(connector_readme(connector))
    return files


def document_files(target: Path, doc_blocks: DocBlocks | None) -> dict[str, bytes]:
    """The repository's documentation files with generated blocks, path relative to `target`
    -> bytes: `doc_blocks` maps each file to its blocks (name -> content), such as the linter's
    rules table, which this layer does not know about."""
    if not doc_blocks or not is_repository(target):
        return {}
    return {
        name: _with_blocks(target / name, blocks) for name, blocks in sorted(doc_blocks.items())
    }


def build(
    target: Path,
    connector: Connector = CONNECTOR,
    doc_blocks: DocBlocks | None = None,
    *,
    force: bool = False,
) -> list[str]:
    """Write the package into `target` atomically, then the documentation blocks; returns the
    names that changed. A folder that holds another connector (a swagger with another title)
    is refused with OtherConnectorError unless `force`."""
    if not force and not is_repository(target):
        _refuse_other_connector(target, connector)
    documents = document_files(target, doc_blocks)
    changed = write_files_atomically(target, package_files(target, connector))
    by_folder: dict[str, dict[str, bytes]] = {}
    for name, data in documents.items():
        folder, _, base = name.rpartition("/")
        by_folder.setdefault(folder, {})[base] = data
    for folder, files in by_folder.items():
        written = write_files_atomically(target / folder, files)
        changed += [f"{folder}/{base}" if folder else base for base in written]
    return changed


def check(
    target: Path,
    connector: Connector = CONNECTOR,
    doc_blocks: DocBlocks | None = None,
) -> list[Difference]:
    """The files in `target` that differ from what the models produce; writes nothing."""
    files = {**package_files(target, connector), **document_files(target, doc_blocks)}
    return differences(target, files)


def _refuse_other_connector(target: Path, connector: Connector) -> None:
    """Refuse to write over a swagger whose info.title is not this connector's: the folder
    holds another connector, whose readme and apiProperties would be replaced too. A swagger
    whose title cannot be read is no proof of the contrary, so it is refused as well."""
    path = target / API_DEFINITION_FILE
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as error:
        raise PackageError(f"{path}: cannot be read ({error.strerror or error})") from error
    title: object = None
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        document = None
    if isinstance(document, dict) and isinstance(document.get("info"), dict):
        title = document["info"].get("title")
    ours = connector.api.title
    if title == ours:
        return
    found = f"the connector {title!r}" if isinstance(title, str) else "a swagger without a title"
    raise OtherConnectorError(
        f"{path}: this folder holds {found}, not {ours!r}; building here would replace its "
        "package files and readme"
    )


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


def _embedded_readme(target: Path, connector: Connector) -> bytes:
    return _with_blocks(
        target / REPOSITORY_README_FILE, {README_BLOCK: connector_readme_sections(connector)}
    )


def _with_blocks(path: Path, blocks: Mapping[str, str]) -> bytes:
    """The file at `path` with each generated block (name -> content) replaced."""
    try:
        # Bytes, not read_text: universal newlines would rewrite other people's line ends.
        current = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise PackageError(f"{path}: not found; it holds generated blocks") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PackageError(f"{path}: cannot be read ({error})") from error
    try:
        updated = current
        for block, content in blocks.items():
            updated = replace_generated_block(updated, block, content, source=str(path))
    except ValueError as error:
        raise PackageError(str(error)) from error
    return updated.encode("utf-8")
