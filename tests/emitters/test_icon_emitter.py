"""The icon: 230x230, opaque, background exactly the brand color, a white mark, same bytes."""

from __future__ import annotations

import io

import pytest

from retarus_connector.emitters.icon import ICON_SIZE, IndexedImage, icon_image
from retarus_connector.files.png import encode_png
from retarus_connector.models import CONNECTOR


def _decoded(png: bytes):  # type: ignore[no-untyped-def]
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    image.load()
    return image


@pytest.mark.parametrize("rgb", [CONNECTOR.brand_rgb, (200, 30, 40), (0, 0, 0)])
def test_icon_size_opacity_and_background(rgb: tuple[int, int, int]) -> None:
    image = _decoded(encode_png(icon_image(rgb))).convert("RGBA")
    assert image.size == (ICON_SIZE, ICON_SIZE) == (230, 230)
    alpha = image.getchannel("A")
    assert alpha.getextrema() == (255, 255)
    for corner in ((0, 0), (229, 0), (0, 229), (229, 229)):
        assert image.getpixel(corner) == (*rgb, 255)
    colors = {rgb_ for _, rgb_ in image.convert("RGB").getcolors(maxcolors=1 << 16)}
    assert (255, 255, 255) in colors, "the mark is white"


def test_background_dominates_and_the_mark_is_legible() -> None:
    image = _decoded(encode_png(icon_image(CONNECTOR.brand_rgb))).convert("RGB")
    counts = {color: count for count, color in image.getcolors(maxcolors=1 << 16)}
    white = counts[(255, 255, 255)]
    background = counts[CONNECTOR.brand_rgb]
    total = ICON_SIZE * ICON_SIZE
    assert background > total / 2
    assert white > total / 5
    assert image.getpixel((115, 98)) == CONNECTOR.brand_rgb, "the middle dot is cut out"
    assert image.getpixel((115, 70)) == (255, 255, 255), "the bubble is white"


def test_icon_bytes_are_identical_on_every_run() -> None:
    first = encode_png(icon_image(CONNECTOR.brand_rgb))
    assert encode_png(icon_image(CONNECTOR.brand_rgb)) == first
    assert encode_png(icon_image((1, 2, 3))) != first


def test_palette_starts_with_the_brand_color_and_ends_white() -> None:
    image = icon_image((10, 20, 30))
    assert image.palette[0] == (10, 20, 30)
    assert image.palette[-1] == (255, 255, 255)
    assert len(set(image.palette)) == len(image.palette)


def test_palette_shades_are_rounded_to_the_nearest_value() -> None:
    # 7 + 248 / 15 = 23.53: the first shade of (7, 7, 7) is 24, not 23.
    assert icon_image((7, 7, 7)).palette[1] == (24, 24, 24)


def test_a_pixel_may_not_index_past_the_palette() -> None:
    with pytest.raises(ValueError, match="palette"):
        IndexedImage(1, 1, ((0, 0, 0),), bytes([1]))
