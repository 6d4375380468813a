from django.test import override_settings

from districtwiki.wiki.models import Page, Revision


def post_edit(client, title, text, base=None, **extra):
    data = {"text": text, "base_revision": "" if base is None else base, "summary": "", "save": "1", **extra}
    return client.post(f"/edit/{title}", data)


def test_member_creates_page(alice_client):
    response = post_edit(alice_client, "New_page", "Hello [[World]]")
    assert response.status_code == 302
    assert response["Location"] == "/wiki/New_page"
    assert Page.objects.get(title="New page").latest.text == "Hello [[World]]"


def test_edit_form_carries_base_revision(alice_client, make_page):
    revision = make_page("Page", "text").revision
    response = alice_client.get("/edit/Page")
    assert f'name="base_revision" value="{revision.pk}"'.encode() in response.content


def test_anonymous_edit_redirects_to_sign_in(client, db):
    response = client.get("/edit/New_page")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/edit/New_page")


def test_anonymous_save_is_refused_and_writes_nothing(client, db):
    response = post_edit(client, "New_page", "spam")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Page.objects.exists()


@override_settings(ALLOW_ANONYMOUS_EDITS=True)
def test_anonymous_edit_allowed_by_setting(client, db):
    assert post_edit(client, "New_page", "hello").status_code == 302
    assert Page.objects.get().latest.author_name == "Anonymous"


def test_unconfirmed_member_cannot_edit(client, carol):
    client.force_login(carol)
    response = post_edit(client, "New_page", "hello")
    assert response.status_code == 403
    assert b"Confirm your e-mail address" in response.content
    assert not Page.objects.exists()


def test_identical_save_says_nothing_changed(alice_client, make_page):
    revision = make_page("Page", "same text").revision
    response = post_edit(alice_client, "Page", "same text", revision.pk)
    assert response.status_code == 302
    assert Revision.objects.count() == 1
    followed = alice_client.get(response["Location"])
    assert b"Nothing changed" in followed.content


@override_settings(MAX_PAGE_BYTES=2048)
def test_oversized_page_rejected_with_413(alice_client, make_page):
    revision = make_page("Page", "small").revision
    response = post_edit(alice_client, "Page", "x" * 3000, revision.pk)
    assert response.status_code == 413
    assert b"the limit is 2 KiB" in response.content
    assert Revision.objects.count() == 1
    assert b"x" * 3000 in response.content  # the editor's text is kept


def test_stale_base_is_merged(alice_client, make_page, bob):
    base = make_page("Page", "one\ntwo\nthree").revision
    make_page("Page", "ONE\ntwo\nthree", author=bob, base_revision=base.pk)
    response = post_edit(alice_client, "Page", "one\ntwo\nTHREE", base.pk)
    assert response.status_code == 302
    assert Page.objects.get().latest.text == "ONE\ntwo\nTHREE"


def test_conflict_is_409_with_text_kept_and_nothing_saved(alice_client, make_page, bob):
    base = make_page("Page", "one\ntwo").revision
    theirs = make_page("Page", "uno\ntwo", author=bob, base_revision=base.pk).revision
    response = post_edit(alice_client, "Page", "eins\ntwo", base.pk)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Edit conflict" in content
    assert "eins\ntwo</textarea>" in content
    assert f'name="base_revision" value="{theirs.pk}"' in content
    assert Revision.objects.count() == 2


def test_conflict_screen_says_it_once(alice_client, make_page, bob):
    base = make_page("Page", "one\ntwo").revision
    make_page("Page", "uno\ntwo", author=bob, base_revision=base.pk)
    html = post_edit(alice_client, "Page", "eins\ntwo", base.pk).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("overlap") == 1
    assert main.count("Your text is kept") + main.count("Your full text is kept") == 1


def test_base_revision_of_other_page_is_400(alice_client, make_page):
    other = make_page("Other", "x").revision
    make_page("Page", "y")
    response = post_edit(alice_client, "Page", "z", other.pk)
    assert response.status_code == 400
    assert b"is not a revision of" in response.content
    assert Page.objects.get(title="Page").latest.text == "y"


def test_non_numeric_base_revision_is_400(alice_client, make_page):
    make_page("Page", "y")
    response = post_edit(alice_client, "Page", "z", "abc")
    assert response.status_code == 400
    assert Revision.objects.count() == 1


def test_invalid_title_on_save_is_400(alice_client, db):
    response = post_edit(alice_client, "Bad%7Btitle", "text")
    assert response.status_code == 400
    assert b"Titles cannot contain" in response.content
    assert not Page.objects.exists()


@override_settings(EDIT_RATE_LIMIT=2)
def test_edit_rate_limit_is_429(alice_client, db):
    assert post_edit(alice_client, "One", "a").status_code == 302
    assert post_edit(alice_client, "Two", "b").status_code == 302
    response = post_edit(alice_client, "Three", "c")
    assert response.status_code == 429
    assert b"wait a minute" in response.content
    assert not Page.objects.filter(title="Three").exists()


def test_preview_button_renders_without_saving(alice_client, db):
    response = alice_client.post("/edit/Page", {"text": "**bold**", "preview": "1"})
    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.content
    assert not Page.objects.exists()


def test_show_changes_renders_diff_without_saving(alice_client, make_page):
    revision = make_page("Page", "old line").revision
    response = alice_client.post(
        "/edit/Page", {"text": "new line", "base_revision": revision.pk, "show_changes": "1"}
    )
    assert b"<ins>new</ins>" in response.content
    assert Revision.objects.count() == 1


def test_preview_endpoint_returns_fragment(alice_client, db):
    response = alice_client.post("/special/preview", {"text": "[[Nowhere]] *hi*"})
    assert response.status_code == 200
    assert b"<em>hi</em>" in response.content
    assert b'class="wikilink new"' in response.content


def test_protected_page_refuses_members(alice_client, make_page, bob):
    from districtwiki.wiki import actions

    page = make_page("Policy", "text").page
    actions.protect_page(page, "trusted", bob)
    response = post_edit(alice_client, "Policy", "changed", page.latest_id)
    assert response.status_code == 403
    assert b"only trusted members can edit it" in response.content
    assert Revision.objects.filter(page=page).count() == 1
