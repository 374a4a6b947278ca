"""A small PNG encoder whose bytes depend on nothing but its input.

zlib implementations (zlib, zlib-ng, the one a Pillow wheel bundles) compress the same data
into different bytes, so a committed PNG produced through them may not regenerate identically
on another machine. This encoder writes a 4-bit palette PNG and deflates it itself with fixed
Huffman codes and run-length matches (back-references to the previous byte and to the row
above), which is enough for an icon made of flat areas. No text, time or gamma chunks are
written, so the file carries no metadata.
"""

from __future__ import annotations

import struct
import zlib

from retarus_connector.emitters.icon import IndexedImage

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BIT_DEPTH = 4
_COLOR_TYPE_PALETTE = 3
_FILTER_NONE = 0

_MIN_MATCH = 3
_MAX_MATCH = 258

# RFC 1951 3.2.5: (first length, extra bits) of length codes 257..285.
_LENGTH_CODES = tuple(
    zip(
        (3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
         131, 163, 195, 227, 258),
        (0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0),
        strict=True,
    )
)  # fmt: skip
# (first distance, extra bits) of distance codes 0..29.
_DISTANCE_CODES = tuple(
    zip(
        (1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
         1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577),
        (0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
         12, 13, 13),
        strict=True,
    )
)  # fmt: skip


def encode_png(image: IndexedImage) -> bytes:
    if len(image.palette) > 1 << _BIT_DEPTH:
        raise ValueError(f"a {_BIT_DEPTH}-bit PNG holds at most {1 << _BIT_DEPTH} colors")
    header = struct.pack(
        ">IIBBBBB", image.width, image.height, _BIT_DEPTH, _COLOR_TYPE_PALETTE, 0, 0, 0
    )
    palette = b"".join(bytes(rgb) for rgb in image.palette)
    rows = _packed_rows(image)
    stride = len(rows) // image.height if image.height else 0
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", palette),
            _chunk(b"IDAT", zlib_stream(rows, stride)),
            _chunk(b"IEND", b""),
        )
    )


def _packed_rows(image: IndexedImage) -> bytes:
    """Each row: the filter byte, then two pixels per byte, the left one in the high nibble."""
    out = bytearray()
    for top in range(0, len(image.pixels), image.width):
        row = image.pixels[top : top + image.width]
        if len(row) % 2:
            row += b"\x00"
        out.append(_FILTER_NONE)
        out.extend((row[i] << 4) | row[i + 1] for i in range(0, len(row), 2))
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def zlib_stream(data: bytes, row_stride: int = 0) -> bytes:
    """`data` as a zlib stream of one fixed-Huffman deflate block (RFC 1950, RFC 1951).

    zlib.crc32 and zlib.adler32 are checksums with one correct answer, unlike compression."""
    bits = _BitWriter()
    bits.write(1, 1)  # BFINAL: this is the last block
    bits.write(1, 2)  # BTYPE 01: fixed Huffman codes
    distances = (1, row_stride) if row_stride > 1 else (1,)
    position = 0
    while position < len(data):
        length, distance = _longest_match(data, position, distances)
        if length >= _MIN_MATCH:
            _write_match(bits, length, distance)
            position += length
        else:
            _write_literal_or_length(bits, data[position])
            position += 1
    _write_literal_or_length(bits, 256)  # end of block
    header = b"\x78\x01"  # deflate, 32 KiB window, no dictionary, fastest-level hint
    return header + bits.getvalue() + struct.pack(">I", zlib.adler32(data))


def _longest_match(data: bytes, position: int, distances: tuple[int, ...]) -> tuple[int, int]:
    best_length, best_distance = 0, 0
    limit = min(_MAX_MATCH, len(data) - position)
    for distance in distances:
        if distance > position:
            continue
        length = 0
        while length < limit and data[position + length] == data[position + length - distance]:
            length += 1
        if length > best_length:
            best_length, best_distance = length, distance
    return best_length, best_distance


def _write_match(bits: _BitWriter, length: int, distance: int) -> None:
    code, (base, extra) = _last_code_at_most(_LENGTH_CODES, length)
    _write_literal_or_length(bits, 257 + code)
    bits.write(length - base, extra)
    code, (base, extra) = _last_code_at_most(_DISTANCE_CODES, distance)
    bits.write_huffman(code, 5)
    bits.write(distance - base, extra)


def _last_code_at_most(
    table: tuple[tuple[int, int], ...], value: int
) -> tuple[int, tuple[int, int]]:
    for code in range(len(table) - 1, -1, -1):
        if table[code][0] <= value:
            return code, table[code]
    raise ValueError(f"{value} is below the smallest code")


def _write_literal_or_length(bits: _BitWriter, symbol: int) -> None:
    """The fixed literal/length code of RFC 1951 3.2.6."""
    if symbol < 144:
        bits.write_huffman(0x30 + symbol, 8)
    elif symbol < 256:
        bits.write_huffman(0x190 + symbol - 144, 9)
    elif symbol < 280:
        bits.write_huffman(symbol - 256, 7)
    else:
        bits.write_huffman(0xC0 + symbol - 280, 8)


class _BitWriter:
    """Packs bits least significant first, as deflate stores them."""

    def __init__(self) -> None:
        self._out = bytearray()
        self._accumulator = 0
        self._count = 0

    def write(self, value: int, width: int) -> None:
        self._accumulator |= value << self._count
        self._count += width
        while self._count >= 8:
            self._out.append(self._accumulator & 0xFF)
            self._accumulator >>= 8
            self._count -= 8

    def write_huffman(self, code: int, width: int) -> None:
        """Huffman codes are defined most significant bit first."""
        reversed_code = int(f"{code:0{width}b}"[::-1], 2)
        self.write(reversed_code, width)

    def getvalue(self) -> bytes:
        tail = bytes([self._accumulator & 0xFF]) if self._count else b""
        return bytes(self._out) + tail
