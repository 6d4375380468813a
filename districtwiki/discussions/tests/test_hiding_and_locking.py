import pytest

from districtwiki.discussions import actions, moderation
from districtwiki.discussions.models import ModerationLog, Post, Report, Thread
from districtwiki.notifications.models import Notification

SECRET = "We replace a fifth of the fleet each year."


def test_trusted_member_hides_a_post_with_a_reason(bob_client, thread, reply):
    response = bob_client.post(f"/discussions/posts/{reply.pk}/hide", {"reason": "Off topic"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.is_hidden, reply.hidden_reason, reply.hidden_by.username) == (True, "Off topic", "bob")
    assert reply.text == SECRET  # hidden, never deleted


def test_hidden_post_shows_notice_and_no_text_to_members(alice_client, bob, thread, reply):
    moderation.hide_post(reply, bob, "Off topic")
    content = alice_client.get(f"/discussions/{thread.pk}").content.decode()
    assert "This post was hidden by a moderator: Off topic" in content
    assert SECRET not in content


def test_hidden_post_shows_no_text_to_signed_out_visitors(client, bob, thread, reply):
    moderation.hide_post(reply, bob, "Off topic")
    content = client.get(f"/discussions/{thread.pk}").content.decode()
    assert "This post was hidden by a moderator: Off topic" in content
    assert SECRET not in content


def test_hidden_post_shows_no_text_to_its_author(client, dave, bob, thread, reply):
    moderation.hide_post(reply, bob, "Off topic")
    client.force_login(dave)
    assert SECRET not in client.get(f"/discussions/{thread.pk}").content.decode()


def test_hidden_post_text_is_visible_to_moderators(bob_client, bob, thread, reply):
    moderation.hide_post(reply, bob, "Off topic")
    content = bob_client.get(f"/discussions/{thread.pk}").content.decode()
    assert "This post was hidden by a moderator: Off topic" in content
    assert SECRET in content


def test_hidden_post_text_is_visible_to_admins(ada_client, bob, thread, reply):
    moderation.hide_post(reply, bob, "Off topic")
    assert SECRET in ada_client.get(f"/discussions/{thread.pk}").content.decode()


def test_unhide_makes_the_post_visible_again(alice_client, bob_client, bob, thread, reply):
    moderation.hide_post(reply, bob, "Off topic")
    response = bob_client.post(f"/discussions/posts/{reply.pk}/unhide")
    assert response.status_code == 302
    assert SECRET in alice_client.get(f"/discussions/{thread.pk}").content.decode()
    actions_logged = list(ModerationLog.objects.order_by("id").values_list("action", flat=True))
    assert actions_logged == ["hide", "unhide"]


def test_hiding_notifies_the_author(bob, dave, reply):
    moderation.hide_post(reply, bob, "Off topic")
    note = Notification.objects.get(user=dave, kind=Notification.Kind.MODERATION)
    assert note.text == "A moderator hid your post in “Planning for next year”: Off topic"


def test_hiding_resolves_the_reports_on_that_post(alice, bob, reply):
    report = moderation.file_report(alice, "Spam", post=reply)
    moderation.hide_post(reply, bob, "Spam")
    report.refresh_from_db()
    assert (report.status, report.handled_by) == (Report.Status.RESOLVED, bob)


def test_hide_without_reason_is_400_and_hides_nothing(bob_client, reply):
    response = bob_client.post(f"/discussions/posts/{reply.pk}/hide", {"reason": "  "})
    assert response.status_code == 400
    assert "Give a reason for hiding the post: it is required." in response.content.decode()
    reply.refresh_from_db()
    assert not reply.is_hidden
    assert not ModerationLog.objects.exists()


def test_member_cannot_hide_a_post(alice_client, reply):
    response = alice_client.post(f"/discussions/posts/{reply.pk}/hide", {"reason": "I dislike it"})
    assert response.status_code == 403
    assert "Only trusted members and admins can moderate discussions." in response.content.decode()
    reply.refresh_from_db()
    assert not reply.is_hidden


def test_member_cannot_unhide_a_post(alice_client, bob, reply):
    moderation.hide_post(reply, bob, "Off topic")
    assert alice_client.post(f"/discussions/posts/{reply.pk}/unhide").status_code == 403
    reply.refresh_from_db()
    assert reply.is_hidden


def test_hide_returns_to_a_local_next_only(bob_client, reply):
    response = bob_client.post(
        f"/discussions/posts/{reply.pk}/hide", {"reason": "x", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith(f"/discussions/{reply.thread_id}")


# --- Locking --------------------------------------------------------------------------------------------


def test_trusted_member_locks_a_thread(bob_client, thread):
    response = bob_client.post(f"/discussions/{thread.pk}/lock", {"lock": "1"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == Thread.Status.LOCKED


def test_locked_thread_refuses_new_posts_with_a_message(client, dave, bob, thread):
    moderation.set_thread_lock(thread, bob, True)
    client.force_login(dave)
    response = client.post(f"/discussions/{thread.pk}", {"body": "Can I still post?"})
    assert response.status_code == 403
    assert "This thread is locked by a moderator: no new posts can be added" in response.content.decode()
    assert thread.posts.count() == 1


def test_locked_thread_shows_no_reply_form(alice_client, bob, thread):
    moderation.set_thread_lock(thread, bob, True)
    content = alice_client.get(f"/discussions/{thread.pk}").content.decode()
    assert 'id="reply-body"' not in content
    assert "This thread is locked, so it takes no new replies." in content


def test_unlocked_thread_takes_posts_again(client, dave, bob, thread):
    moderation.set_thread_lock(thread, bob, True)
    moderation.set_thread_lock(thread, bob, False)
    client.force_login(dave)
    assert client.post(f"/discussions/{thread.pk}", {"body": "Back again"}).status_code == 302


def test_member_cannot_lock_a_thread(alice_client, thread):
    response = alice_client.post(f"/discussions/{thread.pk}/lock", {"lock": "1"})
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.status == Thread.Status.OPEN


def test_locking_a_locked_thread_is_400(bob_client, bob, thread):
    moderation.set_thread_lock(thread, bob, True)
    response = bob_client.post(f"/discussions/{thread.pk}/lock", {"lock": "1"})
    assert response.status_code == 400
    assert "That thread is already locked." in response.content.decode()
    assert ModerationLog.objects.count() == 1


def test_lock_taken_while_posting_still_refuses(dave, bob, thread):
    stale = Thread.objects.get(pk=thread.pk)  # read before the lock, as a slow request would
    moderation.set_thread_lock(thread, bob, True)
    with pytest.raises(actions.ThreadLocked):
        actions.add_post(stale, "late", dave)
    assert not Post.objects.filter(author=dave).exists()
