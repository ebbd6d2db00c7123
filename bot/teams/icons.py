"""Draws the Teams app icons with the standard library only (zlib + struct).

Run ``python -m bot.teams.icons`` to regenerate ``app_package/color.png``
(192x192, full colour) and ``app_package/outline.png`` (32x32, white on
transparent, as Teams requires). The PNGs are committed; nothing runs at serve time.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

Pixel = tuple[int, int, int, int]
PACKAGE_DIR = Path(__file__).resolve().parent / "app_package"
BLUE: Pixel = (31, 111, 178, 255)
WHITE: Pixel = (255, 255, 255, 255)
CLEAR: Pixel = (0, 0, 0, 0)


def png_bytes(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An RGBA PNG whose pixel (x, y) is ``pixel(x, y)``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _in_bubble(u: float, v: float) -> bool:
    """A speech bubble in unit coordinates: rounded box plus a tail at the bottom left."""
    left, right, top, bottom, radius = 0.18, 0.82, 0.2, 0.68, 0.1
    cx = min(max(u, left + radius), right - radius)
    cy = min(max(v, top + radius), bottom - radius)
    if left <= u <= right and top <= v <= bottom and (u - cx) ** 2 + (v - cy) ** 2 <= radius**2:
        return True
    # Tail: a triangle under the box.
    return bottom <= v <= 0.82 and 0.3 <= u <= 0.3 + (0.82 - v) * 1.1


def _on_check(u: float, v: float, width: float) -> bool:
    """A check mark inside the bubble."""

    def near(ax: float, ay: float, bx: float, by: float) -> bool:
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
        return (u - ax - t * dx) ** 2 + (v - ay - t * dy) ** 2 <= width**2

    return near(0.34, 0.45, 0.46, 0.56) or near(0.46, 0.56, 0.67, 0.33)


def color_pixel(x: int, y: int, size: int = 192) -> Pixel:
    u, v = (x + 0.5) / size, (y + 0.5) / size
    if _in_bubble(u, v):
        return BLUE if _on_check(u, v, 0.04) else WHITE
    return BLUE


def outline_pixel(x: int, y: int, size: int = 32) -> Pixel:
    u, v = (x + 0.5) / size, (y + 0.5) / size
    inner = _in_bubble(0.5 + (u - 0.5) * 1.25, 0.5 + (v - 0.45) * 1.25)
    if _in_bubble(u, v) and not inner:
        return WHITE
    return WHITE if _on_check(u, v, 0.045) else CLEAR


def write_icons(directory: Path = PACKAGE_DIR) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    color = directory / "color.png"
    outline = directory / "outline.png"
    color.write_bytes(png_bytes(192, 192, color_pixel))
    outline.write_bytes(png_bytes(32, 32, outline_pixel))
    return color, outline


if __name__ == "__main__":
    for path in write_icons():
        print(path)
