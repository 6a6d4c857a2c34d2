"""The check-in QR code as inline SVG (segno): on the meeting page and on the projector."""

import segno


def qr_svg(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)
