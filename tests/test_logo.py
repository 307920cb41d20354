"""Workspace logos: only whole raster images are kept; anything else is refused with a reason."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from lib import logo


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"),
                                           ("WEBP", "image/webp")])
def test_each_accepted_format_is_kept_and_read_back(data_dir, fmt, mime):
    data = image_bytes(fmt)
    assert logo.save_logo("ws", data, data_dir) == mime
    assert logo.load_logo("ws", data_dir) == data
    assert logo.data_uri(data).startswith(f"data:{mime};base64,")


@pytest.mark.parametrize(("data", "reason"), [
    (b"<svg onload='alert(1)'/>", "not a PNG, JPEG, GIF or WebP"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "damaged"),  # right signature, broken body
    (image_bytes()[:40], "damaged"),
])
def test_other_files_are_refused_and_the_old_logo_stays(data_dir, data, reason):
    kept = image_bytes()
    logo.save_logo("ws", kept, data_dir)
    with pytest.raises(logo.LogoError, match=reason):
        logo.save_logo("ws", data, data_dir)
    assert logo.load_logo("ws", data_dir) == kept


def test_too_large_files_and_canvases_are_refused(data_dir):
    with pytest.raises(logo.LogoError, match="at most 2 MB"):
        logo.save_logo("ws", b"\x89PNG\r\n\x1a\n" + b"\x00" * logo.MAX_LOGO_BYTES, data_dir)
    with pytest.raises(logo.LogoError, match="larger than"):
        logo.save_logo("ws", image_bytes("PNG", (5000, 5000)), data_dir)


def test_a_file_damaged_after_saving_is_ignored_and_remove_forgets_it(data_dir):
    logo.save_logo("ws", image_bytes(), data_dir)
    path = data_dir / "workspaces" / "ws" / "logo.bin"
    path.write_bytes(path.read_bytes()[:30])
    assert logo.load_logo("ws", data_dir) is None
    logo.remove_logo("ws", data_dir)
    assert not path.exists() and logo.load_logo("ws", data_dir) is None
