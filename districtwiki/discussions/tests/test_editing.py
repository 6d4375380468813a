import time_machine

from districtwiki.discussions import actions, moderation
from districtwiki.discussions.models import PostRevision


def test_author_edits_own_post_and_earlier_version_is_kept(alice_client, first_post):
    response = alice_client.post(
        f"/discussions/posts/{first_post.pk}/edit", {"body": "What do you budget for *laptops*?"}
    )
    assert response.status_code == 302
    first_post.refresh_from_db()
    assert first_post.text == "What do you budget for *laptops*?"
    assert first_post.html == "<p>What do you budget for <em>laptops</em>?</p>\n"
    assert first_post.edited_at is not None
    version = PostRevision.objects.get(post=first_post)
    assert version.text == "What do you budget for devices?"
    assert version.html == "<p>What do you budget for devices?</p>\n"


def test_every_earlier_version_is_kept(alice, first_post):
    with time_machine.travel("2026-01-01 10:00Z", tick=False):
        actions.edit_post(first_post, "second", alice)
    with time_machine.travel("2026-01-01 11:00Z", tick=False):
        actions.edit_post(first_post, "third", alice)
    texts = list(PostRevision.objects.filter(post=first_post).order_by("id").values_list("text", flat=True))
    assert texts == ["What do you budget for devices?", "second"]
    second = PostRevision.objects.get(text="second")
    assert (second.saved_at.hour, second.replaced_at.hour) == (10, 11)


def test_edit_form_is_prefilled(alice_client, first_post):
    response = alice_client.get(f"/discussions/posts/{first_post.pk}/edit")
    assert response.status_code == 200
    assert "What do you budget for devices?" in response.content.decode()


def test_edit_with_no_change_saves_nothing(alice_client, first_post):
    response = alice_client.post(
        f"/discussions/posts/{first_post.pk}/edit", {"body": first_post.text}, follow=True
    )
    assert "Nothing changed" in response.content.decode()
    assert not PostRevision.objects.exists()


def test_editing_someone_elses_post_is_403(client, dave, first_post):
    client.force_login(dave)
    response = client.post(f"/discussions/posts/{first_post.pk}/edit", {"body": "hijacked"})
    assert response.status_code == 403
    assert "You can only edit your own posts." in response.content.decode()
    first_post.refresh_from_db()
    assert first_post.text == "What do you budget for devices?"
    assert not PostRevision.objects.exists()


def test_moderator_cannot_edit_someone_elses_post(bob_client, first_post):
    response = bob_client.post(f"/discussions/posts/{first_post.pk}/edit", {"body": "moderated"})
    assert response.status_code == 403
    assert not PostRevision.objects.exists()


def test_empty_edit_is_400_and_writes_nothing(alice_client, first_post):
    response = alice_client.post(f"/discussions/posts/{first_post.pk}/edit", {"body": "   "})
    assert response.status_code == 400
    assert "Write something in your post: it is empty." in response.content.decode()
    first_post.refresh_from_db()
    assert first_post.text == "What do you budget for devices?"
    assert not PostRevision.objects.exists()


def test_oversized_edit_is_400_and_writes_nothing(alice_client, first_post):
    response = alice_client.post(f"/discussions/posts/{first_post.pk}/edit", {"body": "é" * 40000})
    assert response.status_code == 400
    assert "the limit is 64 KiB" in response.content.decode()
    assert not PostRevision.objects.exists()


def test_hidden_post_cannot_be_edited_by_its_author(alice_client, bob, first_post):
    moderation.hide_post(first_post, bob, "Spam")
    response = alice_client.post(f"/discussions/posts/{first_post.pk}/edit", {"body": "sneaky"})
    assert response.status_code == 403
    assert "A moderator hid this post, so it cannot be edited." in response.content.decode()
    assert not PostRevision.objects.exists()


def test_post_in_locked_thread_cannot_be_edited(alice_client, bob, thread, first_post):
    moderation.set_thread_lock(thread, bob, True)
    response = alice_client.post(f"/discussions/posts/{first_post.pk}/edit", {"body": "changed"})
    assert response.status_code == 403
    assert "This thread is locked by a moderator" in response.content.decode()
    assert not PostRevision.objects.exists()


# --- Earlier versions are for moderators only -----------------------------------------------------------


def test_history_is_visible_to_trusted_members(bob_client, alice, first_post):
    actions.edit_post(first_post, "Edited text", alice)
    response = bob_client.get(f"/discussions/posts/{first_post.pk}/history")
    assert response.status_code == 200
    assert "What do you budget for devices?" in response.content.decode()
    assert "Edited text" in response.content.decode()


def test_history_is_visible_to_admins(ada_client, alice, first_post):
    actions.edit_post(first_post, "Edited text", alice)
    assert ada_client.get(f"/discussions/posts/{first_post.pk}/history").status_code == 200


def test_history_is_403_for_members_even_the_author(alice_client, alice, first_post):
    actions.edit_post(first_post, "Edited text", alice)
    response = alice_client.get(f"/discussions/posts/{first_post.pk}/history")
    assert response.status_code == 403
    assert "What do you budget for devices?" not in response.content.decode()


def test_history_link_shown_to_moderators_only(alice_client, client, bob, alice, thread, first_post):
    actions.edit_post(first_post, "Edited text", alice)
    link = f'href="/discussions/posts/{first_post.pk}/history"'
    assert link not in alice_client.get(f"/discussions/{thread.pk}").content.decode()
    client.force_login(bob)
    assert link in client.get(f"/discussions/{thread.pk}").content.decode()
