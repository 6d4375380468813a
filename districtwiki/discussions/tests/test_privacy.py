import json

from districtwiki.discussions import actions, moderation, privacy
from districtwiki.discussions.models import (
    FORMER_MEMBER,
    ModerationLog,
    Post,
    PostRevision,
    Report,
    Thread,
    ThreadWatch,
)


def test_export_holds_threads_posts_versions_watches_and_reports(alice, dave, thread, first_post, reply):
    actions.edit_post(first_post, "Edited question", alice)
    moderation.file_report(alice, "Spam", post=reply)
    data = privacy.export(alice)
    assert json.loads(json.dumps(data)) == data
    assert [t["subject"] for t in data["threads_started"]] == ["Planning for next year"]
    assert data["posts"][0]["text"] == "Edited question"
    assert data["posts"][0]["earlier_versions"][0]["text"] == "What do you budget for devices?"
    assert data["watched_threads"] == [{"thread": thread.pk, "subject": "Planning for next year"}]
    assert data["reports_filed"][0]["reason"] == "Spam"


def test_export_holds_nothing_of_other_members(alice, dave, reply):
    assert [post["text"] for post in privacy.export(alice)["posts"]] == ["What do you budget for devices?"]


def test_erase_keeps_posts_and_attributes_them_to_former_member(alice, thread, first_post):
    actions.edit_post(first_post, "Edited question", alice)
    privacy.erase(alice)
    post = Post.objects.get(pk=first_post.pk)
    assert (post.author, post.author_name, post.text) == (None, FORMER_MEMBER, "Edited question")
    assert PostRevision.objects.filter(post=post).exists()
    thread = Thread.objects.get(pk=thread.pk)
    assert (thread.author, thread.author_name) == (None, FORMER_MEMBER)


def test_erase_removes_watches_and_keeps_reports_without_reporter(alice, reply):
    report = moderation.file_report(alice, "Spam", post=reply)
    privacy.erase(alice)
    assert not ThreadWatch.objects.filter(user=alice).exists()
    report = Report.objects.get(pk=report.pk)
    assert (report.reporter, report.reason) == (None, "Spam")


def test_erase_keeps_moderation_actions_without_the_moderator(bob, reply):
    moderation.hide_post(reply, bob, "Off topic")
    privacy.erase(bob)
    reply.refresh_from_db()
    assert (reply.is_hidden, reply.hidden_by) == (True, None)
    assert ModerationLog.objects.get().actor is None


def test_erased_members_posts_show_former_member(client, alice, thread):
    privacy.erase(alice)
    assert FORMER_MEMBER in client.get(f"/discussions/{thread.pk}").content.decode()


def test_erase_then_delete_account_keeps_posts(alice, thread, first_post):
    privacy.erase(alice)
    alice.delete()
    assert Post.objects.get(pk=first_post.pk).author_name == FORMER_MEMBER
