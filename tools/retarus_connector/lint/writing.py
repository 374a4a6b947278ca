"""Writing a whole file or nothing: the report (`--output`), a baseline, a fixed package file.

The bytes go to a temporary file in the target's folder (same file system, so the rename is
atomic), are flushed to disk, and replace the target in one rename; a reader sees the old file
or the new one, never half of one. The lint layer imports nothing of `files`, hence this small
twin of `files.atomic` for one file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class WriteFailed(OSError):
    """The file could not be written; the message names it and the target is unchanged."""


def write_atomically(path: Path, data: bytes) -> None:
    folder = path.parent
    # os.urandom rather than `secrets`, whose import (hmac, hashlib, random) would cost every
    # run that writes its report with --output more than the write itself
    temporary = folder / f".{path.name}.{os.urandom(4).hex()}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            if path.is_file():
                import shutil  # only a rewritten file needs it

                shutil.copymode(path, temporary)  # a fixed file keeps its mode
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
    except OSError as error:
        reason = error.strerror or str(error)
        raise WriteFailed(f"{path}: cannot be written ({reason}); it was left as it was") from None


_BINARY = getattr(os, "O_BINARY", 0)
