"""The icon rules (ICON-01) and the PNG decoder behind them."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import pytest
from certification_samples import BRAND, clean_icon, clean_properties, write_png
from lint_packages import make_package, run_rule
from PIL import Image as PillowImage

from retarus_connector.lint.model import FileKind, Profile, Rule
from retarus_connector.lint.rules import icon


def brand_square(size: int = 230, **options: Any) -> bytes:
    return write_png(size, size, lambda x, y: BRAND, **options)


def problems(rule: Rule, data: bytes, swagger: Any, **options: Any) -> list[str]:
    package = make_package(swagger, clean_properties(), icon=data, **options)
    found = run_rule(rule, package)
    assert all(problem.file is FileKind.ICON for problem in found)
    return [problem.message for problem in found]


def pillow_rgba(data: bytes) -> bytes:
    with PillowImage.open(io.BytesIO(data)) as image:
        return image.convert("RGBA").tobytes()


def pattern(channels: int, limit: int = 256) -> Any:
    return lambda x, y: [(x * 7 + y * 13 + c * 51) % limit for c in range(channels)]


VARIANTS = [
    ("rgb", {"color_type": 2}, 3, 256),
    ("rgba", {"color_type": 6}, 4, 256),
    ("grey", {"color_type": 0}, 1, 256),
    ("grey-alpha", {"color_type": 4}, 2, 256),
    ("grey-2bit", {"color_type": 0, "bit_depth": 2}, 1, 4),
    ("palette-8bit", {"color_type": 3, "palette": bytes(range(48)) * 16}, 1, 256),
    ("palette-4bit", {"color_type": 3, "bit_depth": 4, "palette": bytes(range(48))}, 1, 16),
    (
        "palette-1bit",
        {"color_type": 3, "bit_depth": 1, "palette": b"\x00\x00\x00\xff\xff\xff"},
        1,
        2,
    ),
    (
        "palette-alpha",
        {"color_type": 3, "bit_depth": 2, "palette": bytes(range(12)), "transparency": b"\x00\x80"},
        1,
        4,
    ),
]


@pytest.mark.parametrize(
    ("options", "channels", "limit"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS]
)
def test_decoder_matches_pillow_for_every_filter(
    options: dict[str, Any], channels: int, limit: int
) -> None:
    data = write_png(13, 9, pattern(channels, limit), filters=(0, 1, 2, 3, 4), **options)
    image = icon.decode(data)
    assert (image.width, image.height) == (13, 9)
    assert image.rgba == pillow_rgba(data)


def test_variants_it_does_not_decode_itself_go_to_pillow() -> None:
    # colour-key transparency on an RGB image
    data = write_png(4, 4, lambda x, y: (x * 60, 0, 0), transparency=b"\x00\x00\x00\x00\x00\x00")
    assert icon.decode(data).rgba == pillow_rgba(data)
    buffer = io.BytesIO()
    PillowImage.new("I;16", (5, 5), 1000).save(buffer, format="PNG")  # 16-bit grey
    sixteen = buffer.getvalue()
    assert icon.decode(sixteen).rgba == pillow_rgba(sixteen)


def _with_crc(data: bytes, offset: int, kind: bytes, body: bytes) -> bytes:
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return data[:offset] + chunk


DAMAGED = {
    "not-png": (b"GIF89a" + bytes(40), "PNG signature"),
    "truncated": (clean_icon()[:60], "truncated"),
    "bad-crc": (clean_icon()[:29] + b"\x00\x00\x00\x00" + clean_icon()[33:], "CRC"),
    "bad-zlib": (
        _with_crc(clean_icon(), 33, b"IDAT", b"not zlib") + _with_crc(b"", 0, b"IEND", b""),
        "does not decompress",
    ),
    "short-data": (
        _with_crc(clean_icon(), 33, b"IDAT", zlib.compress(b"\x00" * 100))
        + _with_crc(b"", 0, b"IEND", b""),
        "shorter than the image",
    ),
}


@pytest.mark.parametrize(("data", "fragment"), DAMAGED.values(), ids=list(DAMAGED))
def test_damaged_png_is_a_finding(data: bytes, fragment: str, minimal_swagger: Any) -> None:
    (message,) = problems(icon.icon_png, data, minimal_swagger)
    assert fragment in message
    for rule in (icon.icon_opaque, icon.icon_background, icon.icon_size):
        problems(rule, data, minimal_swagger)  # never raises


def test_a_readable_png_passes_icon_png(minimal_swagger: Any) -> None:
    assert problems(icon.icon_png, brand_square(), minimal_swagger) == []


@pytest.mark.parametrize(
    ("width", "height", "fragment"),
    [(229, 230, "not square"), (200, 200, "200x200 pixels; use 230x230")],
)
def test_icon_size(width: int, height: int, fragment: str, minimal_swagger: Any) -> None:
    data = write_png(width, height, lambda x, y: BRAND)
    (message,) = problems(icon.icon_size, data, minimal_swagger)
    assert fragment in message


def test_icon_size_passes_230(minimal_swagger: Any) -> None:
    assert problems(icon.icon_size, brand_square(), minimal_swagger) == []


def test_icon_opaque(minimal_swagger: Any) -> None:
    half_transparent = write_png(
        230, 230, lambda x, y: (*BRAND, 255 if y < 115 else 0), color_type=6
    )
    (message,) = problems(icon.icon_opaque, half_transparent, minimal_swagger)
    assert "26450 of 52900 pixels" in message
    opaque_rgba = write_png(230, 230, lambda x, y: (*BRAND, 255), color_type=6)
    assert problems(icon.icon_opaque, opaque_rgba, minimal_swagger) == []


@pytest.mark.parametrize(
    ("pixel", "color_type", "fragment"),
    [
        (lambda x, y: (255, 255, 255), 2, "white background"),
        (lambda x, y: (0, 0, 0, 0), 6, "transparent background"),
        (lambda x, y: (200, 30, 30), 2, "#c81e1e differs from iconBrandColor #1f6fb2"),
    ],
    ids=["white", "transparent", "other-color"],
)
def test_icon_background_reported(
    pixel: Any, color_type: int, fragment: str, minimal_swagger: Any
) -> None:
    data = write_png(230, 230, pixel, color_type=color_type)
    (message,) = problems(icon.icon_background, data, minimal_swagger)
    assert fragment in message


def test_icon_background_passes_on_the_brand_color_within_tolerance(minimal_swagger: Any) -> None:
    near = (BRAND[0] + 2, BRAND[1] - 1, BRAND[2])
    data = write_png(230, 230, lambda x, y: near if (x, y) != (0, 0) else (0, 0, 0))
    assert problems(icon.icon_background, data, minimal_swagger) == []


def test_independent_publishers_ship_no_icon(minimal_swagger: Any) -> None:
    data = brand_square()
    ip = problems(
        icon.icon_independent_publisher,
        data,
        minimal_swagger,
        profile=Profile.INDEPENDENT_PUBLISHER,
    )
    assert ip == ["independent-publisher packages must not include icon.png"]
    assert problems(icon.icon_independent_publisher, data, minimal_swagger) == []
    without_icon = make_package(minimal_swagger, profile=Profile.INDEPENDENT_PUBLISHER)
    assert run_rule(icon.icon_independent_publisher, without_icon) == []


def test_huge_dimensions_are_not_decoded(minimal_swagger: Any) -> None:
    header = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    data = _with_crc(b"\x89PNG\r\n\x1a\n", 8, b"IHDR", header) + _with_crc(b"", 0, b"IEND", b"")
    (message,) = problems(icon.icon_png, data, minimal_swagger)
    assert "too large" in message
    (size,) = problems(icon.icon_size, data, minimal_swagger)  # the header alone tells the size
    assert "100000x100000" in size


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in icon.RULES} == {
        "icon-png": "warning",
        "icon-size": "warning",
        "icon-opaque": "warning",
        "icon-background": "warning",
        "icon-independent-publisher": "warning",
    }


def test_background_counts_every_pixel_of_the_outer_ring() -> None:
    # 3x3: top and bottom rows hold blue three times and red twice; the two middle pixels of
    # the left and right edges are red and decide it
    red, blue, green = (255, 0, 0, 255), (0, 0, 255, 255), (0, 255, 0, 255)
    rows = [[blue, red, blue], [red, green, red], [red, blue, green]]
    rgba = bytes(value for row in rows for pixel in row for value in pixel)
    assert icon.background(icon.Image(3, 3, rgba)) == red
