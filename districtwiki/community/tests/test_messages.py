import pytest
import time_machine
from django.utils import timezone

from districtwiki.community import messaging
from districtwiki.community.models import Block, Conversation, Message, MessageReport
from districtwiki.notifications.models import Notification


@pytest.fixture
def pair(member):
    """Two members, dana and erin, who have not written to each other yet."""
    return member("dana", display_name="Dana"), member("erin")


def test_first_message_starts_a_conversation(pair, client_for):
    dana = pair[0]
    response = client_for(dana).post("/members/messages/new/erin", {"body": "Hello **Erin**"})
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/members/messages/{conversation.pk}#latest"
    message = Message.objects.get()
    assert (message.sender, message.body) == (dana, "Hello **Erin**")
    assert "<strong>Erin</strong>" in message.html


def test_message_body_is_sanitised(pair, client_for):
    client_for(pair[0]).post("/members/messages/new/erin", {"body": "<script>alert(1)</script>hi"})
    assert "<script>" not in Message.objects.get().html


def test_new_message_notifies_the_recipient(pair, client_for):
    dana, erin = pair
    client_for(dana).post("/members/messages/new/erin", {"body": "Hello"})
    notification = Notification.objects.get(user=erin)
    assert notification.kind == Notification.Kind.MESSAGE
    assert notification.text == "dana sent you a message"
    assert notification.url == Conversation.objects.get().get_absolute_url()


def test_writing_again_reuses_the_conversation(pair, client_for):
    dana, erin = pair
    messaging.send_message(dana, erin, "one")
    messaging.send_message(erin, dana, "two")
    assert Conversation.objects.count() == 1
    response = client_for(dana).get("/members/messages/new/erin")
    assert response.status_code == 302
    assert response["Location"] == f"{Conversation.objects.get().get_absolute_url()}#reply"


def test_both_parties_read_the_conversation(pair, client_for):
    dana, erin = pair
    conversation = messaging.send_message(dana, erin, "Hello from Dana").conversation
    for user in pair:
        response = client_for(user).get(conversation.get_absolute_url())
        assert response.status_code == 200
        assert "Hello from Dana" in response.content.decode()


@pytest.mark.parametrize("outsider", ["member", "admin"])
def test_nobody_else_can_read_a_conversation(pair, member, client_for, outsider):
    conversation = messaging.send_message(*pair, "Private words").conversation
    user = member("finn", role_name="admin" if outsider == "admin" else "member")
    response = client_for(user).get(conversation.get_absolute_url())
    assert response.status_code == 404
    assert "Private words" not in response.content.decode()


def test_outsider_cannot_reply_to_a_conversation(pair, member, client_for):
    conversation = messaging.send_message(*pair, "Private words").conversation
    response = client_for(member("finn")).post(conversation.get_absolute_url(), {"body": "Let me in"})
    assert response.status_code == 404
    assert Message.objects.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in(pair, client):
    conversation = messaging.send_message(*pair, "Private words").conversation
    response = client.get(conversation.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_reply_is_delivered_to_the_other_party(pair, client_for):
    dana, erin = pair
    conversation = messaging.send_message(dana, erin, "Hi").conversation
    response = client_for(erin).post(conversation.get_absolute_url(), {"body": "Hi back"})
    assert response.status_code == 302
    assert "Hi back" in client_for(dana).get(conversation.get_absolute_url()).content.decode()


def test_opening_a_conversation_marks_received_messages_read(pair, client_for):
    dana, erin = pair
    message = messaging.send_message(dana, erin, "Hi")
    client_for(dana).get(message.conversation.get_absolute_url())
    message.refresh_from_db()
    assert message.read_at is None
    client_for(erin).get(message.conversation.get_absolute_url())
    message.refresh_from_db()
    assert message.read_at is not None


def test_inbox_lists_conversations_with_unread_counts(pair, client_for):
    dana, erin = pair
    messaging.send_message(dana, erin, "one")
    messaging.send_message(dana, erin, "two")
    html = client_for(erin).get("/members/messages/").content.decode()
    assert ">Dana</a>" in html
    assert "2 new" in html


def test_inbox_names_members_by_what_the_reader_may_see(member, client_for):
    from districtwiki.community.models import Visibility

    dana = member("dana", display_name="Secret Name", display_name_visibility=Visibility.HIDDEN)
    erin = member("erin")
    messaging.send_message(dana, erin, "Hi")
    html = client_for(erin).get("/members/messages/").content.decode()
    assert ">dana</a>" in html
    assert "Secret Name" not in html


def test_message_pages_never_show_email_addresses(pair, client_for):
    dana, erin = pair
    conversation = messaging.send_message(dana, erin, "Hi").conversation
    for url in ("/members/messages/", conversation.get_absolute_url(), "/members/messages/new/dana"):
        html = client_for(erin).get(url, follow=True).content.decode()
        assert "@example.org" not in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write a message before sending it."),
        ("   \n ", "Write a message before sending it."),
        ("x" * 10_001, "at most 10000 characters"),
    ],
)
def test_bad_message_is_refused_and_nothing_sent(pair, client_for, body, message):
    response = client_for(pair[0]).post("/members/messages/new/erin", {"body": body})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Message.objects.exists()
    assert not Conversation.objects.exists()
    assert not Notification.objects.exists()


def test_empty_reply_is_refused(pair, client_for):
    conversation = messaging.send_message(*pair, "Hi").conversation
    response = client_for(pair[1]).post(conversation.get_absolute_url(), {"body": ""})
    assert response.status_code == 400
    assert "Write a message before sending it." in response.content.decode()
    assert Message.objects.count() == 1


def test_longest_message_is_accepted(pair):
    assert messaging.send_message(*pair, "x" * 10_000).body == "x" * 10_000


def test_message_to_oneself_is_refused(pair, client_for):
    response = client_for(pair[0]).post("/members/messages/new/dana", {"body": "Hi me"})
    assert response.status_code == 400
    assert "You cannot send a message to yourself." in response.content.decode()
    assert not Message.objects.exists()


def test_message_to_unknown_member_is_not_found(pair, client_for):
    response = client_for(pair[0]).post("/members/messages/new/nobody", {"body": "Hi"})
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_unconfirmed_member_cannot_send(member, client_for):
    member("erin")
    carol = member("carol", confirmed=False)
    response = client_for(carol).post("/members/messages/new/erin", {"body": "Hi"})
    assert response.status_code == 403
    assert "Confirm your e-mail address before sending messages" in response.content.decode()
    assert not Message.objects.exists()


def test_message_to_suspended_member_is_refused(pair, client_for):
    dana, erin = pair
    conversation = messaging.send_message(dana, erin, "Hi").conversation
    erin.is_active = False
    erin.save()
    response = client_for(dana).post(conversation.get_absolute_url(), {"body": "Still there?"})
    assert response.status_code == 403
    assert messaging.NOT_DELIVERED in response.content.decode()
    assert Message.objects.count() == 1


# --- Blocking


def test_block_stops_delivery_without_revealing_it(pair, client_for):
    dana, erin = pair
    Block.objects.create(blocker=erin, blocked=dana)
    response = client_for(dana).post("/members/messages/new/erin", {"body": "Hello?"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "could not be delivered" in html
    assert "block" not in html.lower()
    assert not Message.objects.exists()
    assert not Notification.objects.exists()


def test_blocked_member_cannot_reply_in_an_existing_conversation(pair, client_for):
    dana, erin = pair
    conversation = messaging.send_message(dana, erin, "Hi").conversation
    Block.objects.create(blocker=erin, blocked=dana)
    response = client_for(dana).post(conversation.get_absolute_url(), {"body": "Hello?"})
    assert response.status_code == 403
    assert Message.objects.count() == 1


def test_blocker_cannot_write_to_the_member_they_blocked(pair, client_for):
    dana, erin = pair
    Block.objects.create(blocker=erin, blocked=dana)
    response = client_for(erin).post("/members/messages/new/dana", {"body": "Ha"})
    assert response.status_code == 403
    assert "You blocked this member" in response.content.decode()
    assert not Message.objects.exists()


def test_block_button_blocks(pair, client_for):
    dana, erin = pair
    response = client_for(erin).post("/members/block/dana")
    assert response.status_code == 302
    assert response["Location"] == "/members/dana"
    assert Block.objects.filter(blocker=erin, blocked=dana).exists()


def test_blocking_oneself_is_refused(pair, client_for):
    response = client_for(pair[0]).post("/members/block/dana")
    assert response.status_code == 400
    assert "You cannot block yourself." in response.content.decode()
    assert not Block.objects.exists()


def test_block_needs_post(pair, client_for):
    assert client_for(pair[1]).get("/members/block/dana").status_code == 405
    assert not Block.objects.exists()


def test_unblock_restores_delivery(pair, client_for):
    dana, erin = pair
    Block.objects.create(blocker=erin, blocked=dana)
    assert client_for(erin).post("/members/unblock/dana").status_code == 302
    assert messaging.send_message(dana, erin, "Friends again?").pk


def test_unblocking_someone_not_blocked_is_refused(pair, client_for):
    response = client_for(pair[1]).post("/members/unblock/dana")
    assert response.status_code == 400
    assert "You had not blocked this member." in response.content.decode()


def test_inbox_lists_blocked_members(pair, client_for):
    dana, erin = pair
    Block.objects.create(blocker=erin, blocked=dana)
    html = client_for(erin).get("/members/messages/").content.decode()
    assert 'action="/members/unblock/dana"' in html


# --- Rate limit


def test_sending_is_rate_limited(pair, client_for):
    dana, erin = pair
    with time_machine.travel(timezone.now(), tick=False):
        for number in range(messaging.MESSAGES_PER_MINUTE):
            messaging.send_message(dana, erin, f"message {number}")
        response = client_for(dana).post("/members/messages/new/erin", {"body": "one too many"})
    assert response.status_code == 429
    assert "wait a minute" in response.content.decode()
    assert Message.objects.count() == messaging.MESSAGES_PER_MINUTE


def test_rate_limit_lifts_after_a_minute(pair):
    dana, erin = pair
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(messaging.MESSAGES_PER_MINUTE):
            messaging.send_message(dana, erin, f"message {number}")
    with time_machine.travel(start + timezone.timedelta(seconds=61), tick=False):
        assert messaging.send_message(dana, erin, "later").pk


def test_hourly_limit_applies(pair):
    dana, erin = pair
    start = timezone.now()
    for minute in range(messaging.MESSAGES_PER_HOUR // messaging.MESSAGES_PER_MINUTE):
        with time_machine.travel(start + timezone.timedelta(minutes=2 * minute), tick=False):
            for number in range(messaging.MESSAGES_PER_MINUTE):
                messaging.send_message(dana, erin, f"message {minute}-{number}")
    later = start + timezone.timedelta(minutes=30)
    with time_machine.travel(later, tick=False), pytest.raises(messaging.RateLimited, match="last hour"):
        messaging.send_message(dana, erin, "too many")


# --- Reports


def test_recipient_reports_a_message_to_the_moderation_queue(pair, client_for):
    from districtwiki.discussions.models import Report

    dana, erin = pair
    message = messaging.send_message(dana, erin, "Buy my stuff")
    response = client_for(erin).post(f"/members/messages/report/{message.pk}", {"reason": "Spam"})
    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert (report.message, report.reporter, report.sender, report.reason) == (message, erin, dana, "Spam")
    queued = Report.objects.get()
    assert queued.target_user == dana
    assert f"/members/messages/reports/{report.pk}" in queued.reason


def test_moderator_reads_the_reported_message(pair, member, client_for):
    dana, erin = pair
    message = messaging.send_message(dana, erin, "Buy my stuff")
    report = messaging.report_message(erin, message.pk, "Spam")
    trusted = member("tina", role_name="trusted")
    response = client_for(trusted).get(report.get_absolute_url())
    assert response.status_code == 200
    assert "Buy my stuff" in response.content.decode()


def test_member_cannot_read_a_reported_message(pair, member, client_for):
    message = messaging.send_message(*pair, "Buy my stuff")
    report = messaging.report_message(pair[1], message.pk, "Spam")
    response = client_for(member("finn")).get(report.get_absolute_url())
    assert response.status_code == 404
    assert "Buy my stuff" not in response.content.decode()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say why you are reporting this message"),
        ("x" * 1001, "at most 1000 characters"),
    ],
)
def test_bad_report_is_refused_and_nothing_filed(pair, client_for, reason, message):
    sent = messaging.send_message(*pair, "Hi")
    response = client_for(pair[1]).post(f"/members/messages/report/{sent.pk}", {"reason": reason})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MessageReport.objects.exists()


def test_sender_cannot_report_their_own_message(pair, client_for):
    sent = messaging.send_message(*pair, "Hi")
    response = client_for(pair[0]).post(f"/members/messages/report/{sent.pk}", {"reason": "oops"})
    assert response.status_code == 400
    assert "You cannot report your own message." in response.content.decode()
    assert not MessageReport.objects.exists()


def test_outsider_cannot_report_a_message(pair, member, client_for):
    sent = messaging.send_message(*pair, "Hi")
    response = client_for(member("finn")).post(f"/members/messages/report/{sent.pk}", {"reason": "x"})
    assert response.status_code == 404
    assert not MessageReport.objects.exists()


def test_conversation_query_count_is_pinned(pair, client_for, django_assert_max_num_queries):
    dana, erin = pair
    for number in range(10):
        conversation = messaging.send_message(
            dana, erin, f"Message {number} about [[Router Basics]]"
        ).conversation
    client = client_for(erin)
    with django_assert_max_num_queries(12):
        assert client.get(conversation.get_absolute_url()).status_code == 200
