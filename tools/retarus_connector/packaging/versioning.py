"""The connector at the toolkit's version, and the names derived from it.

The version lives only in `retarus_connector.__version__`. It is read when a package is made,
not when the models are imported, so the swagger's info.version and x-ms-api-annotation status
and the zip's name always agree with it.
"""

from __future__ import annotations

import re
import unicodedata

import retarus_connector
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import Connector

ARCHIVE_SUFFIX = ".zip"
# Characters Windows refuses in a file name; the connector folder inside the zip is named
# after the title, and the zip has to unpack everywhere.
_UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class NamingError(ValueError):
    """The connector title cannot name a file or folder; the message says why."""


def current_version() -> str:
    return retarus_connector.__version__


def current_connector() -> Connector:
    """The connector model at the version in `retarus_connector.__version__` right now."""
    return CONNECTOR.with_version(current_version())


def slug(title: str) -> str:
    """ "Retarus SMS" -> "retarus-sms": ASCII letters and digits joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    if not words:
        raise NamingError(f"info.title {title!r} has no letters or digits to name the package")
    return "-".join(words)


def archive_name(connector: Connector) -> str:
    """`<slug of the title>-<version>.zip`, e.g. retarus-sms-1.0.0.zip."""
    version = connector.api.version.strip()
    if not version or _UNSAFE_IN_FILE_NAMES.search(version) or " " in version:
        raise NamingError(f"info.version {version!r} cannot be part of a file name")
    return f"{slug(connector.api.title)}-{version}{ARCHIVE_SUFFIX}"


def folder_name(connector: Connector) -> str:
    """The connector folder inside the zip: the title, as the PowerPlatformConnectors
    repository names its folders (certified-connectors/<title>/)."""
    title = connector.api.title.strip()
    if not title or title.endswith(".") or _UNSAFE_IN_FILE_NAMES.search(title):
        raise NamingError(
            f"info.title {connector.api.title!r} cannot name a folder "
            '(no <>:"/\\|?* or control characters, no final dot)'
        )
    return title
