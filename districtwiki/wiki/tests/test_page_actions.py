from districtwiki.wiki import actions
from districtwiki.wiki.models import LogEntry, Page, Revision, Watch


def test_history_lists_revisions_newest_first(client, make_page, django_assert_max_num_queries):
    first = make_page("Page", "one").revision
    second = make_page("Page", "one two", base_revision=first.pk, summary="added two").revision
    with django_assert_max_num_queries(4):
        response = client.get("/history/Page")
    content = response.content.decode()
    assert content.index(f"oldid={second.pk}") < content.index(f"oldid={first.pk}")
    assert "added two" in content
    assert "(+4)" in content


def test_diff_highlights_words(client, make_page):
    first = make_page("Page", "the quick fox").revision
    second = make_page("Page", "the slow fox", base_revision=first.pk).revision
    response = client.get(f"/diff/Page?from={first.pk}&to={second.pk}")
    assert b"<del>quick</del>" in response.content
    assert b"<ins>slow</ins>" in response.content


def test_diff_with_foreign_revision_is_404(client, make_page):
    other = make_page("Other", "x").revision
    make_page("Page", "y")
    assert client.get(f"/diff/Page?from={other.pk}").status_code == 404


def test_revert_writes_a_new_revision(alice_client, make_page):
    first = make_page("Page", "good").revision
    make_page("Page", "vandalised", base_revision=first.pk)
    response = alice_client.post("/revert/Page", {"revision": first.pk})
    assert response.status_code == 302
    page = Page.objects.get()
    assert page.latest.text == "good"
    assert page.revisions.count() == 3
    assert f"Reverted to revision {first.pk}" in page.latest.summary


def test_rollback_requires_trusted(alice_client, make_page, alice):
    first = make_page("Page", "good").revision
    actions.save_revision("Page", "bad", alice, first.pk)
    response = alice_client.post("/rollback/Page")
    assert response.status_code == 403
    assert Page.objects.get().latest.text == "bad"


def test_rollback_undoes_last_authors_edits(bob_client, make_page, alice):
    first = make_page("Page", "good").revision
    second = actions.save_revision("Page", "bad", alice, first.pk).revision
    actions.save_revision("Page", "worse", alice, second.pk)
    assert bob_client.post("/rollback/Page").status_code == 302
    assert Page.objects.get().latest.text == "good"


def test_move_leaves_redirect_and_keeps_history(bob_client, make_page):
    make_page("Old title", "content")
    response = bob_client.post(
        "/move/Old_title", {"new_title": "New title", "reason": "", "leave_redirect": "on"}
    )
    assert response.status_code == 302
    moved = Page.objects.get(title="New title")
    assert moved.revisions.count() == 2
    assert Page.objects.get(title="Old title").redirect_to == "New title"
    assert LogEntry.objects.filter(action="move").exists()


def test_member_cannot_move(alice_client, make_page):
    make_page("Old title", "content")
    response = alice_client.post("/move/Old_title", {"new_title": "New title", "leave_redirect": "on"})
    assert response.status_code == 403
    assert not Page.objects.filter(title="New title").exists()


def test_move_onto_existing_title_is_409(bob_client, make_page):
    make_page("Old title", "a")
    make_page("Taken", "b")
    response = bob_client.post("/move/Old_title", {"new_title": "Taken", "leave_redirect": "on"})
    assert response.status_code == 409
    assert Page.objects.get(title="Old title").latest.text == "a"


def test_move_to_invalid_title_is_400(bob_client, make_page):
    make_page("Old title", "a")
    response = bob_client.post("/move/Old_title", {"new_title": "Bad|title", "leave_redirect": "on"})
    assert response.status_code == 400
    assert Page.objects.filter(title="Old title").exists()


def test_delete_and_undelete_keep_history(ada_client, make_page):
    first = make_page("Page", "one").revision
    make_page("Page", "two", base_revision=first.pk)
    assert ada_client.post("/delete/Page", {"reason": "spam"}).status_code == 302
    assert ada_client.get("/wiki/Page").status_code == 404
    assert Revision.objects.count() == 2
    assert ada_client.post("/undelete/Page").status_code == 302
    assert ada_client.get("/wiki/Page").status_code == 200
    assert Page.objects.get().latest.text == "two"


def test_member_and_trusted_cannot_delete(alice_client, bob, make_page):
    make_page("Page", "one")
    assert alice_client.post("/delete/Page").status_code == 403
    alice_client.force_login(bob)
    assert alice_client.post("/delete/Page").status_code == 403
    assert Page.objects.live().count() == 1


def test_deleted_page_cannot_be_recreated_by_member(alice_client, make_page, ada):
    page = make_page("Page", "one").page
    actions.delete_page(page, ada)
    response = alice_client.post("/edit/Page", {"text": "again", "base_revision": "", "save": "1"})
    assert response.status_code == 403
    assert b"was deleted" in response.content


def test_protect_requires_trusted(alice_client, make_page):
    make_page("Page", "one")
    assert alice_client.post("/protect/Page", {"level": "trusted"}).status_code == 403
    assert Page.objects.get().protection == ""


def test_trusted_cannot_set_admin_protection(bob_client, make_page):
    make_page("Page", "one")
    response = bob_client.post("/protect/Page", {"level": "admin"})
    assert response.status_code == 403
    assert Page.objects.get().protection == ""


def test_watch_and_unwatch(alice_client, alice, make_page):
    page = make_page("Page", "one").page
    alice_client.post("/watch/Page", {"watch": "1"})
    assert Watch.objects.filter(user=alice, page=page).exists()
    alice_client.post("/watch/Page", {"watch": "0"})
    assert not Watch.objects.filter(user=alice).exists()
