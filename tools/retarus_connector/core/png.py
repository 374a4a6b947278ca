"""PNG pictures as several layers need them: the size and the pixels of a file's bytes, read
with Pillow (imported only when a picture is read, so that commands that read none start fast).
"""

from __future__ import annotations

from dataclasses import dataclass

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class Picture:
    """A decoded picture: its size and its pixels, row by row, 4 bytes (RGBA) each."""

    width: int
    height: int
    rgba: bytes


def read_png(data: bytes) -> Picture | None:
    """The picture a PNG file holds, or None when the bytes are not a PNG Pillow can decode
    (another format, a damaged or truncated file)."""
    if not data.startswith(_SIGNATURE):
        return None
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as opened:
            opened.load()
            converted = opened.convert("RGBA")
            return Picture(converted.width, converted.height, converted.tobytes())
    except Exception:  # Pillow raises many kinds for a damaged file
        return None
