"""A small real PNG for the interchange tests (the upload checks open it with Pillow)."""

import io

from PIL import Image


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG_BYTES = _png()
