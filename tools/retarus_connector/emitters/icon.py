"""The connector icon: a white speech bubble on the brand color, drawn by code.

The icon must regenerate byte for byte on every machine (`build --check` compares it), so
nothing version-dependent touches it:
- Pillow rasterises polygons differently from release to release (10.4 and 11 disagree on the
  edges of the same triangle), so the shapes here are rasterised in plain Python: each pixel's
  coverage is counted on a 4x4 grid of sample points from exact span arithmetic;
- Pillow's PNG encoder hands compression to whatever zlib it is linked against, so the files
  layer encodes the PNG itself (`files.png`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ICON_SIZE = 230  # what certification expects (reference section 4, ICON-01)
SHADES = 16  # palette entries from the brand color (index 0) to white (index 15)
_SAMPLES = 4  # sample points per pixel along each axis

# The mark in icon coordinates (0..230): a bubble body, its tail and three dots cut out of it.
_BODY = (36.0, 46.0, 194.0, 150.0)
_BODY_RADIUS = 28.0
_TAIL = ((64.0, 140.0), (104.0, 140.0), (54.0, 190.0))
_DOT_CENTERS = ((80.0, 98.0), (115.0, 98.0), (150.0, 98.0))
_DOT_RADIUS = 12.0

Span = tuple[float, float]


@dataclass(frozen=True)
class IndexedImage:
    """A palette image: one palette index per pixel, row by row."""

    width: int
    height: int
    palette: tuple[tuple[int, int, int], ...]
    pixels: bytes

    def __post_init__(self) -> None:
        if len(self.pixels) != self.width * self.height:
            raise ValueError("pixel count does not match the image size")
        if max(self.pixels, default=0) >= len(self.palette):
            raise ValueError("a pixel indexes past the end of the palette")


def icon_image(brand_rgb: tuple[int, int, int]) -> IndexedImage:
    """The icon for a brand color. Palette index 0 is exactly that color, so the background
    matches apiProperties' iconBrandColor; the other entries blend towards white for the
    anti-aliased edges of the mark."""
    palette = tuple(_blend_to_white(brand_rgb, shade) for shade in range(SHADES))
    per_pixel = _SAMPLES * _SAMPLES
    pixels = bytes(
        (covered * (SHADES - 1) + per_pixel // 2) // per_pixel for covered in _mark_coverage()
    )
    return IndexedImage(ICON_SIZE, ICON_SIZE, palette, pixels)


def _mark_coverage() -> list[int]:
    """For each pixel, how many of its sample points the white mark covers."""
    width = ICON_SIZE * _SAMPLES
    coverage = [0] * (ICON_SIZE * ICON_SIZE)
    for sample_row in range(ICON_SIZE * _SAMPLES):
        y = (sample_row + 0.5) / _SAMPLES
        inside = bytearray(width)
        for span in (*_rounded_rectangle_span(y), *_triangle_span(y)):
            _fill(inside, span, 1)
        for center in _DOT_CENTERS:
            for span in _circle_span(center, _DOT_RADIUS, y):
                _fill(inside, span, 0)
        base = (sample_row // _SAMPLES) * ICON_SIZE
        for column in range(ICON_SIZE):
            start = column * _SAMPLES
            coverage[base + column] += sum(inside[start : start + _SAMPLES])
    return coverage


def _fill(samples: bytearray, span: Span, value: int) -> None:
    """Set the sample points whose centers lie within the span (icon coordinates)."""
    first = max(0, math.ceil(span[0] * _SAMPLES - 0.5))
    last = min(len(samples) - 1, math.floor(span[1] * _SAMPLES - 0.5))
    if first <= last:
        samples[first : last + 1] = bytes([value]) * (last - first + 1)


def _rounded_rectangle_span(y: float) -> list[Span]:
    left, top, right, bottom = _BODY
    if not top <= y <= bottom:
        return []
    corner_distance = max(top + _BODY_RADIUS - y, y - (bottom - _BODY_RADIUS), 0.0)
    inset = _BODY_RADIUS - math.sqrt(_BODY_RADIUS**2 - corner_distance**2)
    return [(left + inset, right - inset)]


def _triangle_span(y: float) -> list[Span]:
    crossings = []
    for (x0, y0), (x1, y1) in zip(_TAIL, (*_TAIL[1:], _TAIL[0]), strict=True):
        if y0 != y1 and min(y0, y1) <= y <= max(y0, y1):
            crossings.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return [(min(crossings), max(crossings))] if crossings else []


def _circle_span(center: tuple[float, float], radius: float, y: float) -> list[Span]:
    offset = y - center[1]
    if abs(offset) > radius:
        return []
    half_width = math.sqrt(radius**2 - offset**2)
    return [(center[0] - half_width, center[0] + half_width)]


def _blend_to_white(rgb: tuple[int, int, int], shade: int) -> tuple[int, int, int]:
    last = SHADES - 1
    red, green, blue = (channel + ((255 - channel) * shade + last // 2) // last for channel in rgb)
    return red, green, blue
