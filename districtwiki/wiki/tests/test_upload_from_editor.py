"""/special/upload answering JSON: the editor uploads an image dropped or pasted into the text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from districtwiki.wiki import uploads
from districtwiki.wiki.models import FileUpload, Page

from .test_uploads import SVG, assert_nothing_written, image_bytes

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload_json(client, filename: str, content: bytes, **fields):
    data = {"file": SimpleUploadedFile(filename, content), "fresh_name": "1", **fields}
    return client.post("/special/upload", data, **JSON)


def refusal(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()["detail"]


def test_image_is_stored_and_answered_with_markdown_to_embed_it(alice_client, media_root):
    response = upload_json(alice_client, "district map.png", image_bytes("PNG"))
    assert response.status_code == 201
    assert response.json() == {
        "title": "File:District map.png",
        "name": "District map.png",
        "url": "/wiki/File:District_map.png",
        "is_image": True,
        "alt": "District map",
        "markdown": "![District map](File:District_map.png)",
    }
    assert FileUpload.objects.get().page.title == "File:District map.png"


def test_a_taken_name_gets_the_next_free_one_instead_of_a_new_version(alice_client, bob_client, media_root):
    upload_json(alice_client, "image.png", image_bytes("PNG", color="red"))
    response = upload_json(bob_client, "image.png", image_bytes("PNG", color="blue"))
    assert response.json()["title"] == "File:Image 2.png"
    assert Page.objects.get(title="File:Image.png").uploads.count() == 1


def test_when_every_fresh_name_is_taken_the_message_says_rename(alice_client, make_page, media_root):
    make_page("File:Image.png", "x")
    for number in range(2, uploads.FRESH_NAME_TRIES + 1):
        make_page(f"File:Image {number}.png", "x")
    message = refusal(upload_json(alice_client, "image.png", image_bytes("PNG")), 409)
    assert message == f"There are already {uploads.FRESH_NAME_TRIES} files called “Image.png”: rename yours."
    assert not FileUpload.objects.exists()


def test_too_big_is_413_with_a_message(alice_client, settings, media_root):
    settings.MAX_UPLOAD_BYTES = 1024
    message = refusal(
        upload_json(alice_client, "big.png", image_bytes("PNG", size=(400, 400)) + b"x" * 4096), 413
    )
    assert message == "The file is larger than the upload limit of 1.0 KB."
    assert_nothing_written(media_root)


def test_oversized_request_is_refused_before_reading_the_body(alice_client, settings, media_root):
    settings.MAX_UPLOAD_BYTES = 1024
    message = refusal(upload_json(alice_client, "big.png", b"a" * 200_000), 413)
    assert "larger than the upload limit of 1.0 KB" in message
    assert_nothing_written(media_root)


def test_wrong_type_is_400_saying_what_it_is(alice_client, media_root):
    message = refusal(upload_json(alice_client, "drawing.svg", SVG), 400)
    assert "cannot be uploaded" in message
    assert_nothing_written(media_root)


def test_image_named_as_another_type_is_400(alice_client, media_root):
    message = refusal(upload_json(alice_client, "photo.jpg", image_bytes("PNG")), 400)
    assert message == "“Photo.jpg” ends in .jpg, but its content is a PNG image. Rename it to end in .png."
    assert_nothing_written(media_root)


def test_not_signed_in_is_403_with_a_message(client, db, media_root):
    message = refusal(upload_json(client, "logo.png", image_bytes("PNG")), 403)
    assert message == "Sign in to edit pages."
    assert_nothing_written(media_root)


def test_member_without_confirmed_email_is_403(client, carol, media_root):
    client.force_login(carol)
    message = refusal(upload_json(client, "logo.png", image_bytes("PNG")), 403)
    assert "Confirm your e-mail address" in message
    assert_nothing_written(media_root)


def test_new_version_of_a_protected_file_is_403(alice_client, ada, media_root):
    from django.core.files.base import ContentFile

    uploaded = uploads.upload_file("", ContentFile(image_bytes("PNG"), name="logo.png"), ada)
    Page.objects.filter(pk=uploaded.page.pk).update(protection=Page.Protection.ADMIN)
    message = refusal(
        upload_json(alice_client, "logo.png", image_bytes("PNG", color="blue"), fresh_name=""), 403
    )
    assert message == "This page is protected: only admins can edit it."
    assert FileUpload.objects.count() == 1


def test_missing_file_is_400(alice_client, media_root):
    message = refusal(alice_client.post("/special/upload", {"fresh_name": "1"}, **JSON), 400)
    assert message == "Choose a file to upload."


def test_without_csrf_token_is_refused_and_nothing_written(alice, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = upload_json(client, "logo.png", image_bytes("PNG"))
    assert response.status_code == 403
    assert_nothing_written(media_root)


def test_the_form_still_answers_html(alice_client, media_root):
    response = alice_client.post(
        "/special/upload", {"file": SimpleUploadedFile("logo.png", image_bytes("PNG"))}
    )
    assert response.status_code == 302
    assert response["Location"] == "/wiki/File:Logo.png"
