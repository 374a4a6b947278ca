"""Deterministic zips in the layout of Dataverse exports.

Exports deflate every entry and hold no directory entries; the entries keep the order given.
Every entry gets the same timestamp and attributes, so the same content gives the same bytes
on every run (zlib at a fixed level; a different zlib build could in principle compress
differently, which `same_entries` tolerates when comparing with a zip on disk).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest an MS-DOS date can say
COMPRESS_LEVEL = 6  # zlib's default, named so that it cannot drift
_FILE_MODE = 0o100644 << 16

Entries = Sequence[tuple[str, bytes]]


def zip_entries(entries: Entries) -> bytes:
    """A zip holding `entries` (path -> bytes) in this order, deflated, without folders."""
    seen: set[str] = set()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as out:
        for name, data in entries:
            if not name or name.endswith("/") or name.startswith("/") or ".." in name.split("/"):
                raise ValueError(f"{name!r} is not a relative file path for a zip entry")
            if name in seen:
                raise ValueError(f"{name!r} is in the zip twice")
            seen.add(name)
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = _FILE_MODE
            out.writestr(info, data, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def read_entries(data: bytes) -> list[tuple[str, bytes]] | None:
    """The entries of a zip we wrote, in order; None when `data` is not a readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info.filename, archive.read(info)) for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None


def same_entries(actual: bytes, expected: bytes) -> bool:
    """Whether two zips hold the same entries in the same order with the same content."""
    if actual == expected:
        return True
    found = read_entries(actual)
    return found is not None and found == read_entries(expected)
