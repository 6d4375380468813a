import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from PIL import Image

from districtwiki.wiki import actions, uploads
from districtwiki.wiki.models import FileUpload, LogEntry, Page

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + b"\x90" * 200


def image_bytes(image_format: str, size=(4, 3), color="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ooxml_bytes(main_part: str, main_type: str) -> bytes:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
    )
    return zip_bytes({"[Content_Types].xml": manifest, "_rels/.rels": "<Relationships/>", main_part: "<x/>"})


DOCX = ooxml_bytes(
    "word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
XLSX = ooxml_bytes(
    "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)
PPTX = ooxml_bytes(
    "ppt/presentation.xml",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_upload(client, filename: str, content: bytes, name: str = "", comment: str = ""):
    data = {"file": SimpleUploadedFile(filename, content), "name": name, "comment": comment}
    return client.post("/special/upload", data)


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


def assert_nothing_written(media_root):
    assert not FileUpload.objects.exists()
    assert not Page.objects.exists()
    assert not LogEntry.objects.exists()
    assert stored_files(media_root) == []


def message_of(response) -> str:
    return response.content.decode()


# --- Accepted types ---------------------------------------------------------------------------------------

ACCEPTED = [
    ("logo.png", lambda: image_bytes("PNG"), "File:Logo.png", "image/png"),
    ("photo.jpg", lambda: image_bytes("JPEG"), "File:Photo.jpg", "image/jpeg"),
    ("spinner.gif", lambda: image_bytes("GIF"), "File:Spinner.gif", "image/gif"),
    ("banner.webp", lambda: image_bytes("WEBP"), "File:Banner.webp", "image/webp"),
    ("budget.pdf", lambda: MINIMAL_PDF, "File:Budget.pdf", "application/pdf"),
    ("plan.docx", lambda: DOCX, "File:Plan.docx", DOCX_TYPE),
    ("devices.xlsx", lambda: XLSX, "File:Devices.xlsx", XLSX_TYPE),
    ("board.pptx", lambda: PPTX, "File:Board.pptx", PPTX_TYPE),
    (
        "inventory.csv",
        lambda: b"device,count\nChromebook,420\n",
        "File:Inventory.csv",
        "text/csv; charset=utf-8",
    ),
    ("notes.txt", lambda: "Café wifi notes\n".encode(), "File:Notes.txt", "text/plain; charset=utf-8"),
]


@pytest.mark.parametrize(("filename", "make_content", "title", "content_type"), ACCEPTED)
def test_allowed_type_is_stored_and_redirects_to_its_file_page(
    alice_client, media_root, filename, make_content, title, content_type
):
    content = make_content()
    response = post_upload(alice_client, filename, content)
    assert response.status_code == 302
    assert response["Location"] == "/wiki/" + title
    upload = FileUpload.objects.get(page__title=title)
    assert upload.content_type == content_type
    assert upload.size == len(content)
    with upload.file.open("rb") as stored:
        assert stored.read() == content


def test_image_upload_records_width_and_height(alice_client):
    post_upload(alice_client, "wide.png", image_bytes("PNG", size=(40, 30)))
    upload = FileUpload.objects.get()
    assert (upload.width, upload.height) == (40, 30)


def test_document_upload_records_no_dimensions(alice_client):
    post_upload(alice_client, "budget.pdf", MINIMAL_PDF)
    upload = FileUpload.objects.get()
    assert (upload.width, upload.height) == (None, None)


def test_first_upload_creates_description_page_from_comment(alice_client):
    post_upload(alice_client, "budget.pdf", MINIMAL_PDF, comment="Board-approved  budget")
    page = Page.objects.get(title="File:Budget.pdf")
    assert page.namespace == "File"
    assert page.latest.text == "Board-approved budget"
    assert page.latest.author_name == "alice"


def test_first_upload_without_comment_gets_default_description(alice_client):
    post_upload(alice_client, "budget.pdf", MINIMAL_PDF)
    assert Page.objects.get(title="File:Budget.pdf").latest.text == "Uploaded file."


def test_upload_writes_log_entry(alice_client, alice):
    post_upload(alice_client, "budget.pdf", MINIMAL_PDF, comment="FY26")
    entry = LogEntry.objects.get()
    assert (entry.action, entry.page.title, entry.user, entry.note) == (
        "upload",
        "File:Budget.pdf",
        alice,
        "FY26",
    )


def test_upload_records_uploader_and_comment(alice_client, alice):
    post_upload(alice_client, "budget.pdf", MINIMAL_PDF, comment="FY26")
    upload = FileUpload.objects.get()
    assert (upload.uploader, upload.comment) == (alice, "FY26")


def test_given_name_overrides_file_name(alice_client):
    response = post_upload(alice_client, "scan0001.pdf", MINIMAL_PDF, name="Board minutes 2025.pdf")
    assert response["Location"] == "/wiki/File:Board_minutes_2025.pdf"
    assert FileUpload.objects.get().page.title == "File:Board minutes 2025.pdf"


def test_name_with_file_prefix_is_not_doubled(alice_client):
    post_upload(alice_client, "scan.pdf", MINIMAL_PDF, name="file:Minutes.pdf")
    assert Page.objects.get().title == "File:Minutes.pdf"


def test_stored_name_keeps_its_extension_lower_cased(alice_client):
    response = post_upload(alice_client, "Photo.JPEG", image_bytes("JPEG"))
    assert response["Location"] == "/wiki/File:Photo.jpeg"


def test_file_in_storage_lives_under_its_sha1(alice_client):
    post_upload(alice_client, "budget.pdf", MINIMAL_PDF)
    upload = FileUpload.objects.get()
    assert upload.file.name == f"files/{upload.sha1[:2]}/{upload.sha1}/Budget.pdf"


def test_upload_action_accepts_content_file_for_api_callers(alice):
    upload = uploads.upload_file("", ContentFile(MINIMAL_PDF, name="api.pdf"), alice, "from the API")
    assert upload.page.title == "File:Api.pdf"
    assert upload.comment == "from the API"


# --- The form and who may use it ------------------------------------------------------------------------


def test_upload_form_prefills_name_from_query(alice_client):
    response = alice_client.get("/special/upload?name=Network diagram.png")
    assert response.status_code == 200
    assert 'value="Network diagram.png"' in message_of(response)
    assert 'enctype="multipart/form-data"' in message_of(response)


def test_upload_form_sends_signed_out_visitor_to_login(client, db):
    response = client.get("/special/upload?name=x.png")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_signed_out_upload_is_refused(client, db, media_root):
    response = post_upload(client, "logo.png", image_bytes("PNG"))
    assert response.status_code == 403
    assert "Sign in to edit pages." in message_of(response)
    assert_nothing_written(media_root)


def test_upload_by_member_with_unconfirmed_email_is_refused(client, carol, media_root):
    client.force_login(carol)
    response = post_upload(client, "logo.png", image_bytes("PNG"))
    assert response.status_code == 403
    assert "Confirm your e-mail address" in message_of(response)
    assert_nothing_written(media_root)


def test_upload_without_csrf_token_is_refused(alice, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = post_upload(client, "logo.png", image_bytes("PNG"))
    assert response.status_code == 403
    assert_nothing_written(media_root)


def test_upload_without_file_is_refused(alice_client, media_root):
    response = alice_client.post("/special/upload", {"name": "x.png"})
    assert response.status_code == 400
    assert "Choose a file to upload." in message_of(response)
    assert_nothing_written(media_root)


def test_new_version_of_admin_protected_file_is_refused_for_member(alice_client, ada, media_root):
    uploads.upload_file("", ContentFile(MINIMAL_PDF, name="policy.pdf"), ada)
    page = Page.objects.get()
    actions.protect_page(page, Page.Protection.ADMIN, ada)
    response = post_upload(alice_client, "policy.pdf", MINIMAL_PDF + b"% v2\n")
    assert response.status_code == 403
    assert "only admins can edit it" in message_of(response)
    assert FileUpload.objects.count() == 1


def test_upload_to_deleted_file_page_is_refused(alice_client, ada, media_root):
    uploads.upload_file("", ContentFile(MINIMAL_PDF, name="policy.pdf"), ada)
    actions.delete_page(Page.objects.get(), ada)
    response = post_upload(alice_client, "policy.pdf", MINIMAL_PDF + b"% v2\n")
    assert response.status_code == 403
    assert "This page was deleted" in message_of(response)
    assert FileUpload.objects.count() == 1


# --- Refused content --------------------------------------------------------------------------------------

REFUSED = [
    ("svg named .png", "logo.png", SVG, "This file is an SVG image"),
    ("svg", "logo.svg", SVG, "This file is an SVG image"),
    (
        "html",
        "page.html",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "an HTML page",
    ),
    ("html named .txt", "notes.txt", b"  <html><body>hi</body></html>", "an HTML page"),
    ("xml", "data.txt", b'<?xml version="1.0"?><root/>', "XML or HTML markup"),
    ("executable", "tool.pdf", ELF, "a Linux program (ELF executable)"),
    ("windows executable", "setup.txt", b"MZ\x90\x00\x03" + b"\x00" * 300, "a Windows program (EXE)"),
    ("plain zip", "report.docx", zip_bytes({"hello.txt": "hi"}), "a ZIP archive that is not a Word"),
    ("damaged zip", "report.docx", b"PK\x03\x04garbage", "a damaged or unreadable ZIP archive"),
    ("damaged png", "logo.png", image_bytes("PNG")[:40], "a damaged or unreadable image"),
    ("text with NUL", "notes.txt", b"abc\x00def", "binary data of a type we do not recognise"),
    ("invalid utf-8", "notes.txt", "naïve".encode("latin-1"), "binary data of a type we do not recognise"),
]


@pytest.mark.parametrize(
    ("filename", "content", "message"), [case[1:] for case in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_disallowed_content_is_refused_with_what_was_detected(
    alice_client, media_root, filename, content, message
):
    response = post_upload(alice_client, filename, content)
    assert response.status_code == 400
    assert message in message_of(response)
    assert "You can upload PNG, JPEG, GIF or WebP images" in message_of(response)
    assert_nothing_written(media_root)


def test_macro_enabled_office_document_is_refused(alice_client, media_root):
    docm = ooxml_bytes("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
    response = post_upload(alice_client, "plan.docx", docm)
    assert response.status_code == 400
    assert "a macro-enabled Office document" in message_of(response)
    assert_nothing_written(media_root)


def test_office_document_with_huge_manifest_is_refused(alice_client, media_root):
    bomb = zip_bytes(
        {"[Content_Types].xml": b" " * (uploads.MANIFEST_MAX_BYTES + 1), "word/document.xml": "x"}
    )
    response = post_upload(alice_client, "plan.docx", bomb)
    assert response.status_code == 400
    assert "implausibly large manifest" in message_of(response)
    assert_nothing_written(media_root)


def test_png_named_pdf_is_refused_with_the_right_extension(alice_client, media_root):
    response = post_upload(alice_client, "diagram.pdf", image_bytes("PNG"))
    assert response.status_code == 400
    assert (
        "“Diagram.pdf” ends in .pdf, but its content is a PNG image. Rename it to end in .png."
        in (response.context["error"])
    )
    assert_nothing_written(media_root)


def test_text_named_with_other_extension_is_refused(alice_client, media_root):
    response = post_upload(alice_client, "notes.md", b"# Notes\n")
    assert response.status_code == 400
    assert "but its content is plain text. Rename it to end in .txt." in response.context["error"]
    assert_nothing_written(media_root)


def test_name_without_extension_is_refused(alice_client, media_root):
    response = post_upload(alice_client, "logo.png", image_bytes("PNG"), name="Logo")
    assert response.status_code == 400
    assert "“Logo” has no extension" in response.context["error"]
    assert_nothing_written(media_root)


def test_name_with_slash_is_refused(alice_client, media_root):
    response = post_upload(alice_client, "logo.png", image_bytes("PNG"), name="a/b.png")
    assert response.status_code == 400
    assert "A file name cannot contain /" in response.context["error"]
    assert_nothing_written(media_root)


def test_name_with_forbidden_character_is_refused(alice_client, media_root):
    response = post_upload(alice_client, "logo.png", image_bytes("PNG"), name="a[1].png")
    assert response.status_code == 400
    assert 'Titles cannot contain the character "["' in response.context["error"]
    assert_nothing_written(media_root)


def test_empty_file_is_refused(alice_client, media_root):
    response = post_upload(alice_client, "empty.txt", b"")
    assert response.status_code == 400
    assert "The file is empty" in message_of(response)
    assert_nothing_written(media_root)


def test_refused_upload_keeps_what_was_typed(alice_client):
    response = post_upload(alice_client, "x.exe", ELF, name="Tool.pdf", comment="my tool")
    assert response.context["name"] == "Tool.pdf"
    assert response.context["comment"] == "my tool"


# --- Size limit -------------------------------------------------------------------------------------------


def test_oversized_file_is_refused_while_streaming(alice_client, settings, media_root):
    settings.MAX_UPLOAD_BYTES = 1024
    response = post_upload(alice_client, "big.txt", b"a" * 4096)
    assert response.status_code == 413
    assert "larger than the upload limit of 1.0 KB" in message_of(response)
    assert_nothing_written(media_root)


def test_oversized_request_is_refused_before_reading_the_body(alice_client, settings, media_root):
    settings.MAX_UPLOAD_BYTES = 1024
    response = post_upload(alice_client, "big.txt", b"a" * 200_000)
    assert response.status_code == 413
    assert "larger than the upload limit of 1.0 KB" in message_of(response)
    assert_nothing_written(media_root)


def test_upload_action_refuses_oversized_file_with_its_size(alice, settings, media_root):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(uploads.UploadTooLarge) as refused:
        uploads.upload_file("big.txt", ContentFile(b"a" * 2048, name="big.txt"), alice)
    assert str(refused.value) == "The file is 2.0 KB; the upload limit is 1.0 KB."
    assert_nothing_written(media_root)


# --- Versions ---------------------------------------------------------------------------------------------


def test_new_version_keeps_history_and_is_served(alice_client, bob_client):
    post_upload(alice_client, "logo.png", image_bytes("PNG", color="red"))
    newer = image_bytes("PNG", color="blue")
    response = post_upload(bob_client, "logo.png", newer, comment="blue now")
    assert response.status_code == 302
    assert FileUpload.objects.filter(page__title="File:Logo.png").count() == 2
    assert Page.objects.get().revisions.count() == 1
    served = bob_client.get("/file/Logo.png")
    assert b"".join(served.streaming_content) == newer


def test_identical_reupload_is_refused(alice_client, media_root):
    content = image_bytes("PNG")
    post_upload(alice_client, "logo.png", content)
    response = post_upload(alice_client, "logo.png", content)
    assert response.status_code == 400
    assert "identical to the current version" in message_of(response)
    assert FileUpload.objects.count() == 1
    assert LogEntry.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_reupload_of_an_older_version_is_allowed(alice_client):
    red, blue = image_bytes("PNG", color="red"), image_bytes("PNG", color="blue")
    for content in (red, blue, red):
        assert post_upload(alice_client, "logo.png", content).status_code == 302
    assert FileUpload.objects.count() == 3


def test_old_version_is_served_by_id(alice_client):
    red = image_bytes("PNG", color="red")
    post_upload(alice_client, "logo.png", red)
    post_upload(alice_client, "logo.png", image_bytes("PNG", color="blue"))
    oldest = FileUpload.objects.order_by("id").first()
    response = alice_client.get(f"/file/Logo.png?version={oldest.pk}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == red
    assert "immutable" in response["Cache-Control"]


def test_version_of_another_file_is_not_found(alice_client):
    post_upload(alice_client, "logo.png", image_bytes("PNG"))
    post_upload(alice_client, "budget.pdf", MINIMAL_PDF)
    pdf = FileUpload.objects.get(page__title="File:Budget.pdf")
    response = alice_client.get(f"/file/Logo.png?version={pdf.pk}")
    assert response.status_code == 404
    assert "“File:Logo.png” has no version" in message_of(response)


# --- Serving ----------------------------------------------------------------------------------------------


@pytest.fixture
def uploaded(alice):
    def upload(filename: str, content: bytes, name: str = "") -> FileUpload:
        return uploads.upload_file(name, ContentFile(content, name=filename), alice)

    return upload


def test_image_is_served_inline_with_its_stored_type(client, uploaded):
    uploaded("logo.png", image_bytes("PNG"))
    response = client.get("/file/Logo.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [("budget.pdf", MINIMAL_PDF, "application/pdf"), ("plan.docx", DOCX, DOCX_TYPE)],
)
def test_document_is_served_as_attachment(client, uploaded, filename, content, content_type):
    uploaded(filename, content)
    response = client.get("/file/" + filename.capitalize())
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename.capitalize()}"'


def test_text_file_is_served_with_charset(client, uploaded):
    uploaded("notes.txt", b"hello\n")
    assert client.get("/file/Notes.txt")["Content-Type"] == "text/plain; charset=utf-8"


def test_served_file_is_sandboxed_and_not_sniffed(client, uploaded):
    uploaded("logo.png", image_bytes("PNG"))
    response = client.get("/file/Logo.png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_current_version_is_revalidated_by_etag(client, uploaded):
    upload = uploaded("logo.png", image_bytes("PNG"))
    response = client.get("/file/Logo.png")
    assert response["Cache-Control"] == "public, no-cache"
    assert response["ETag"] == f'"{upload.sha1}"'


def test_unchanged_file_answers_not_modified(client, uploaded):
    upload = uploaded("logo.png", image_bytes("PNG"))
    response = client.get("/file/Logo.png", headers={"If-None-Match": f'"{upload.sha1}"'})
    assert response.status_code == 304


def test_file_with_spaces_is_served_at_underscored_url(client, uploaded):
    uploaded("x.pdf", MINIMAL_PDF, name="Board minutes.pdf")
    response = client.get("/file/Board_minutes.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Board minutes.pdf"'


def test_serving_file_uses_few_queries(client, uploaded, django_assert_max_num_queries):
    uploaded("logo.png", image_bytes("PNG"))
    with django_assert_max_num_queries(2):
        client.get("/file/Logo.png")


def test_missing_file_is_not_found_with_message(client, db):
    response = client.get("/file/Nothing.png")
    assert response.status_code == 404
    assert "There is no page called" in message_of(response)


def test_file_page_without_upload_is_not_found(client, make_page):
    make_page("File:Planned.pdf", "We will upload this soon.")
    response = client.get("/file/Planned.pdf")
    assert response.status_code == 404
    assert "No file has been uploaded as “File:Planned.pdf” yet." in message_of(response)


def test_file_of_deleted_page_is_not_found(client, uploaded, ada):
    upload = uploaded("logo.png", image_bytes("PNG"))
    actions.delete_page(upload.page, ada)
    assert client.get("/file/Logo.png").status_code == 404


def test_file_missing_from_storage_is_not_found(client, uploaded):
    upload = uploaded("logo.png", image_bytes("PNG"))
    upload.file.storage.delete(upload.file.name)
    response = client.get("/file/Logo.png")
    assert response.status_code == 404
    assert "The stored file is missing" in message_of(response)


# --- The file block on a File: page -----------------------------------------------------------------------


def render_block(page) -> str:
    return render_to_string("wiki/file_block.html", {"page": page, "uploads": uploads.history(page)})


def test_file_block_previews_image_with_dimensions(uploaded):
    upload = uploaded("net.png", image_bytes("PNG", size=(40, 30)), name="Network map.png")
    html = render_block(upload.page)
    assert '<img src="/file/Network_map.png" alt="Network map.png" width="40" height="30">' in html


def test_file_block_links_download_with_type_and_size(uploaded):
    upload = uploaded("budget.pdf", MINIMAL_PDF)
    html = render_block(upload.page)
    assert '<a href="/file/Budget.pdf">Download Budget.pdf</a>' in html
    assert "PDF document" in html
    assert "<img" not in html


def test_file_block_offers_new_version_upload(uploaded):
    upload = uploaded("x.pdf", MINIMAL_PDF, name="Board minutes.pdf")
    assert 'href="/special/upload?name=Board%20minutes.pdf"' in render_block(upload.page)


def test_file_block_shows_how_to_embed(uploaded):
    upload = uploaded("x.png", image_bytes("PNG"), name="Network map.png")
    html = render_block(upload.page)
    assert "<code>![Describe the image](&lt;File:Network map.png&gt;)</code>" in html
    assert "<code>[[File:Network map.png]]</code>" in html


def test_file_block_shows_short_image_embed_for_simple_name(uploaded):
    upload = uploaded("logo.png", image_bytes("PNG"))
    assert "<code>![Describe the image](File:Logo.png)</code>" in render_block(upload.page)


def test_file_block_links_to_quoted_file_url(uploaded):
    upload = uploaded("x.pdf", MINIMAL_PDF, name="What? Why.pdf")
    assert '<a href="/file/What%3F_Why.pdf">' in render_block(upload.page)


def test_file_with_question_mark_is_served_at_quoted_url(client, uploaded):
    uploaded("x.pdf", MINIMAL_PDF, name="What? Why.pdf")
    assert client.get("/file/What%3F_Why.pdf").status_code == 200


def test_file_block_lists_every_version_newest_first(uploaded, bob):
    first = uploaded("logo.png", image_bytes("PNG", color="red"))
    second = uploads.upload_file(
        "", ContentFile(image_bytes("PNG", color="blue"), name="logo.png"), bob, "blue"
    )
    html = render_block(first.page)
    assert html.index(f"?version={second.pk}") < html.index(f"?version={first.pk}")
    assert "<td>bob</td>" not in html  # uploader names link to their profiles
    assert '<a class="member-link" href="/members/bob">bob</a>' in html
    assert "<td>blue</td>" in html


def test_file_block_escapes_comment(uploaded):
    upload = uploaded("logo.png", image_bytes("PNG"))
    FileUpload.objects.filter(pk=upload.pk).update(comment="<script>x</script>")
    assert "&lt;script&gt;x&lt;/script&gt;" in render_block(upload.page)


def test_file_block_history_uses_one_query(uploaded, django_assert_num_queries):
    upload = uploaded("logo.png", image_bytes("PNG"))
    uploaded("logo.png", image_bytes("PNG", color="blue"))
    with django_assert_num_queries(1):
        render_block(upload.page)


def test_file_page_shows_file_block_after_upload(alice_client):
    post_upload(alice_client, "logo.png", image_bytes("PNG"), comment="District logo")
    response = alice_client.get("/wiki/File:Logo.png")
    assert response.status_code == 200
    assert '<img src="/file/Logo.png" alt="Logo.png" width="4" height="3">' in message_of(response)
