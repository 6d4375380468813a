from districtwiki.discussions import actions
from districtwiki.discussions.models import ThreadWatch
from districtwiki.notifications.models import Notification
from districtwiki.wiki import actions as wiki_actions


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def test_mention_notifies_the_mentioned_member(client, alice, bob, thread):
    client.force_login(alice)
    client.post(f"/discussions/{thread.pk}", {"body": "@bob, what does your district do?"})
    note = Notification.objects.get(user=bob)
    post = thread.posts.last()
    assert note.kind == Notification.Kind.MENTION
    assert note.actor == alice
    assert note.url == f"/discussions/posts/{post.pk}"
    assert note.text == "alice mentioned you in “Planning for next year” on Budget basics"


def test_mention_links_to_the_members_profile(alice, bob, thread):
    post = actions.add_post(thread, "Thanks @bob.", alice)
    assert '<a class="mention" href="/members/bob">@bob</a>.' in post.html


def test_mention_is_case_insensitive(alice, bob, thread):
    actions.add_post(thread, "Ask @Bob", alice)
    assert kinds_for(bob) == [Notification.Kind.MENTION]


def test_mention_of_unknown_name_notifies_no_one_and_is_plain_text(alice, thread):
    post = actions.add_post(thread, "Hello @nobody", alice)
    assert "@nobody" in post.html
    assert "mention" not in post.html
    assert not Notification.objects.filter(kind=Notification.Kind.MENTION).exists()


def test_email_address_is_not_a_mention(alice, bob, thread):
    actions.add_post(thread, "Write to helpdesk@bob for help.", alice)
    assert kinds_for(bob) == []


def test_mention_in_code_or_quote_notifies_no_one(alice, bob, thread):
    actions.add_post(thread, "`@bob` and\n\n```\n@bob\n```\n\n> @bob said so", alice)
    assert kinds_for(bob) == []


def test_mentioning_oneself_notifies_no_one(alice, thread):
    actions.add_post(thread, "I, @alice, agree.", alice)
    assert kinds_for(alice) == []


def test_new_post_notifies_thread_watchers(alice, dave, thread):
    actions.add_post(thread, "Leases.", dave)
    note = Notification.objects.get(user=alice)
    assert note.kind == Notification.Kind.THREAD_POST
    assert note.text == "dave posted in “Planning for next year” on Budget basics"


def test_author_is_not_notified_of_own_post(alice, thread):
    actions.add_post(thread, "Adding more.", alice)
    assert kinds_for(alice) == []


def test_posting_watches_the_thread(dave, thread, reply):
    assert ThreadWatch.objects.filter(user=dave, thread=thread).exists()


def test_mentioned_watcher_gets_one_notification(alice, dave, thread, reply):
    actions.add_post(thread, "@alice see this", dave)
    assert kinds_for(alice) == [Notification.Kind.THREAD_POST, Notification.Kind.MENTION]


def test_watch_button_watches_and_unwatch_stops_notifications(client, alice, bob, thread):
    client.force_login(bob)
    client.post(f"/discussions/{thread.pk}/watch", {"watch": "1"})
    assert ThreadWatch.objects.filter(user=bob, thread=thread).exists()
    actions.add_post(thread, "first", alice)
    client.post(f"/discussions/{thread.pk}/watch", {"watch": "0"})
    actions.add_post(thread, "second", alice)
    assert kinds_for(bob) == [Notification.Kind.THREAD_POST]


def test_watch_requires_sign_in(client, thread):
    response = client.post(f"/discussions/{thread.pk}/watch", {"watch": "1"})
    assert response.status_code == 403
    assert ThreadWatch.objects.filter(thread=thread).count() == 1  # only the author's


def test_thread_page_offers_unwatch_to_a_watcher(alice_client, thread):
    content = alice_client.get(f"/discussions/{thread.pk}").content.decode()
    assert "Unwatch this thread" in content


def test_edit_notifies_only_newly_mentioned_members(alice, bob, dave, first_post):
    actions.edit_post(first_post, "What do you budget for devices, @bob?", alice)
    actions.edit_post(first_post, "What do you budget for devices, @bob and @dave?", alice)
    assert kinds_for(bob) == [Notification.Kind.MENTION]
    assert kinds_for(dave) == [Notification.Kind.MENTION]


def test_new_thread_notifies_watchers_of_the_page(page, alice, bob):
    wiki_actions.set_watch(page, bob, True)
    actions.start_thread(page, "New question", "Text", alice)
    note = Notification.objects.get(user=bob)
    assert note.kind == Notification.Kind.THREAD_POST
    assert note.text == "alice started a discussion “New question” on Budget basics"
