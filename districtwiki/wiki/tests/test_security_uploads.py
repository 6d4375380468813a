"""Upload attacks (beyond the refused types in test_uploads.py): script in SVG or HTML under an image's name,
GIF/JavaScript polyglots, decompression bombs, path traversal and NUL bytes in names, and oversized files.

Each refusal asserts the status, the message and that nothing was written (no page, revision, upload, log
entry or stored file). What is accepted on purpose (a real GIF that is also valid JavaScript, a file name
that the multipart parser reduces to its last part) is checked to be stored safely and served inert.
"""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from districtwiki.wiki.models import FileUpload, LogEntry, Page

REFUSED_TYPES = "You can upload PNG, JPEG, GIF or WebP images"
SCRIPT_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, filename: str, content: bytes, name: str = "", comment: str = ""):
    data = {"file": SimpleUploadedFile(filename, content), "name": name, "comment": comment}
    return client.post("/special/upload", data)


BOUNDARY = "districtwiki-security-boundary"


def raw_upload(client, filename: str, content: bytes):
    """A multipart body written by hand, so the file name reaches the server exactly as an attacker sends it
    (the test client's own encoder would already have reduced it to its last part)."""
    head = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: image/png\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    return client.post("/special/upload", body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def png_bytes() -> bytes:
    png = io.BytesIO()
    Image.new("RGB", (2, 2)).save(png, "PNG")
    return png.getvalue()


def stored_files(root) -> list:
    return [path for path in root.parent.rglob("*") if path.is_file()]


def assert_refused(response, status: int, message: str, media_root) -> None:
    assert response.status_code == status
    assert message in response.content.decode()
    assert not FileUpload.objects.exists()
    assert not Page.objects.exists()
    assert not LogEntry.objects.exists()
    assert stored_files(media_root) == []


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A well-formed PNG (valid chunk CRCs) that declares huge dimensions over a little data: a bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\0" * 65536, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (1, 1)).save(buffer, "GIF")
    return buffer.getvalue()


def gif_declaring(width: int, height: int) -> bytes:
    data = bytearray(gif_bytes())
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def gif_js_polyglot() -> bytes:
    """A real GIF that is also JavaScript: `GIF89a/* …image… */=top.xss();` (the width opens a comment)."""
    data = bytearray(gif_bytes())
    data[6:8] = b"/*"
    return bytes(data) + b"*/=top.xss();//"


# --- Script under an image's name ---------------------------------------------------------------------

MARKUP = [
    ("svg with script named .png", "logo.png", SCRIPT_SVG, "This file is an SVG image"),
    ("svg after a byte-order mark", "logo.png", b"\xef\xbb\xbf \n" + SCRIPT_SVG, "This file is an SVG image"),
    ("svg after an xml comment", "logo.png", b"<!-- hi -->" + SCRIPT_SVG, "This file is an SVG image"),
    ("html named .png", "photo.png", b"<html><body><script>alert(1)</script></body></html>", "an HTML page"),
    ("html doctype in capitals", "photo.png", b"<!DOCTYPE HTML><script>alert(1)</script>", "an HTML page"),
    ("bare script named .png", "photo.png", b"<script>alert(1)</script>", "XML or HTML markup"),
    ("bare script named .txt", "notes.txt", b"\n\n  <script>alert(1)</script>", "XML or HTML markup"),
    ("svg named .gif", "anim.gif", SCRIPT_SVG, "This file is an SVG image"),
]


@pytest.mark.parametrize(
    ("filename", "content", "message"), [c[1:] for c in MARKUP], ids=[c[0] for c in MARKUP]
)
def test_script_under_an_image_name_is_refused(alice_client, media_root, filename, content, message):
    assert_refused(upload(alice_client, filename, content), 400, message, media_root)


def test_gzipped_svg_named_png_is_refused(alice_client, media_root):
    response = upload(alice_client, "logo.png", zlib.compress(SCRIPT_SVG))
    assert_refused(response, 400, "binary data of a type we do not recognise", media_root)


def test_markup_after_plain_text_is_stored_as_text_and_served_inert(alice_client, client):
    """Only a file that starts as markup is refused; later markup is text, and served as nothing else."""
    response = upload(
        alice_client, "notes.txt", b"Meeting notes\n<svg onload=alert(1)><script>alert(2)</script>"
    )
    assert response.status_code == 302
    served = client.get("/file/Notes.txt")
    assert served["Content-Type"] == "text/plain; charset=utf-8"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert served["Content-Disposition"].startswith("attachment")


# --- GIF / JavaScript polyglots ------------------------------------------------------------------------


def test_gif_header_followed_by_script_is_refused(alice_client, media_root):
    response = upload(alice_client, "x.gif", b"GIF89a/*\x00\x00*/=alert(1);")
    assert_refused(response, 400, "a damaged or unreadable image", media_root)


def test_gif_header_with_script_named_js_is_refused(alice_client, media_root):
    response = upload(alice_client, "x.js", gif_js_polyglot())
    assert_refused(response, 400, "ends in .js, but its content is a GIF image", media_root)


def test_valid_gif_that_is_also_javascript_is_served_only_as_an_image(alice_client, client):
    """Its bytes are a real image, so it is accepted; it can never be loaded as a script of this site
    (test_security_xss checks that in the browser): image/gif, nosniff, and a sandbox CSP."""
    assert upload(alice_client, "poly.gif", gif_js_polyglot()).status_code == 302
    served = client.get("/file/Poly.gif")
    assert served["Content-Type"] == "image/gif"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"


# --- Decompression bombs --------------------------------------------------------------------------------

BOMBS = [
    ("png over twice Pillow's limit", "bomb.png", lambda: png_declaring(100_000, 100_000)),
    ("png over Pillow's limit", "bomb.png", lambda: png_declaring(10_000, 10_000)),
    ("gif of 65535 squared", "bomb.gif", lambda: gif_declaring(65535, 65535)),
]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("filename", "make"), [c[1:] for c in BOMBS], ids=[c[0] for c in BOMBS])
def test_image_declaring_too_many_pixels_is_refused(alice_client, media_root, filename, make):
    response = upload(alice_client, filename, make())
    assert_refused(response, 400, "This file is an image with too many pixels", media_root)


def test_image_at_the_pixel_limit_is_accepted(alice_client, settings):
    image = io.BytesIO()
    Image.new("L", (100, 100)).save(image, "PNG")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Image, "MAX_IMAGE_PIXELS", 100 * 100)
        assert upload(alice_client, "edge.png", image.getvalue()).status_code == 302


# --- Names: path traversal and NUL bytes ----------------------------------------------------------------

NAMES = [
    ("dot-dot slash", "../../etc/passwd.png", "A file name cannot contain / or \\."),
    ("dot-dot backslash", "..\\..\\windows\\evil.png", "A file name cannot contain / or \\."),
    ("absolute path", "/etc/evil.png", "A file name cannot contain / or \\."),
    ("NUL byte", "evil\x00.png", "Titles cannot contain a control character (U+0000)."),
    ("NUL before extension", "evil.png\x00.txt", "Titles cannot contain a control character (U+0000)."),
    ("line break", "evil\n.png", "Titles cannot contain a control character (U+000A)."),
]


@pytest.mark.parametrize(("name", "message"), [c[1:] for c in NAMES], ids=[c[0] for c in NAMES])
def test_dangerous_name_is_refused(alice_client, media_root, name, message):
    response = upload(alice_client, "x.png", png_bytes(), name=name)
    assert_refused(response, 400, message, media_root)


@pytest.mark.parametrize(
    "filename", ["../../evil.png", "..\\..\\evil.png", "evil\x00.png", "/tmp/evil.png", "&#46;&#46;/evil.png"]
)
def test_uploaded_file_name_is_reduced_to_a_safe_name_inside_the_media_root(
    alice_client, media_root, filename
):
    """Without a typed name the file's own name is used; the multipart parser keeps only its last part and
    drops unprintable characters, so nothing can land outside the upload directory."""
    response = raw_upload(alice_client, filename, png_bytes())
    assert response.status_code == 302
    assert response["Location"] == "/wiki/File:Evil.png"
    stored = stored_files(media_root)
    assert len(stored) == 1 and stored[0].is_relative_to(media_root)


def test_file_name_of_only_dots_is_refused(alice_client, media_root):
    response = raw_upload(alice_client, "..", b"plain text")
    assert_refused(response, 400, "Choose a file to upload.", media_root)


# --- Size ------------------------------------------------------------------------------------------------


def test_oversized_file_is_refused(alice_client, media_root, settings):
    settings.MAX_UPLOAD_BYTES = 4096
    response = upload(alice_client, "big.txt", b"a" * 5000)
    assert_refused(response, 413, "The file is larger than the upload limit of 4.0 KB.", media_root)


def test_oversized_image_is_refused_before_it_is_decoded(alice_client, media_root, settings):
    settings.MAX_UPLOAD_BYTES = 4096
    response = upload(alice_client, "bomb.png", png_declaring(100_000, 100_000) + b"\0" * 8192)
    assert_refused(response, 413, "The file is larger than the upload limit of 4.0 KB.", media_root)
