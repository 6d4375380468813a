"""/special/preview: only for someone who may edit, within a byte budget, never showing a deleted page."""

import pytest

from conftest import make_user
from districtwiki.wiki import actions


def preview(client, **fields):
    return client.post("/special/preview", fields)


def test_signed_out_preview_is_refused_with_a_sentence(anon_client, make_page):
    make_page("Page", "secret-ish draft")
    response = preview(anon_client, text="*hi*", mode="changes", title="Page")
    assert response.status_code == 403
    assert response.json()["detail"] == "Sign in to edit pages."


def test_unconfirmed_member_cannot_preview(client, db):
    client.force_login(make_user("carol", confirmed=False))
    response = preview(client, text="*hi*")
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.json()["detail"]


def test_anonymous_preview_allowed_where_anonymous_edits_are(anon_client, settings, db):
    settings.ALLOW_ANONYMOUS_EDITS = True
    assert b"<em>hi</em>" in preview(anon_client, text="*hi*").content


def test_member_cannot_preview_a_page_protected_from_them(alice_client, make_page, bob):
    page = make_page("Policy", "text").page
    actions.protect_page(page, "trusted", bob)
    response = preview(alice_client, text="*hi*", title="Policy")
    assert response.status_code == 403
    assert "protected" in response.json()["detail"]


@pytest.mark.parametrize("mode", ["changes", ""])
def test_deleted_page_is_not_found_as_at_wiki_and_raw(alice_client, make_page, ada, mode):
    page = make_page("Gone", "the deleted text").page
    actions.delete_page(page, ada, "spam")
    response = preview(alice_client, text="new text", mode=mode, title="Gone")
    assert response.status_code == 404
    assert response.json()["detail"] == 'There is no page called "Gone".'
    assert b"deleted text" not in response.content
    assert alice_client.get("/raw/Gone").status_code == 404


def test_changes_against_a_live_page_and_a_new_one(alice_client, make_page):
    make_page("Live", "old line")
    assert b"<ins>new</ins>" in preview(alice_client, text="new line", mode="changes", title="Live").content
    assert b"<ins>" not in preview(alice_client, text="new line", mode="changes", title="Brand new").content
    assert preview(alice_client, text="new line", mode="changes", title="Brand new").status_code == 200


def test_preview_budget_per_member(alice_client, settings, db):
    settings.PREVIEW_BYTES_PER_MINUTE = 100 * 1024
    text = "x" * (40 * 1024)
    assert [preview(alice_client, text=text).status_code for _ in range(3)] == [200, 200, 429]
    response = preview(alice_client, text="*tiny*")
    assert response.status_code == 429
    assert "wait a minute" in response.json()["detail"]


def test_preview_budget_is_per_member(client, settings, db):
    settings.PREVIEW_BYTES_PER_MINUTE = 64 * 1024
    first, second = make_user("dora"), make_user("eve")
    client.force_login(first)
    codes = [preview(client, text="*hi*").status_code for _ in range(5)]
    client.force_login(second)
    assert codes == [200, 200, 200, 200, 429]
    assert preview(client, text="*hi*").status_code == 200


def test_oversized_preview_is_413_before_rendering(alice_client, settings, db):
    settings.MAX_PAGE_BYTES = 1024
    response = preview(alice_client, text="x" * 2048)
    assert response.status_code == 413
    assert "the limit is 1 KiB" in response.json()["detail"]


@pytest.mark.parametrize("refused", ["oversized", "protected", "deleted"])
def test_a_refused_preview_spends_none_of_the_budget(alice_client, make_page, settings, ada, refused):
    """The budget counts what was rendered: four previews of at most 16 KiB fit in 64 KiB, after any
    number of refusals."""
    settings.PREVIEW_BYTES_PER_MINUTE = 64 * 1024
    settings.MAX_PAGE_BYTES = 1024
    page = make_page("Target", "text").page
    if refused == "protected":
        actions.protect_page(page, "trusted", ada)
    elif refused == "deleted":
        actions.delete_page(page, ada, "spam")
    text = "x" * 2048 if refused == "oversized" else "*hi*"
    statuses = {preview(alice_client, text=text, title="Target").status_code for _ in range(6)}
    assert statuses == {{"oversized": 413, "protected": 403, "deleted": 404}[refused]}
    assert [preview(alice_client, text="*hi*").status_code for _ in range(5)] == [200, 200, 200, 200, 429]
