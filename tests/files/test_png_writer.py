"""The PNG writer: valid zlib streams, faithful pixels, no metadata chunks."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retarus_connector.emitters.icon import IndexedImage
from retarus_connector.files.png import encode_png, zlib_stream


@given(st.binary(max_size=3000), st.integers(min_value=0, max_value=400))
def test_zlib_stream_round_trips(data: bytes, stride: int) -> None:
    assert zlib.decompress(zlib_stream(data, stride)) == data


@given(st.integers(min_value=1, max_value=2000), st.integers(min_value=0, max_value=255))
def test_long_runs_round_trip_and_compress(length: int, byte: int) -> None:
    data = bytes([byte]) * length
    stream = zlib_stream(data)
    assert zlib.decompress(stream) == data
    assert len(stream) < 20 + length // 50


def _chunks(png: bytes) -> list[bytes]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    kinds, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        body = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + body)
        kinds.append(kind)
        offset += 12 + length
    return kinds


@pytest.mark.parametrize(("width", "height"), [(1, 1), (3, 2), (230, 230), (7, 5)])
def test_pixels_survive_a_decoder(width: int, height: int) -> None:
    from PIL import Image

    palette = tuple((i * 16, 255 - i * 16, (i * 37) % 256) for i in range(16))
    pixels = bytes((x * 3 + y * 5) % 16 for y in range(height) for x in range(width))
    png = encode_png(IndexedImage(width, height, palette, pixels))
    assert _chunks(png) == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    decoded = Image.open(io.BytesIO(png)).convert("RGB")
    assert decoded.size == (width, height)
    for y in range(height):
        for x in range(width):
            assert decoded.getpixel((x, y)) == palette[pixels[y * width + x]]


def test_too_many_colors_are_refused() -> None:
    palette = tuple((i, i, i) for i in range(17))
    with pytest.raises(ValueError, match="at most 16"):
        encode_png(IndexedImage(1, 1, palette, b"\x10"))


def test_pixels_must_fit_image_and_palette() -> None:
    with pytest.raises(ValueError, match="pixel count"):
        IndexedImage(2, 2, ((0, 0, 0),), b"\x00")
    with pytest.raises(ValueError, match="palette"):
        IndexedImage(1, 1, ((0, 0, 0),), b"\x01")
