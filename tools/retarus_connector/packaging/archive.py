"""The release zip: one connector folder, generated from the models, linted, then zipped.

Layout: `<slug>-<version>.zip` holds one folder named after the connector's title, as the
PowerPlatformConnectors repository names its folders, so unpacking it in a clone's
`certified-connectors/` gives the folder a pull request needs, and unpacking it anywhere else
never scatters package files over the current folder (the repository root holds files with the
very same names).

The zip is the same bytes on every run and machine: entries in a fixed order, one fixed
timestamp, fixed permissions, and stored rather than deflated, because zlib's output differs
between versions and the whole package is some 60 kB.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from retarus_connector.emitters.properties import api_properties_document
from retarus_connector.emitters.readme import connector_readme
from retarus_connector.files.atomic import write_files_atomically
from retarus_connector.files.package import connector_files
from retarus_connector.files.serialize import json_bytes, text_bytes
from retarus_connector.models.package import CONNECTOR_README_FILE, Connector

from .preflight import Preflight, lint_files
from .variants import DEPLOY_PROPERTIES_FILE, deploy_properties
from .versioning import archive_name, current_connector, folder_name

# The earliest time a zip entry can carry (MS-DOS dates start in 1980).
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
FOLDER_MODE = 0o755
_UNIX = 3  # "made by" system: Unix, so the permission bits above are honoured on extraction
_MSDOS_DIRECTORY = 0x10


@dataclass(frozen=True)
class ArchiveResult:
    """What `build_archive` did: the lint verdict, and the zip unless lint stopped it."""

    name: str  # the zip's file name
    folder: str  # the connector folder inside it
    preflight: Preflight
    path: Path | None  # None: lint found an error and nothing was written
    changed: bool  # False when the zip on disk already had these bytes


def folder_files(connector: Connector) -> dict[str, bytes]:
    """Every file of the connector folder, name -> bytes: the four package files, the readme
    with the certified sections, and the deploy variant of apiProperties (no stackOwner),
    which the folder's settings.json names so `paconn create --settings settings.json` works
    from inside the unpacked folder."""
    files = connector_files(connector, settings_properties_file=DEPLOY_PROPERTIES_FILE)
    files[DEPLOY_PROPERTIES_FILE] = json_bytes(
        deploy_properties(api_properties_document(connector))
    )
    files[CONNECTOR_README_FILE] = text_bytes(connector_readme(connector))
    return files


def zip_bytes(folder: str, files: Mapping[str, bytes]) -> bytes:
    """A zip holding `files` inside `folder/`, with nothing that depends on when or where."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(_entry(f"{folder}/", FOLDER_MODE, directory=True), b"")
        for name in sorted(files):
            archive.writestr(_entry(f"{folder}/{name}", FILE_MODE), files[name])
    return buffer.getvalue()


def _entry(name: str, mode: int, *, directory: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = _UNIX
    info.external_attr = (mode | (0o040000 if directory else 0o100000)) << 16
    if directory:
        info.external_attr |= _MSDOS_DIRECTORY
    return info


def build_archive(out_dir: Path, connector: Connector | None = None) -> ArchiveResult:
    """Generate the connector folder in memory, lint it under the certified profile and, when
    no finding is an error, write the zip into `out_dir` atomically.

    `connector` defaults to the models at the current version. Raises NamingError when the
    title or version cannot name the files, and files.atomic.WriteError when writing fails.
    """
    connector = connector or current_connector()
    name = archive_name(connector)
    folder = folder_name(connector)
    files = folder_files(connector)
    preflight = lint_files(files, f"{name}/{folder}")
    if preflight.blocked:
        return ArchiveResult(name, folder, preflight, path=None, changed=False)
    changed = write_files_atomically(out_dir, {name: zip_bytes(folder, files)})
    return ArchiveResult(name, folder, preflight, path=out_dir / name, changed=bool(changed))
