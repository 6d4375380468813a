"""Uploading files: what may be uploaded, decided by the content and never by the name, and the upload action.

Only formats a browser will not run as a page of our site are accepted: raster images, PDF, Office Open XML
documents and plain UTF-8 text. SVG, HTML and XML are refused even though they are text, because they can
carry script. The file's extension must agree with what the content is; it is kept as typed, lower-cased
(`.PNG` becomes `.png`), so that a red link to the name turns blue once the file is uploaded.
"""

import codecs
import contextlib
import hashlib
import os
import zipfile
import zlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image

from . import access, actions, people
from .actions import WikiError
from .models import FileUpload, LogEntry, Page
from .titles import InvalidTitle, normalize_title

FILE_PREFIX = "File:"
HEAD_BYTES = 8192  # enough for every signature we look at
MANIFEST_MAX_BYTES = 1024 * 1024  # a real [Content_Types].xml is a few KiB; more is a zip bomb or junk
NEW_PAGE_TEXT = "Uploaded file."
FRESH_NAME_TRIES = 20  # "Name.png", "Name 2.png" … "Name 20.png": looked up in one query


class UploadRefused(WikiError):
    status = 400


class UploadTooLarge(WikiError):
    status = 413


class FileNameTaken(WikiError):
    status = 409


@dataclass(frozen=True)
class FileKind:
    label: str  # what the content is, for messages: "a PNG image"
    content_type: str
    extensions: tuple[str, ...]  # the first is the canonical one

    @property
    def extension(self) -> str:
        return self.extensions[0]


PNG = FileKind("a PNG image", "image/png", (".png",))
JPEG = FileKind("a JPEG image", "image/jpeg", (".jpg", ".jpeg"))
GIF = FileKind("a GIF image", "image/gif", (".gif",))
WEBP = FileKind("a WebP image", "image/webp", (".webp",))
PDF = FileKind("a PDF document", "application/pdf", (".pdf",))
DOCX = FileKind(
    "a Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileKind(
    "an Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
PPTX = FileKind(
    "a PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
CSV = FileKind("a CSV table", "text/csv; charset=utf-8", (".csv",))
TEXT = FileKind("plain text", "text/plain; charset=utf-8", (".txt",))

ALLOWED_TYPES = (
    "PNG, JPEG, GIF or WebP images; PDF documents; Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) files; "
    "CSV or plain-text (.txt) files"
)
IMAGE_KINDS = {"PNG": PNG, "JPEG": JPEG, "GIF": GIF, "WEBP": WEBP}  # keyed by Pillow's format name
IMAGE_SIGNATURES = {"png", "jpg", "gif", "webp"}  # filetype's names for the same formats
# Each OOXML type is told apart by the main part its manifest declares; the macro-enabled variants
# (.docm, .xlsm, .pptm) declare different ones, so they are refused.
OFFICE_PARTS = (
    ("word/", DOCX, b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    ("xl/", XLSX, b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    ("ppt/", PPTX, b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
)
REFUSED_BINARIES = {
    "elf": "a Linux program (ELF executable)",
    "exe": "a Windows program (EXE)",
    "zip": "a ZIP archive",
}


@dataclass(frozen=True)
class Inspection:
    """What an uploaded file's content turned out to be."""

    kind: FileKind
    width: int | None = None
    height: int | None = None


def refused(detected: str) -> UploadRefused:
    return UploadRefused(
        f"This file is {detected}, which cannot be uploaded. You can upload {ALLOWED_TYPES}."
    )


def too_large(size: int | None = None) -> UploadTooLarge:
    limit = _human_size(settings.MAX_UPLOAD_BYTES)
    if size is None:
        return UploadTooLarge(f"The file is larger than the upload limit of {limit}.")
    return UploadTooLarge(f"The file is {_human_size(size)}; the upload limit is {limit}.")


def _human_size(size: int) -> str:
    return filesizeformat(size).replace("\xa0", " ")


# --- Names ------------------------------------------------------------------------------------------------


def file_title(name: str) -> str:
    """The File: title for a name a person typed (or their file's own name), or InvalidTitle."""
    name = name.strip()
    if name[: len(FILE_PREFIX)].lower() == FILE_PREFIX.lower():
        name = name[len(FILE_PREFIX) :]
    if not name.strip():
        raise InvalidTitle("Give the file a name, such as “Budget 2025.pdf”.")
    if "/" in name or "\\" in name:
        raise InvalidTitle("A file name cannot contain / or \\.")
    title = normalize_title(FILE_PREFIX + name)
    stem, extension = os.path.splitext(file_name(title))
    if not stem or len(extension) < 2:
        raise InvalidTitle(
            f"“{file_name(title)}” has no extension: end the name in one such as .png or .pdf."
        )
    return title


def file_name(title: str) -> str:
    """The name part of a File: title: "File:Logo.png" → "Logo.png"."""
    return title.removeprefix(FILE_PREFIX)


def _extension(title: str) -> str:
    return os.path.splitext(title)[1].lower()


def _canonical_title(title: str, kind: FileKind) -> str:
    extension = _extension(title)
    if extension not in kind.extensions:
        raise UploadRefused(
            f"“{file_name(title)}” ends in {extension}, but its content is {kind.label}. "
            f"Rename it to end in {kind.extension}."
        )
    # Keep the extension as typed (lower-cased), so a red link to the name turns blue after the upload.
    return normalize_title(os.path.splitext(title)[0] + extension)


# --- Content ----------------------------------------------------------------------------------------------


def check_size(size: int) -> None:
    if not size:
        raise UploadRefused("The file is empty: choose a file that has something in it.")
    if size > settings.MAX_UPLOAD_BYTES:
        raise too_large(size)


def inspect_content(uploaded_file, extension: str) -> Inspection:
    """What the file is, judged by its bytes; UploadRefused for anything not allowed."""
    head = _read_head(uploaded_file)
    if head.startswith(b"%PDF-"):
        return Inspection(PDF)
    if head.startswith(b"PK\x03\x04"):
        return Inspection(_office_kind(uploaded_file))
    guess = filetype.guess(head)
    if guess is not None and guess.extension in IMAGE_SIGNATURES:
        return _inspect_image(uploaded_file)
    if guess is None and _is_text(uploaded_file):
        _refuse_markup(head)
        return Inspection(CSV if extension == ".csv" else TEXT)
    if guess is None:
        raise refused("binary data of a type we do not recognise")
    raise refused(REFUSED_BINARIES.get(guess.extension, f"a {guess.extension.upper()} file ({guess.mime})"))


def _read_head(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    return head


def _inspect_image(uploaded_file) -> Inspection:
    try:
        with Image.open(uploaded_file, formats=list(IMAGE_KINDS)) as image:
            kind = IMAGE_KINDS[image.format]
            width, height = image.size
            image.verify()
    except Image.DecompressionBombError:
        raise refused("an image with too many pixels") from None
    except Exception:  # Pillow raises many different exception types for malformed data
        raise refused("a damaged or unreadable image") from None
    finally:
        uploaded_file.seek(0)
    if width * height > Image.MAX_IMAGE_PIXELS:
        raise refused("an image with too many pixels")
    return Inspection(kind, width, height)


def _office_kind(uploaded_file) -> FileKind:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
            manifest = _read_manifest(archive)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError, ValueError, OSError):
        raise refused("a damaged or unreadable ZIP archive") from None
    finally:
        uploaded_file.seek(0)
    for prefix, kind, main_part in OFFICE_PARTS:
        if main_part in manifest and any(name.startswith(prefix) for name in names):
            return kind
    if b"macroEnabled" in manifest:
        raise refused("a macro-enabled Office document")
    raise refused("a ZIP archive that is not a Word, Excel or PowerPoint document")


def _read_manifest(archive: zipfile.ZipFile) -> bytes:
    """[Content_Types].xml, read with a hard bound so a zip bomb cannot expand in memory."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return b""
    if info.file_size > MANIFEST_MAX_BYTES:
        raise refused("a ZIP archive with an implausibly large manifest")
    with archive.open(info) as manifest:
        # The declared size can lie, so the read itself is bounded too.
        data = manifest.read(MANIFEST_MAX_BYTES + 1)
    if len(data) > MANIFEST_MAX_BYTES:
        raise refused("a ZIP archive with an implausibly large manifest")
    return data


def _is_text(uploaded_file) -> bool:
    """Valid UTF-8 from start to end, without NUL bytes (which no text file needs)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in uploaded_file.chunks():
            if b"\0" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        uploaded_file.seek(0)
    return True


def _refuse_markup(head: bytes) -> None:
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if not start.startswith(b"<"):
        return
    if b"<svg" in start:
        raise refused("an SVG image")
    if b"<html" in start or b"<!doctype html" in start:
        raise refused("an HTML page")
    raise refused("XML or HTML markup")


def _sha1(uploaded_file) -> str:
    digest = hashlib.sha1()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


# --- The action -------------------------------------------------------------------------------------------


def upload_file(name: str, uploaded_file, user, comment: str = "", *, fresh_name: bool = False) -> FileUpload:
    """Store `uploaded_file` as the new current version of File:<name>, creating the page if needed.

    `uploaded_file` is any Django File (an UploadedFile from a form, a ContentFile from the API). The name
    defaults to the file's own name. With `fresh_name` (an image pasted into the editor, whose name is often
    just "image.png") the file never becomes a new version of another: it gets the first name of "Name.png",
    "Name 2.png"… that no page has. Raises UploadRefused, UploadTooLarge, FileNameTaken, InvalidTitle,
    PermissionDenied.
    """
    access.check_can_edit(user, None)
    title = file_title(name or uploaded_file.name or "")
    check_size(uploaded_file.size)
    found = inspect_content(uploaded_file, _extension(title))
    title = _canonical_title(title, found.kind)
    if fresh_name:
        title = free_title(title)
    upload = FileUpload(
        content_type=found.kind.content_type,
        size=uploaded_file.size,
        sha1=_sha1(uploaded_file),
        width=found.width,
        height=found.height,
        uploader=user if access.is_signed_in(user) else None,
        comment=" ".join(comment.split())[:500],
    )
    try:
        with transaction.atomic():
            _store(upload, title, uploaded_file, user, fresh_name)
    except Exception:
        # The database rolled back; do not leave the bytes behind in storage either.
        if upload.file.name:
            upload.file.storage.delete(upload.file.name)
        raise
    return upload


def free_title(title: str) -> str:
    """The first of "File:Name.png", "File:Name 2.png"… no page has (live or deleted), or FileNameTaken."""
    stem, extension = os.path.splitext(title)
    candidates = [title] + [f"{stem} {number}{extension}" for number in range(2, FRESH_NAME_TRIES + 1)]
    taken = set(Page.objects.filter(title__in=candidates).values_list("title", flat=True))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    raise FileNameTaken(
        f"There are already {FRESH_NAME_TRIES} files called “{file_name(title)}”: rename yours."
    )


def _store(upload: FileUpload, title: str, uploaded_file, user, fresh_name: bool = False) -> None:
    page = _lock_or_create_page(title, user, upload.comment)
    current = page.uploads.only("sha1").first()
    if fresh_name and current is not None:
        # Someone else took the name between free_title and this lock.
        raise FileNameTaken(f"A file called “{file_name(title)}” was uploaded just now: try again.")
    if current is not None and current.sha1 == upload.sha1:
        raise UploadRefused(
            f"This file is identical to the current version of “{title}”, so nothing was uploaded."
        )
    now = timezone.now()
    upload.page, upload.timestamp = page, now
    upload.file.save(_stored_name(title), uploaded_file, save=False)
    upload.save()
    page.touched_at = now  # the page shows the file, so views cached by touched_at must refresh
    page.save(update_fields=["touched_at"])
    LogEntry.objects.create(
        action=LogEntry.Action.UPLOAD,
        page=page,
        user=upload.uploader,
        timestamp=now,
        note=upload.comment or f"Uploaded {upload.size} bytes",
    )


def _lock_or_create_page(title: str, user, comment: str) -> Page:
    page = _lock_page(title)
    if page is None:
        # NoChange: someone created the same description page at the same moment.
        with contextlib.suppress(actions.NoChange):
            actions.save_revision(title, comment or NEW_PAGE_TEXT, user, None, "Uploaded file")
        page = _lock_page(title)
    access.check_can_edit(user, page)
    return page


def _lock_page(title: str) -> Page | None:
    return Page.objects.select_for_update().filter(title=title).first()


def _stored_name(title: str) -> str:
    # Storage sanitises it further; the content-addressed directory keeps versions apart (models.upload_path).
    return file_name(title).replace(" ", "_")


def history(page: Page):
    """A File: page's uploads, newest first, ready for wiki/file_block.html."""
    return page.uploads.select_related("uploader", *people.related("uploader")).order_by("-id")
