"""The e-mail digest sent by `districtwiki worker`: who gets one when, and what it says."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from districtwiki.notifications import digest
from districtwiki.notifications.models import Notification, NotificationSettings

from .conftest import SITE_URL, set_frequency

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
Frequency = NotificationSettings.Frequency


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def run_worker() -> str:
    from io import StringIO

    out = StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()


def html_part(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def immediately(clock, alice):
    """Alice takes her digest as things happen, so that tests of what a digest says need not wait a day."""
    set_frequency(alice, Frequency.IMMEDIATELY)


# --- What a digest says


def test_digest_groups_notifications_by_kind(immediately, alice, notify_alice):
    notify_alice("bob edited Wifi", kind=Notification.Kind.PAGE_EDIT)
    notify_alice("bob mentioned you", kind=Notification.Kind.MENTION)
    notify_alice("bob edited Printers", kind=Notification.Kind.PAGE_EDIT)
    run_worker()
    body = mail.outbox[0].body
    assert (
        body.index("Edits to pages you watch")
        < body.index("bob edited Printers")
        < body.index("bob edited Wifi")
    )
    assert body.index("bob edited Wifi") < body.index("Mentions of you") < body.index("bob mentioned you")


def test_digest_goes_to_the_members_address_with_a_count(immediately, alice, notify_alice):
    notify_alice(), notify_alice()
    run_worker()
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "districtwiki: 2 new notifications"


def test_digest_links_through_the_site_so_following_marks_read(immediately, notify_alice):
    notification = notify_alice()
    run_worker()
    assert f"{SITE_URL}/notifications/{notification.pk}/go" in mail.outbox[0].body


def test_digest_has_an_html_alternative(immediately, notify_alice):
    notification = notify_alice("bob edited Wifi", kind=Notification.Kind.PAGE_EDIT)
    run_worker()
    html = html_part(mail.outbox[0])
    assert "<h2>Edits to pages you watch</h2>" in html
    assert f'<a href="{SITE_URL}/notifications/{notification.pk}/go">bob edited Wifi</a>' in html


def test_digest_html_escapes_notification_text(immediately, notify_alice):
    notify_alice("bob edited <script>alert(1)</script>")
    run_worker()
    html = html_part(mail.outbox[0])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_digest_carries_only_notifications_not_yet_emailed_or_read(immediately, alice, notify_alice):
    Notification.objects.filter(pk=notify_alice("already e-mailed").pk).update(emailed_at=START)
    Notification.objects.filter(pk=notify_alice("already read").pk).update(read_at=START)
    notify_alice("brand new")
    run_worker()
    body = mail.outbox[0].body
    assert "brand new" in body
    assert "already e-mailed" not in body
    assert "already read" not in body


def test_digest_marks_its_notifications_emailed(immediately, alice, notify_alice):
    notification = notify_alice()
    run_worker()
    notification.refresh_from_db()
    assert notification.emailed_at == START


def test_a_long_digest_lists_the_newest_and_counts_the_rest(immediately, alice, notify_alice):
    for number in range(digest.DIGEST_SIZE + 3):
        notify_alice(f"thing {number:03}")
    run_worker()
    body = mail.outbox[0].body
    assert "thing 002" not in body
    assert "thing 003" in body
    assert f"…and 3 more: {SITE_URL}/notifications/" in body
    assert not Notification.objects.pending_digest().exists()


def test_worker_says_how_many_digests_it_sent(immediately, notify_alice):
    notify_alice()
    assert run_worker().strip() == "Sent 1 digest."


def test_digest_has_a_list_unsubscribe_header(immediately, alice, notify_alice):
    notify_alice()
    run_worker()
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe"] == f"<{digest.unsubscribe_url(alice)}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digest_body_has_the_unsubscribe_link(immediately, alice, notify_alice):
    notify_alice()
    run_worker()
    assert f"Stop these e-mails: {digest.unsubscribe_url(alice)}" in mail.outbox[0].body
    assert digest.unsubscribe_url(alice) in html_part(mail.outbox[0])


# --- When a digest is due


def test_default_frequency_is_daily(clock, alice, notify_alice):
    notify_alice()
    clock.shift(DAY)
    run_worker()
    assert len(mail.outbox) == 1
    assert "You get this digest once a day" in html_part(mail.outbox[0])


def test_a_daily_digest_waits_a_day_after_the_first_notification(clock, alice, notify_alice):
    notify_alice("bob replied")
    run_worker()
    assert mail.outbox == []
    clock.shift(timedelta(hours=23, minutes=59))
    notify_alice("bob replied again")
    run_worker()
    assert mail.outbox == []
    clock.shift(timedelta(minutes=1))
    run_worker()
    assert len(mail.outbox) == 1
    assert "bob replied\n" in mail.outbox[0].body
    assert "bob replied again" in mail.outbox[0].body


def test_a_daily_digest_goes_at_most_once_a_day(clock, alice, notify_alice):
    notify_alice("first")
    clock.shift(DAY)
    run_worker()
    notify_alice("second")
    clock.shift(timedelta(hours=23, minutes=59))
    notify_alice("third")
    run_worker()
    assert len(mail.outbox) == 1
    clock.shift(timedelta(minutes=1))
    run_worker()
    assert len(mail.outbox) == 2
    assert "second" in mail.outbox[1].body
    assert "third" in mail.outbox[1].body


def test_after_a_quiet_spell_a_reply_still_waits_a_day(clock, alice, notify_alice):
    row = set_frequency(alice, Frequency.DAILY)
    row.last_digest_at = START - timedelta(days=30)
    row.save()
    notify_alice()
    run_worker()
    assert mail.outbox == []
    clock.shift(DAY)
    run_worker()
    assert len(mail.outbox) == 1


def test_weekly_digest_waits_seven_days(clock, alice, notify_alice):
    set_frequency(alice, Frequency.WEEKLY)
    notify_alice("first")
    run_worker()
    clock.shift(timedelta(days=6, hours=23))
    notify_alice("later")
    run_worker()
    assert mail.outbox == []
    clock.shift(timedelta(hours=1))
    run_worker()
    assert len(mail.outbox) == 1
    assert "first" in mail.outbox[0].body
    assert "later" in mail.outbox[0].body
    clock.shift(timedelta(days=6))
    notify_alice("next week")
    run_worker()
    assert len(mail.outbox) == 1


def test_immediate_digest_goes_out_on_every_pass(clock, alice, notify_alice):
    set_frequency(alice, Frequency.IMMEDIATELY)
    notify_alice("first")
    run_worker()
    clock.shift(timedelta(minutes=1))
    notify_alice("second")
    run_worker()
    assert ["second" in message.body for message in mail.outbox] == [False, True]


def test_never_sends_nothing(clock, alice, notify_alice):
    set_frequency(alice, Frequency.NEVER)
    notify_alice()
    run_worker()
    assert mail.outbox == []


def test_no_pending_notifications_no_digest(immediately, alice, notify_alice):
    Notification.objects.filter(pk=notify_alice().pk).update(read_at=START)
    run_worker()
    assert mail.outbox == []


def test_digest_time_is_remembered(immediately, alice, notify_alice):
    notify_alice()
    run_worker()
    assert NotificationSettings.objects.get(user=alice).last_digest_at == START


def test_no_digest_to_an_unconfirmed_address(clock, carol):
    set_frequency(carol, Frequency.IMMEDIATELY)
    Notification.objects.create(user=carol, kind="mention", text="hi", url="/")
    run_worker()
    assert mail.outbox == []


def test_no_digest_to_a_member_without_an_address(immediately, alice, notify_alice):
    notify_alice()
    alice.email = ""
    alice.save()
    run_worker()
    assert mail.outbox == []


def test_no_digest_to_a_suspended_member(immediately, alice, notify_alice):
    notify_alice()
    alice.is_active = False
    alice.save()
    run_worker()
    assert mail.outbox == []


def test_refused_digest_is_tried_again_on_the_next_pass(settings, clock, immediately, alice, notify_alice):
    notification = notify_alice()
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    assert run_worker().strip() == "Sent 0 digests."
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert NotificationSettings.objects.get(user=alice).last_digest_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.shift(timedelta(minutes=1))
    run_worker()
    assert len(mail.outbox) == 1


def test_due_query_matches_the_single_row_rule(clock, alice, bob, notify_alice):
    """digest.due (SQL, for the list) and digest.is_due (Python, under the lock) must agree."""
    ages = (None, timedelta(0), timedelta(hours=23), DAY, timedelta(days=7))
    for frequency in Frequency:
        for since_last in ages:
            for waiting in ages[1:]:
                Notification.objects.all().delete()
                row = set_frequency(alice, frequency)
                row.last_digest_at = START - since_last if since_last is not None else None
                row.save()
                Notification.objects.filter(pk=notify_alice().pk).update(created_at=START - waiting)
                expected = digest.is_due(row, START)
                assert (alice.pk in digest.due_user_ids(START)) == expected, (frequency, since_last, waiting)


def test_members_without_settings_are_due_by_the_default_rule(clock, alice, notify_alice):
    notify_alice()
    assert digest.due_user_ids(START) == []
    assert digest.due_user_ids(START + DAY) == [alice.pk]
