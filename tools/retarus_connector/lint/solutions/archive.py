"""Reading zip archives that nobody vouches for.

A zip is read from bytes already in memory, entry by entry, within limits on the number of
entries, the size of each entry, the size of all of them together and the ratio of an entry's
size to its compressed size; a zip nested in another counts towards a depth limit. Entry names
that would leave the extraction folder (`../x`, `/etc/x`, `C:\\x`), names given twice and
entries that cannot be decompressed are refused and recorded. Nothing here raises on content.
"""

import enum
import io
import re
import zlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import zipfile

# far above a real solution (the largest real export seen is a few MiB), low enough that a
# hostile archive cannot exhaust memory
MAX_ENTRIES = 5000
MAX_ENTRY_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
# JSON and XML compress about 5 to 20 times; a bomb compresses a thousand times. Small entries
# are exempt: a 200 KB run of blanks is harmless whatever its ratio.
MAX_RATIO = 200
RATIO_EXEMPT_BYTES = 1024 * 1024
# a certification package is three zips deep (outer, package, solution)
MAX_DEPTH = 4

_DRIVE = r"^[A-Za-z]:"  # compiled by `re` when a zip is read


class IssueKind(enum.StrEnum):
    INVALID = "invalid"  # not a zip, truncated, or an entry that cannot be decompressed
    UNSAFE_NAME = "unsafe-name"  # a name that leaves the folder, or a name given twice
    LIMIT = "limit"  # over one of the limits above


class ArchiveIssue(NamedTuple):
    """Why an archive, or one entry of it (`entry`, else None), was not read."""

    kind: IssueKind
    message: str
    entry: str | None = None


class Archive(NamedTuple):
    """The entries read from one zip, in archive order, and what was refused."""

    entries: dict[str, bytes]
    folders: set[str]
    issues: list[ArchiveIssue]


def unsafe_name(name: str) -> str | None:
    """Why an entry name must not be extracted, or None when it stays inside the folder."""
    if "\x00" in name:
        return "holds a NUL character"
    if name.startswith(("/", "\\")) or re.match(_DRIVE, name):
        return "is an absolute path"
    parts = re.split(r"[\\/]", name)
    if ".." in parts:
        return "climbs out of the folder with '..'"
    if "\\" in name:
        return "uses '\\' in its path (zip entry names use '/')"
    return None


def read_archive(raw: bytes, depth: int = 1) -> Archive:
    """The entries of a zip held in `raw`; every trouble is an issue on the result."""
    archive = Archive({}, set(), [])
    if depth > MAX_DEPTH:
        archive.issues.append(
            ArchiveIssue(IssueKind.LIMIT, f"is nested deeper than {MAX_DEPTH} zips; not read")
        )
        return archive
    # zipfile (with bz2, lzma and shutil) is imported only when a zip is read: every lint run
    # imports this module for the solution rules, most never read a zip
    import zipfile

    try:
        opened = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        reason = "is empty" if not raw else f"is not a readable zip archive ({error})"
        if raw and raw[:4] == b"PK\x03\x04":
            reason = f"is a truncated or damaged zip archive ({error})"
        archive.issues.append(ArchiveIssue(IssueKind.INVALID, reason))
        return archive
    with opened:
        _read_entries(opened, archive)
    return archive


def _read_entries(opened: "zipfile.ZipFile", archive: Archive) -> None:
    import zipfile

    infos = opened.infolist()
    if len(infos) > MAX_ENTRIES:
        archive.issues.append(
            ArchiveIssue(
                IssueKind.LIMIT,
                f"holds {len(infos)} entries, more than the {MAX_ENTRIES} the linter reads;"
                " only the first ones were read",
            )
        )
        infos = infos[:MAX_ENTRIES]
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        why = unsafe_name(name)
        if why is not None:
            archive.issues.append(
                ArchiveIssue(IssueKind.UNSAFE_NAME, f"has the entry {name!r}, which {why}", name)
            )
            continue
        folded = name.rstrip("/").lower()  # Windows extracts names in any letter case alike
        if folded in seen:
            archive.issues.append(
                ArchiveIssue(
                    IssueKind.UNSAFE_NAME, f"has the entry {name!r}, which is given twice", name
                )
            )
            continue
        seen.add(folded)
        if name.endswith("/"):
            archive.folders.add(name.rstrip("/"))
            continue
        _note_folders(archive, name)
        size = info.file_size
        if size > MAX_ENTRY_BYTES:
            archive.issues.append(_limit(name, f"unpacks to {size} bytes, over {MAX_ENTRY_BYTES}"))
            continue
        if size > RATIO_EXEMPT_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            archive.issues.append(
                _limit(
                    name,
                    f"unpacks {size // max(info.compress_size, 1)} times larger than it is"
                    f" stored (over {MAX_RATIO}): a zip bomb",
                )
            )
            continue
        if total + size > MAX_TOTAL_BYTES:
            archive.issues.append(
                _limit(name, f"would take the archive over {MAX_TOTAL_BYTES} unpacked bytes")
            )
            break
        total += size
        try:
            with opened.open(info) as stream:
                # the declared size bounds what zipfile hands out; a lie fails the CRC check
                archive.entries[name] = stream.read(MAX_ENTRY_BYTES + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ) as error:
            archive.issues.append(
                ArchiveIssue(
                    IssueKind.INVALID,
                    f"has the entry {name!r}, which cannot be unpacked ({error})",
                    name,
                )
            )


def _limit(name: str, message: str) -> ArchiveIssue:
    return ArchiveIssue(IssueKind.LIMIT, f"has the entry {name!r}, which {message}; not read", name)


def _note_folders(archive: Archive, name: str) -> None:
    """Zips written by Dataverse hold no folder entries; a folder is implied by a path."""
    parts = name.split("/")[:-1]
    for end in range(1, len(parts) + 1):
        archive.folders.add("/".join(parts[:end]))
