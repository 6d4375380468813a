"""Uploading files (/special/upload) and serving them (/file/<Name>)."""

import os
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from districtwiki.errors import error_page, refusal_page

from .. import access, uploads
from ..actions import WikiError
from ..models import FileUpload
from ..titles import InvalidTitle

FORM_SLACK_BYTES = 64 * 1024  # room for the other form fields and the multipart boundaries
FILE_SANDBOX = "default-src 'none'; sandbox"
VERSION_MAX_AGE = 365 * 24 * 3600  # a ?version= URL always serves the same bytes


class UploadLimitHandler(FileUploadHandler):
    """Stops reading a file part once it passes the limit, so an oversized upload never fills the disk.

    The rest of the request body is read and discarded; the view sees `exceeded` and answers 413.
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the UploadedFile


# --- Uploading ----------------------------------------------------------------------------------------------


# CSRF is checked in _receive_upload instead: Django's upload handlers must be installed before anything
# (the CSRF middleware included) reads the request body.
@csrf_exempt
def upload(request):
    """The upload form, and its POST. A POST that accepts only JSON (an image dropped or pasted into the
    editor) gets the same checks and limits, answered as JSON: the file's name and Markdown to embed it, or a
    `detail` sentence; its `fresh_name` field keeps it from replacing another file of the same name."""
    if request.method != "POST":
        return _upload_form_page(request)
    try:
        access.check_can_edit(request.user, None)
    except PermissionDenied as denied:
        return _refusal(request, 403, str(denied)) if _wants_json(request) else refusal_page(request, denied)
    if _declared_length(request) > settings.MAX_UPLOAD_BYTES + FORM_SLACK_BYTES:
        return _refusal(request, 413, str(uploads.too_large()))
    limit = UploadLimitHandler(request, settings.MAX_UPLOAD_BYTES)
    request.upload_handlers.insert(0, limit)
    return _receive_upload(request, limit)


def _upload_form_page(request):
    try:
        access.check_can_edit(request.user, None)
    except PermissionDenied as denied:
        if not access.is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        return refusal_page(request, denied)
    return _upload_form(request, name=request.GET.get("name", ""))


@csrf_protect
def _receive_upload(request, limit: UploadLimitHandler):
    name, comment = request.POST.get("name", ""), request.POST.get("comment", "")
    if limit.exceeded:
        return _refusal(request, 413, str(uploads.too_large()), name, comment)
    uploaded_file = request.FILES.get("file")
    if uploaded_file is None:
        return _refusal(request, 400, "Choose a file to upload.", name, comment)
    fresh_name = _wants_json(request) and request.POST.get("fresh_name") == "1"
    try:
        result = uploads.upload_file(name, uploaded_file, request.user, comment, fresh_name=fresh_name)
    except PermissionDenied as denied:
        return _refusal(request, 403, str(denied), name, comment)
    except (WikiError, InvalidTitle) as error:
        return _refusal(request, getattr(error, "status", 400), str(error), name, comment)
    if _wants_json(request):
        return JsonResponse(_uploaded(result), status=201)
    messages.success(request, f"Uploaded “{uploads.file_name(result.page.title)}”.")
    return redirect(result.page)


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").strip().lower() == "application/json"


def _refusal(request, status: int, message: str, name: str = "", comment: str = ""):
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    return _upload_form(request, name, comment, status, message)


def _uploaded(upload: FileUpload) -> dict:
    """What the editor needs to embed the file: `![Name](File:Name.png)`, with underscores for spaces, as
    a Markdown link target cannot hold a space."""
    name = uploads.file_name(upload.page.title)
    alt = re.sub(r"[\\[\]]", "", os.path.splitext(name)[0]).replace("_", " ")
    return {
        "title": upload.page.title,
        "name": name,
        "url": upload.page.get_absolute_url(),
        "is_image": upload.is_image,
        "alt": alt,
        "markdown": f"![{alt}](File:{name.replace(' ', '_')})",
    }


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _upload_form(request, name: str = "", comment: str = "", status: int = 200, error: str = ""):
    context = {
        "name": name,
        "comment": comment,
        "error": error,
        "allowed_types": uploads.ALLOWED_TYPES,
        "max_upload_bytes": settings.MAX_UPLOAD_BYTES,
    }
    return render(request, "wiki/upload.html", context, status=status)


# --- Serving ------------------------------------------------------------------------------------------------


@require_safe
def serve(request, name: str):
    """The current version of a file, or ?version=<id> an older one, with headers that keep it inert."""
    version = request.GET.get("version", "")
    try:
        upload = _requested_upload(name, version)
    except (Http404, InvalidTitle) as missing:
        return error_page(request, 404, str(missing))
    etag = quote_etag(upload.sha1)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _cache_headers(not_modified, bool(version))
    try:
        stored = upload.file.storage.open(upload.file.name, "rb")
    except OSError:
        return error_page(request, 404, "The stored file is missing. Upload it again.")
    response = FileResponse(
        stored,
        content_type=upload.content_type,
        as_attachment=not upload.is_image,
        filename=uploads.file_name(upload.page.title),
    )
    # The content type is the one we detected at upload, never a guess from the name; nosniff and the
    # sandbox keep a browser from treating an uploaded file as a page of this site.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_SANDBOX
    response["ETag"] = etag
    return _cache_headers(response, bool(version))


def _requested_upload(name: str, version: str) -> FileUpload:
    page = access.get_page(uploads.FILE_PREFIX + name)
    if version:
        found = page.uploads.filter(pk=version).first() if version.isdigit() else None
        if found is None:
            raise Http404(f"“{page.title}” has no version {version}.")
    else:
        found = page.uploads.first()
        if found is None:
            raise Http404(f"No file has been uploaded as “{page.title}” yet.")
    found.page = page
    return found


def _cache_headers(response, versioned: bool):
    audience = "private" if settings.PRIVATE_WIKI else "public"
    if versioned:
        response["Cache-Control"] = f"{audience}, max-age={VERSION_MAX_AGE}, immutable"
    else:
        response["Cache-Control"] = f"{audience}, no-cache"  # revalidate: a new version may replace it
    return response
