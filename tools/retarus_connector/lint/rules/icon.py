"""icon.png: a PNG, square, 230 by 230 pixels, opaque, on the brand color (reference ICON-01).

The common PNG variants (8-bit RGB and RGBA, grey and grey with alpha, palette images of 1 to 8
bits, not interlaced) are decoded here with zlib alone, so a lint run does not pay for importing
Pillow; other variants (16-bit, interlaced, colour-key transparency) fall back to Pillow,
imported only then. A file that cannot be decoded is a finding, never a crash.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate
from types import MappingProxyType

from retarus_connector.lint.model import FileKind, Package, Problem, Profile, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO
from retarus_connector.lint.rules._properties import api_properties

ICON = FileKind.ICON
_NEEDS = (FileKind.ICON,)
EXPECTED_SIZE = 230
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# decoding a larger image is not worth the memory: it fails the size rule anyway
MAX_DECODED_PIXELS = 2048 * 2048
_COLOR = re.compile(r"^#([0-9a-fA-F]{6})$")
# the largest per-channel difference still counted as the same colour (rounding in editors)
COLOR_TOLERANCE = 2
WHITE = (255, 255, 255)

# channels per pixel by PNG colour type
_CHANNELS = MappingProxyType({0: 1, 2: 3, 3: 1, 4: 2, 6: 4})
_LOW_BYTE = (255).__and__


class PngError(ValueError):
    """The bytes are not a PNG this module (or Pillow) can read; the message says why."""


class Header:
    __slots__ = ("bit_depth", "color_type", "height", "interlace", "width")

    def __init__(
        self, width: int, height: int, bit_depth: int, color_type: int, interlace: int
    ) -> None:
        self.width = width
        self.height = height
        self.bit_depth = bit_depth
        self.color_type = color_type
        self.interlace = interlace


class Image:
    __slots__ = ("height", "rgba", "width")

    def __init__(self, width: int, height: int, rgba: bytes) -> None:
        self.width = width
        self.height = height
        self.rgba = rgba  # 4 bytes per pixel, row by row

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int]:
        offset = (y * self.width + x) * 4
        red, green, blue, alpha = self.rgba[offset : offset + 4]
        return red, green, blue, alpha


def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIGNATURE):
        raise PngError("the file does not start with the PNG signature")
    position = len(PNG_SIGNATURE)
    while position < len(data):
        if position + 8 > len(data):
            raise PngError("the file ends inside a chunk header (truncated)")
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            raise PngError(f"the {kind.decode('latin-1')!r} chunk is truncated")
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : end])
        if zlib.crc32(kind + body) != crc:
            raise PngError(f"the {kind.decode('latin-1')!r} chunk fails its CRC check")
        yield kind, body
        if kind == b"IEND":
            return
        position = end
    raise PngError("the file has no IEND chunk (truncated)")


def read_header(data: bytes) -> Header:
    """The image header, checked for consistency; PngError when there is none."""
    for kind, body in _chunks(data):
        if kind != b"IHDR" or len(body) != 13:
            raise PngError("the first chunk is not a valid IHDR header")
        width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        if width == 0 or height == 0:
            raise PngError("the image has no pixels")
        if color_type not in _CHANNELS:
            raise PngError(f"unknown colour type {color_type}")
        return Header(width, height, depth, color_type, interlace)
    raise PngError("the file has no IHDR header")


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> bytes:
    """Undo the per-row PNG filters. Sub and Up use C-level helpers (prefix sums, big-integer
    byte-wise addition); Average and Paeth depend on each decoded byte and loop in Python."""
    out = bytearray(height * stride)
    previous = bytes(stride)
    low_bits = int.from_bytes(b"\x7f" * stride, "big")
    high_bits = int.from_bytes(b"\x80" * stride, "big")
    position = 0
    for y in range(height):
        filter_type = raw[position]
        line = raw[position + 1 : position + 1 + stride]
        position += stride + 1
        if filter_type == 0:
            row = bytes(line)
        elif filter_type == 1:
            decoded = bytearray(stride)
            for channel in range(bpp):
                decoded[channel::bpp] = bytes(map(_LOW_BYTE, accumulate(line[channel::bpp])))
            row = bytes(decoded)
        elif filter_type == 2:
            # byte-wise addition modulo 256 of two rows held as big integers
            a = int.from_bytes(line, "big")
            b = int.from_bytes(previous, "big")
            total = ((a & low_bits) + (b & low_bits)) ^ ((a ^ b) & high_bits)
            row = total.to_bytes(stride, "big")
        elif filter_type == 3:
            decoded = bytearray(line)
            for i in range(stride):
                left = decoded[i - bpp] if i >= bpp else 0
                decoded[i] = (decoded[i] + ((left + previous[i]) >> 1)) & 255
            row = bytes(decoded)
        elif filter_type == 4:
            decoded = bytearray(line)
            for i in range(stride):
                up = previous[i]
                if i >= bpp:
                    left = decoded[i - bpp]
                    corner = previous[i - bpp]
                else:
                    left = corner = 0
                estimate = left + up - corner
                distance_left = abs(estimate - left)
                distance_up = abs(estimate - up)
                distance_corner = abs(estimate - corner)
                if distance_left <= distance_up and distance_left <= distance_corner:
                    predictor = left
                elif distance_up <= distance_corner:
                    predictor = up
                else:
                    predictor = corner
                decoded[i] = (decoded[i] + predictor) & 255
            row = bytes(decoded)
        else:
            raise PngError(f"row {y} has an unknown filter type {filter_type}")
        out[y * stride : (y + 1) * stride] = row
        previous = row
    return bytes(out)


def _unpack_bits(samples: bytes, depth: int, width: int, height: int, stride: int) -> bytes:
    """Spread 1-, 2- or 4-bit samples to one byte each (row padding dropped)."""
    per_byte = 8 // depth
    mask = (1 << depth) - 1
    tables = [
        bytes(((value >> (8 - depth * (slot + 1))) & mask) for value in range(256))
        for slot in range(per_byte)
    ]
    out = bytearray(width * height)
    for y in range(height):
        row = samples[y * stride : (y + 1) * stride]
        spread = bytearray(stride * per_byte)
        for slot, table in enumerate(tables):
            spread[slot::per_byte] = row.translate(table)
        out[y * width : (y + 1) * width] = spread[:width]
    return bytes(out)


def _to_rgba(header: Header, samples: bytes, palette: bytes, alphas: bytes) -> bytes:
    count = header.width * header.height
    rgba = bytearray(count * 4)
    if header.color_type == 6:
        return samples
    if header.color_type == 2:
        for channel in range(3):
            rgba[channel::4] = samples[channel::3]
        rgba[3::4] = b"\xff" * count
    elif header.color_type == 0:
        for channel in range(3):
            rgba[channel::4] = samples
        rgba[3::4] = b"\xff" * count
    elif header.color_type == 4:
        for channel in range(3):
            rgba[channel::4] = samples[0::2]
        rgba[3::4] = samples[1::2]
    else:  # palette: one translation table per channel; missing entries read as black
        entries = len(palette) // 3
        padded = palette[: entries * 3] + b"\x00" * (3 * (256 - entries))
        opacity = alphas[:256] + b"\xff" * (256 - len(alphas[:256]))
        if max(samples, default=0) >= entries:
            raise PngError("a pixel uses a colour the palette does not define")
        for channel in range(3):
            rgba[channel::4] = samples.translate(padded[channel::3])
        rgba[3::4] = samples.translate(opacity)
    return bytes(rgba)


def _scale_grey(samples: bytes, depth: int) -> bytes:
    if depth == 8:
        return samples
    factor = 255 // ((1 << depth) - 1)
    return samples.translate(bytes(min(255, value * factor) for value in range(256)))


def decode(data: bytes) -> Image:
    """Decode a PNG to RGBA pixels; PngError when it cannot be read."""
    header = read_header(data)
    if header.width * header.height > MAX_DECODED_PIXELS:
        raise PngError(f"the image is too large to inspect ({header.width}x{header.height})")
    depth, color_type = header.bit_depth, header.color_type
    valid_depths = (1, 2, 4, 8) if color_type in (0, 3) else (8,)
    if header.interlace != 0 or depth not in valid_depths:
        return _decode_with_pillow(data)
    palette = b""
    alphas = b""
    compressed = bytearray()
    for kind, body in _chunks(data):
        if kind == b"PLTE":
            palette = body
        elif kind == b"tRNS":
            if color_type != 3:
                return _decode_with_pillow(data)  # colour-key transparency
            alphas = body
        elif kind == b"IDAT":
            compressed += body
    if color_type == 3 and not palette:
        raise PngError("the palette image has no PLTE chunk")
    channels = _CHANNELS[color_type]
    stride = (header.width * channels * depth + 7) // 8
    expected = header.height * (stride + 1)
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(bytes(compressed), expected)
    except zlib.error as error:
        raise PngError(f"the image data does not decompress ({error})") from None
    if len(raw) < expected:
        raise PngError("the image data is shorter than the image (truncated)")
    bpp = max(1, channels * depth // 8)
    samples = _unfilter(raw, header.height, stride, bpp)
    if depth < 8:
        samples = _unpack_bits(samples, depth, header.width, header.height, stride)
        if color_type == 0:
            samples = _scale_grey(samples, depth)
    return Image(header.width, header.height, _to_rgba(header, samples, palette, alphas))


def _decode_with_pillow(data: bytes) -> Image:
    import io

    from PIL import Image as PillowImage  # only for the PNG variants decoded above

    try:
        with PillowImage.open(io.BytesIO(data)) as opened:
            converted = opened.convert("RGBA")
            return Image(converted.width, converted.height, converted.tobytes())
    except Exception as error:  # Pillow raises many kinds for a damaged file
        raise PngError(f"the image cannot be decoded ({error})") from None


def _decoded(package: Package) -> Image | PngError | None:
    """The package's icon decoded (or the reason it cannot be), once per package for the
    rules that read it."""
    return package.memo(_decode_icon)


def _decode_icon(package: Package) -> Image | PngError | None:
    document = package.document(ICON)
    if document is None:
        return None
    try:
        return decode(document.raw)
    except PngError as error:
        return error


def _problem(message: str) -> Problem:
    return Problem(message, "", ICON)


@rule("icon-png", Severity.WARNING, needs=_NEEDS)
def icon_png(package: Package) -> Iterator[Problem]:
    """icon.png is a readable PNG image.

    What: the file starts with the PNG signature, its chunks are complete and pass their
    checksums, and its pixels decode (reference ICON-01). paconn uploads the icon as it is and
    takes its content type from the file name.
    Why: a damaged or mislabelled icon shows as a broken image in the gallery and the designer.
    Fix: export the icon again as PNG from the original artwork.
    """
    result = _decoded(package)
    if isinstance(result, PngError):
        yield _problem(f"icon.png cannot be read as a PNG image: {result}")


@rule("icon-size", Severity.WARNING, needs=_NEEDS, severities=CUSTOM_INFO)
def icon_size(package: Package) -> Iterator[Problem]:
    """icon.png is square and 230 by 230 pixels.

    What: the certification team asks for a 230x230 icon (reference ICON-01; 9 of the 11
    certified icons in Microsoft's repository have that size).
    Why: the platform shows icons in fixed square slots; other sizes are scaled and blurred or
    distorted.
    Fix: export the icon at 230x230 pixels.
    """
    document = package.document(ICON)
    if document is None:
        return
    try:
        header = read_header(document.raw)
    except PngError:
        return  # icon-png reports it
    if header.width != header.height:
        yield _problem(f"icon.png is not square: {header.width}x{header.height} pixels")
    elif header.width != EXPECTED_SIZE:
        yield _problem(
            f"icon.png is {header.width}x{header.height} pixels; use "
            f"{EXPECTED_SIZE}x{EXPECTED_SIZE}"
        )


@rule("icon-opaque", Severity.WARNING, needs=_NEEDS, severities=CUSTOM_INFO)
def icon_opaque(package: Package) -> Iterator[Problem]:
    """icon.png has no transparent pixels.

    What: every pixel is fully opaque (reference ICON-01: the background must be neither white
    nor transparent).
    Why: a transparent icon takes the colour of whatever is behind it and loses its brand color.
    Fix: fill the background with the brand color and export without an alpha channel.
    """
    image = _decoded(package)
    if not isinstance(image, Image):
        return
    alpha = image.rgba[3::4]
    transparent = len(alpha) - alpha.count(255)
    if transparent:
        yield _problem(
            f"icon.png has {transparent} of {len(alpha)} pixels that are not fully opaque"
        )


def background(image: Image) -> tuple[int, int, int, int]:
    """The most common colour of the outermost ring of pixels."""
    width, height = image.width, image.height
    ring = [(x, 0) for x in range(width)] + [(x, height - 1) for x in range(width)]
    ring += [(0, y) for y in range(1, height - 1)] + [(width - 1, y) for y in range(1, height - 1)]
    counts = Counter(image.pixel(x, y) for x, y in ring)
    return counts.most_common(1)[0][0]


def _brand_color(package: Package) -> tuple[int, int, int] | None:
    color = api_properties(package).properties.get("iconBrandColor")
    match = _COLOR.match(color) if isinstance(color, str) else None
    if match is None:
        return None
    value = bytes.fromhex(match.group(1))
    return value[0], value[1], value[2]


def _hex(color: tuple[int, ...]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in color[:3])


def _close(first: tuple[int, ...], second: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= COLOR_TOLERANCE for a, b in zip(first[:3], second[:3], strict=True))


@rule("icon-background", Severity.WARNING, needs=_NEEDS, severities=CUSTOM_INFO)
def icon_background(package: Package) -> Iterator[Problem]:
    """The icon's background is the brand color, and neither white nor transparent.

    What: the most common colour along the icon's edge is taken as its background; it must be
    opaque, not white, and equal to `iconBrandColor` in apiProperties.json (within a difference
    of 2 per channel) (reference ICON-01).
    Why: the platform draws the icon on the brand color; a different background shows as a box
    inside a box.
    Fix: fill the icon's background with the brand color, or set `iconBrandColor` to the
    background color.
    """
    image = _decoded(package)
    if not isinstance(image, Image):
        return
    color = background(image)
    if color[3] < 255:
        yield _problem("icon.png has a transparent background; fill it with the brand color")
        return
    if _close(color, WHITE):
        yield _problem("icon.png has a white background; use the brand color")
        return
    brand = _brand_color(package)
    if brand is not None and not _close(color, brand):
        yield _problem(
            f"icon.png's background {_hex(color)} differs from iconBrandColor {_hex(brand)}"
        )


@rule(
    "icon-independent-publisher",
    Severity.WARNING,
    needs=_NEEDS,
    profiles=(Profile.INDEPENDENT_PUBLISHER,),
)
def icon_independent_publisher(package: Package) -> Iterator[Problem]:
    """An independent-publisher package has no icon.png.

    What: independent-publisher pull requests must not include an icon (reference ICON-01 and
    the pull-request template).
    Why: independent-publisher connectors all share the platform's icon on #da3b01.
    Fix: remove icon.png from the package folder.
    """
    yield _problem("independent-publisher packages must not include icon.png")


RULES: tuple[Rule, ...] = (
    icon_png,
    icon_size,
    icon_opaque,
    icon_background,
    icon_independent_publisher,
)
