import pytest

from districtwiki.wiki.models import Page, Revision

from .helpers import put_page, stored
from .openapi import documented_json, error_detail


def test_save_creates_a_new_page_with_201(alice_client):
    response = put_page(
        alice_client, "Staffing ratios", {"content": "One tech per 500 devices", "base_revision": None}
    )
    assert response.status_code == 201
    page = documented_json(response)
    assert page["title"] == "Staffing ratios"
    assert page["changed"] is True
    assert page["merged_with"] is None
    assert Page.objects.get(title="Staffing ratios").latest.text == "One tech per 500 devices"


def test_save_adds_a_revision_with_200(alice_client, make_page):
    base = make_page("Budget", "old").revision
    body = {"content": "new", "base_revision": base.pk, "summary": "update", "minor": True}
    response = put_page(alice_client, "Budget", body)
    assert response.status_code == 200
    page = documented_json(response)
    revision = Revision.objects.get(pk=page["revision"]["id"])
    assert (revision.text, revision.summary, revision.minor) == ("new", "update", True)
    assert revision.author_name == "alice"
    assert revision.parent_id == base.pk


def test_identical_save_reports_nothing_changed_and_writes_nothing(alice_client, make_page):
    base = make_page("Budget", "same").revision
    before = stored()
    response = put_page(alice_client, "Budget", {"content": "same\n", "base_revision": base.pk})
    assert response.status_code == 200
    page = documented_json(response)
    assert page["changed"] is False
    assert page["revision"]["id"] == base.pk
    assert stored() == before


def test_stale_base_merges_and_returns_merged_text(alice_client, make_page, bob):
    base = make_page("Plan", "one\ntwo\nthree").revision
    theirs = make_page("Plan", "ONE\ntwo\nthree", author=bob, base_revision=base.pk).revision
    response = put_page(alice_client, "Plan", {"content": "one\ntwo\nTHREE", "base_revision": base.pk})
    assert response.status_code == 200
    page = documented_json(response)
    assert page["content"] == "ONE\ntwo\nTHREE"
    assert page["merged_with"] == theirs.pk
    assert page["revision"]["summary"] == f"Merged with revision {theirs.pk}"


def test_create_after_someone_else_created_the_page_merges(alice_client, make_page, bob):
    make_page("Fresh", "theirs on top", author=bob)
    response = put_page(alice_client, "Fresh", {"content": "theirs on top", "base_revision": None})
    page = documented_json(response)
    assert response.status_code == 200
    assert page["changed"] is False


def test_overlapping_edit_is_409_with_conflicts_and_saves_nothing(alice_client, make_page, bob):
    base = make_page("Clash", "one\ntwo").revision
    theirs = make_page("Clash", "uno\ntwo", author=bob, base_revision=base.pk).revision
    before = stored()
    response = put_page(alice_client, "Clash", {"content": "eins\ntwo", "base_revision": base.pk})
    assert response.status_code == 409
    conflict = documented_json(response)
    assert conflict["detail"].startswith(f"Someone else changed this page (revision {theirs.pk})")
    assert conflict["current_revision"]["id"] == theirs.pk
    assert conflict["current_revision"]["content"] == "uno\ntwo"
    assert conflict["conflicts"] == [{"base": "one\n", "theirs": "uno\n", "mine": "eins\n"}]
    assert stored() == before


def test_missing_content_is_400_and_writes_nothing(alice_client, db):
    response = put_page(alice_client, "Budget", {"base_revision": None})
    assert error_detail(response, 400) == "The request is not valid: content: Field required."
    assert stored() == (0, 0)


def test_missing_base_revision_is_400(alice_client, db):
    response = put_page(alice_client, "Budget", {"content": "text"})
    assert error_detail(response, 400) == "The request is not valid: base_revision: Field required."
    assert stored() == (0, 0)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"content": 42, "base_revision": None}, "content: Input should be a valid string"),
        ({"content": None, "base_revision": None}, "content: Input should be a valid string"),
        ({"content": "x", "base_revision": "7"}, "base_revision: Input should be a valid integer"),
        ({"content": "x", "base_revision": None, "minor": "yes"}, "minor: Input should be a valid boolean"),
        (
            {"content": "x", "base_revision": None, "summary": ["a"]},
            "summary: Input should be a valid string",
        ),
    ],
)
def test_wrong_json_types_are_400_and_write_nothing(alice_client, db, body, message):
    response = put_page(alice_client, "Budget", body)
    assert message in error_detail(response, 400)
    assert stored() == (0, 0)


def test_unknown_field_is_400(alice_client, db):
    response = put_page(alice_client, "Budget", {"content": "x", "base_revision": None, "sumary": "typo"})
    assert error_detail(response, 400) == "The request is not valid: sumary: Extra inputs are not permitted."
    assert stored() == (0, 0)


def test_non_json_body_is_400_and_writes_nothing(alice_client, db):
    response = put_page(alice_client, "Budget", "content=hello")
    assert error_detail(response, 400).startswith("The request body is not valid JSON (Expecting value")
    assert stored() == (0, 0)


def test_json_that_is_not_an_object_is_400(alice_client, db):
    response = put_page(alice_client, "Budget", '["hello"]')
    assert "the request body: Input should be a valid dictionary" in error_detail(response, 400)
    assert stored() == (0, 0)


def test_empty_body_is_400(alice_client, db):
    response = put_page(alice_client, "Budget", "")
    assert error_detail(response, 400) == "The request is not valid: the request body: Field required."


def test_body_that_is_not_utf8_is_400(alice_client, db):
    response = put_page(alice_client, "Budget", b'{"content": "\xff", "base_revision": null}')
    assert error_detail(response, 400).startswith("The request body is not valid JSON")
    assert stored() == (0, 0)


def test_nul_character_in_content_is_400(alice_client, db):
    response = put_page(alice_client, "Budget", {"content": "a\u0000b", "base_revision": None})
    assert "content: text cannot contain NUL characters" in error_detail(response, 400)
    assert stored() == (0, 0)


def test_unpaired_surrogate_in_content_is_400(alice_client, db):
    response = put_page(alice_client, "Budget", '{"content": "a\\ud800b", "base_revision": null}')
    assert "content: text must be valid Unicode" in error_detail(response, 400)
    assert stored() == (0, 0)


def test_invalid_title_is_400_and_writes_nothing(alice_client, db):
    response = put_page(alice_client, "Bad[title]", {"content": "x", "base_revision": None})
    assert error_detail(response, 400) == 'Titles cannot contain the character "[".'
    assert stored() == (0, 0)


def test_base_revision_of_another_page_is_400(alice_client, make_page):
    other = make_page("Other", "elsewhere").revision
    make_page("Budget", "text")
    before = stored()
    response = put_page(alice_client, "Budget", {"content": "new", "base_revision": other.pk})
    assert error_detail(response, 400) == f"Revision {other.pk} is not a revision of “Budget”."
    assert stored() == before


def test_base_revision_for_a_missing_page_is_400(alice_client, db):
    response = put_page(alice_client, "Budget", {"content": "new", "base_revision": 12345})
    detail = error_detail(response, 400)
    assert detail == "Revision 12345 is not a revision of this page, which does not exist."
    assert stored() == (0, 0)


def test_oversized_content_is_413_and_writes_nothing(alice_client, settings, db):
    settings.MAX_PAGE_BYTES = 2048
    response = put_page(alice_client, "Budget", {"content": "x" * 3000, "base_revision": None})
    assert error_detail(response, 413) == "This page is 2 KiB; the limit is 2 KiB. Split it into subpages."
    assert stored() == (0, 0)


def test_request_body_over_the_upload_limit_is_413(alice_client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = put_page(alice_client, "Budget", {"content": "x" * 5000, "base_revision": None})
    assert error_detail(response, 413) == "The request body is larger than 4 KiB."
    assert stored() == (0, 0)


def test_too_many_saves_is_429_with_retry_after(alice_client, settings, db):
    settings.EDIT_RATE_LIMIT = 1
    put_page(alice_client, "First", {"content": "one", "base_revision": None})
    before = stored()
    response = put_page(alice_client, "Second", {"content": "two", "base_revision": None})
    detail = error_detail(response, 429)
    assert detail == "You have saved 1 times in the last minute; wait a minute before saving again."
    assert response["Retry-After"] == "60"
    assert stored() == before


def test_protected_page_is_403_with_message(alice_client, make_page):
    page = make_page("Board policy", "text").page
    Page.objects.filter(pk=page.pk).update(protection=Page.Protection.TRUSTED)
    before = stored()
    response = put_page(alice_client, "Board policy", {"content": "mine", "base_revision": page.latest_id})
    assert error_detail(response, 403) == "This page is protected: only trusted members can edit it."
    assert stored() == before


def test_unconfirmed_member_is_403_with_message(client, carol):
    client.force_login(carol)
    response = put_page(client, "Budget", {"content": "x", "base_revision": None})
    detail = error_detail(response, 403)
    assert detail == "Confirm your e-mail address before editing: follow the link we sent you."
    assert stored() == (0, 0)
