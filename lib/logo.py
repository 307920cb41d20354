"""A workspace's logo: one small raster image in the data directory, shown in presentation mode and the report.

Only PNG, JPEG, GIF and WebP are accepted, recognised by their first bytes rather than the file name. SVG is
refused on purpose: it is a document that can carry scripts, and the report embeds the logo in its HTML.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image

from lib import db

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4096 * 4096  # a small file can still claim a huge canvas (a decompression bomb)
_FILE = "logo.bin"

# (magic prefix, MIME type); WebP is RIFF....WEBP and checked separately.
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
               (b"GIF89a", "image/gif"))


class LogoError(ValueError):
    """The uploaded file cannot be used as a logo; the message says why."""


def image_type(data: bytes) -> str | None:
    """The MIME type of a PNG, JPEG, GIF or WebP image from its first bytes; None for anything else."""
    for magic, mime in _SIGNATURES:
        if data.startswith(magic):
            return mime
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def decodes(data: bytes) -> bool:
    """True when the bytes are a whole image of a sane size: a right signature alone can front a broken file."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_LOGO_PIXELS:
                return False
            image.verify()
    except Exception:  # Pillow raises many types for broken files; any of them means "not usable"
        return False
    return True


def _path(workspace_id: str, root: Path | None) -> Path:
    return (root or db.data_dir()) / "workspaces" / workspace_id / _FILE


def save_logo(workspace_id: str, data: bytes, root: Path | None = None) -> str:
    """Keep `data` as the workspace's logo (replacing any earlier one); returns its MIME type."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(f"The logo is {len(data) / 1024 / 1024:.1f} MB; at most "
                        f"{MAX_LOGO_BYTES // 1024 // 1024} MB, please use a smaller image.")
    mime = image_type(data)
    if mime is None:
        raise LogoError("This file is not a PNG, JPEG, GIF or WebP image.")
    if not decodes(data):
        side = int(MAX_LOGO_PIXELS ** 0.5)
        raise LogoError(f"This {mime.removeprefix('image/').upper()} file is damaged or larger than "
                        f"{side} × {side} pixels; please export it again.")
    db.atomic_write_bytes(_path(workspace_id, root), data)
    return mime


def load_logo(workspace_id: str, root: Path | None = None) -> bytes | None:
    path = _path(workspace_id, root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    # A file that is no longer an image we accept (edited by hand) is ignored rather than shown.
    return data if image_type(data) and decodes(data) else None


def remove_logo(workspace_id: str, root: Path | None = None) -> None:
    _path(workspace_id, root).unlink(missing_ok=True)


def data_uri(data: bytes) -> str:
    """The image as a data: URI for a self-contained HTML page; only accepted image types."""
    mime = image_type(data)
    if mime is None:
        raise LogoError("Not a PNG, JPEG, GIF or WebP image.")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
