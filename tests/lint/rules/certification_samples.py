"""Samples for the certification rule tests: a clean companion for every file of a package
(apiProperties, readme, script, icon) to go with `minimal_swagger`, and a PNG writer.

A plain module with a name of its own, like tests/lint/lint_packages.py."""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Callable, Sequence
from typing import Any

BRAND = (0x1F, 0x6F, 0xB2)
BRAND_HEX = "#1f6fb2"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _paeth(left: int, up: int, corner: int) -> int:
    estimate = left + up - corner
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    if distances[0] <= distances[1] and distances[0] <= distances[2]:
        return left
    return up if distances[1] <= distances[2] else corner


def _filter_row(kind: int, row: bytes, previous: bytes, bpp: int) -> bytes:
    out = bytearray()
    for i, value in enumerate(row):
        left = row[i - bpp] if i >= bpp else 0
        up = previous[i]
        corner = previous[i - bpp] if i >= bpp else 0
        predictor = (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
        out.append((value - predictor) & 255)
    return bytes(out)


def write_png(
    width: int,
    height: int,
    pixel: Callable[[int, int], Sequence[int]],
    *,
    color_type: int = 2,
    bit_depth: int = 8,
    palette: bytes = b"",
    transparency: bytes | None = None,
    filters: Sequence[int] = (0,),
) -> bytes:
    """A PNG whose pixel (x, y) has the samples `pixel(x, y)` (palette index for type 3);
    row y uses filter `filters[y % len(filters)]`, so tests can exercise each filter type."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    bpp = max(1, channels * bit_depth // 8)
    stride = (width * channels * bit_depth + 7) // 8
    raw = bytearray()
    previous = bytes(stride)
    for y in range(height):
        if bit_depth == 8:
            row = bytes(sample for x in range(width) for sample in pixel(x, y))
        else:
            per_byte = 8 // bit_depth
            packed = bytearray(stride)
            for x in range(width):
                value = pixel(x, y)[0]
                shift = 8 - bit_depth * (x % per_byte + 1)
                packed[x // per_byte] |= value << shift
            row = bytes(packed)
        kind = filters[y % len(filters)]
        raw.append(kind)
        raw += _filter_row(kind, row, previous, bpp)
        previous = row
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
    if palette:
        data += _chunk(b"PLTE", palette)
    if transparency is not None:
        data += _chunk(b"tRNS", transparency)
    return data + _chunk(b"IDAT", zlib.compress(bytes(raw))) + _chunk(b"IEND", b"")


@functools.cache
def clean_icon() -> bytes:
    """A 230x230 opaque icon on the brand color with a white mark in the middle."""

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        return (255, 255, 255) if 80 <= x < 150 and 80 <= y < 150 else BRAND

    return write_png(230, 230, pixel, filters=(0, 1, 2, 3, 4))


def clean_properties() -> dict[str, Any]:
    """An apiProperties.json that passes every rule with `minimal_swagger` (basic auth)."""
    return {
        "properties": {
            "iconBrandColor": BRAND_HEX,
            "capabilities": ["actions"],
            "publisher": "Contoso",
            "stackOwner": "Contoso",
            "connectionParameters": {
                "username": {
                    "type": "securestring",
                    "uiDefinition": {
                        "displayName": "User name",
                        "description": "The user name of the Contoso account.",
                        "tooltip": "Provide the user name",
                        "constraints": {"tabIndex": 2, "clearText": True, "required": "true"},
                    },
                },
                "password": {
                    "type": "securestring",
                    "uiDefinition": {
                        "displayName": "Password",
                        "description": "The password of the Contoso account.",
                        "tooltip": "Provide the password",
                        "constraints": {"tabIndex": 3, "clearText": False, "required": "true"},
                    },
                },
            },
            "policyTemplateInstances": [
                {
                    "templateId": "setheader",
                    "title": "Client header",
                    "parameters": {
                        "x-ms-apimTemplateParameter.name": "X-Client",
                        "x-ms-apimTemplateParameter.value": "@connectionParameters('username')",
                        "x-ms-apimTemplateParameter.existsAction": "override",
                        "x-ms-apimTemplate-policySection": "Request",
                        "x-ms-apimTemplate-operationName": ["GetMessage"],
                    },
                }
            ],
        }
    }


CLEAN_README = """# Contoso Messages

Contoso Messages sends and tracks text messages.

## Publisher: Contoso

## Prerequisites

A Contoso account.

## Supported Operations

### Get a message

Returns one message by its identifier.

## Obtaining Credentials

Sign up at contoso.example and use your user name and password.

## Known Issues and Limitations

None known.

## Deployment Instructions

Run `paconn create` with the files of this folder.
"""


CLEAN_SCRIPT = """public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
    }
}
"""
