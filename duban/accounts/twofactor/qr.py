"""The enrolment QR code, drawn on the server as inline SVG (segno): no script, no image
service, nothing for a Content-Security-Policy to allow."""

from __future__ import annotations

import base64

import segno
from django.utils.safestring import SafeString, mark_safe


def svg(text: str, *, title: str = "") -> SafeString:
    code = segno.make(text, error="m", micro=False)
    drawing: str = code.svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=title, omitsize=True
    )
    return mark_safe(drawing)  # segno escapes the title; the rest is its own markup


def manual_key(binary_key: bytes) -> str:
    """The secret as an app asks for it when typed by hand: base32, in groups of four."""
    text = base64.b32encode(binary_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
