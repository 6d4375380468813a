"""Event reminders: a day and 15 minutes before each occurrence, to members going and to watchers of the
event's pages who opted in, through the notifications (in the site and in the e-mail digest); never twice."""

import logging
import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connections

from conftest import make_user
from districtwiki.community.models import Profile
from districtwiki.events import reminders
from districtwiki.events.models import RSVP, Event, Reminder
from districtwiki.notifications import actions as notification_actions
from districtwiki.notifications import worker
from districtwiki.notifications.models import Notification, NotificationSettings
from districtwiki.wiki.models import Watch

from .calendar_helpers import answer, make_event, utc

pytestmark = pytest.mark.django_db

START = utc(2027, 1, 14, 22)  # Thursday 14 January 2027, 4 pm in Chicago
DAY_BEFORE = START - timedelta(days=1)
SOON = START - timedelta(minutes=15)


@pytest.fixture
def clock(db):
    with time_machine.travel(START - timedelta(days=5), tick=False) as traveller:
        yield traveller


@pytest.fixture
def qa(clock, alice):
    """The E-Rate Q&A on 14 January; alice is going."""
    event = make_event("E-Rate Q&A", START)
    answer(alice, event)
    return event


def run_at(clock, moment) -> int:
    clock.move_to(moment)
    return reminders.send_due_reminders()


def reminded(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind=Notification.Kind.EVENT).values_list("text", flat=True)
    )


def opt_in(user) -> None:
    row = notification_actions.settings_for(user)
    row.event_reminders = True
    row.save()


# --- When


def test_nothing_is_due_before_the_day_before(clock, qa, alice):
    assert run_at(clock, DAY_BEFORE - timedelta(minutes=1)) == 0
    assert reminded(alice) == []


def test_day_before_reminder(clock, qa, alice):
    assert run_at(clock, DAY_BEFORE) == 1
    assert reminded(alice) == ["Reminder: “E-Rate Q&A” starts Thursday 14 January, 4:00 PM CST"]
    notification = Notification.objects.get(user=alice)
    assert notification.url == f"/events/{qa.pk}"
    assert Reminder.objects.get().occurrence == START


def test_fifteen_minute_reminder(clock, qa, alice):
    run_at(clock, DAY_BEFORE)
    assert run_at(clock, SOON) == 1
    assert reminded(alice)[0] == "Starting in 15 minutes: “E-Rate Q&A”, at 4:00 PM CST"
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == ["day", "soon"]


def test_a_late_pass_catches_up_on_the_day_before_reminder(clock, qa, alice):
    assert run_at(clock, START - timedelta(hours=3)) == 1
    assert Reminder.objects.get().kind == Reminder.Kind.DAY


def test_no_day_before_reminder_in_the_last_hour(clock, qa, alice):
    assert run_at(clock, START - timedelta(minutes=30)) == 0
    assert reminded(alice) == []


def test_nothing_once_the_event_started(clock, qa, alice):
    assert run_at(clock, START) == 0
    assert run_at(clock, START + timedelta(minutes=5)) == 0
    assert not Reminder.objects.exists()


# --- Never twice


def test_two_passes_in_a_row_remind_once(clock, qa, alice):
    assert run_at(clock, DAY_BEFORE) == 1
    assert run_at(clock, DAY_BEFORE + timedelta(minutes=1)) == 0
    assert run_at(clock, SOON) == 1
    assert run_at(clock, SOON + timedelta(minutes=1)) == 0
    assert len(reminded(alice)) == 2
    assert Reminder.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_remind_once(alice, bob):
    """Two workers (threads with their own database connections) run the same pass at the same moment."""
    with time_machine.travel(DAY_BEFORE - timedelta(days=2), tick=False):
        event = make_event("E-Rate Q&A", START)
        answer(alice, event)
        answer(bob, event)
    barrier, results, errors = threading.Barrier(2), [], []

    def one_pass():
        try:
            barrier.wait(timeout=10)
            results.append(reminders.send_due_reminders(DAY_BEFORE))
        except (
            Exception
        ) as error:  # reported below, with the thread's own traceback lost but its message kept
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_pass) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [0, 2]
    assert Reminder.objects.count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.EVENT).count() == 2


def test_a_failed_pass_leaves_the_reminder_to_the_next(clock, qa, alice, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(notification_actions, "notify_users", broken)
    clock.move_to(DAY_BEFORE)
    with pytest.raises(RuntimeError):
        reminders.send_due_reminders()
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert reminders.send_due_reminders() == 1


# --- Who


def test_only_members_going_are_reminded(clock, qa, bob, ada):
    answer(bob, qa, RSVP.Answer.MAYBE)
    answer(ada, qa, RSVP.Answer.NOT_GOING)
    run_at(clock, DAY_BEFORE)
    assert reminded(bob) == [] and reminded(ada) == []


def test_watchers_of_linked_pages_who_opted_in_are_reminded(clock, qa, bob, ada, make_page):
    page = make_page("E-Rate", "The program.").page
    qa.pages.add(page)
    for user in (bob, ada):
        Watch.objects.create(user=user, page=page)
    opt_in(bob)
    run_at(clock, DAY_BEFORE)
    assert len(reminded(bob)) == 1
    assert reminded(ada) == []  # watches, but did not ask for event reminders


def test_a_watcher_who_is_going_is_reminded_once(clock, qa, alice, make_page):
    page = make_page("E-Rate", "The program.").page
    qa.pages.add(page)
    Watch.objects.create(user=alice, page=page)
    opt_in(alice)
    assert run_at(clock, DAY_BEFORE) == 1
    assert len(reminded(alice)) == 1


def test_watchers_of_unlinked_pages_are_not_reminded(clock, qa, bob, make_page):
    Watch.objects.create(user=bob, page=make_page("Wifi", "Access points.").page)
    opt_in(bob)
    run_at(clock, DAY_BEFORE)
    assert reminded(bob) == []


def test_suspended_members_are_not_reminded(clock, qa, alice):
    alice.is_active = False
    alice.save()
    assert run_at(clock, DAY_BEFORE) == 0
    assert reminded(alice) == []


def test_state_event_reminds_only_watchers_who_may_see_it(clock, alice, ada, make_page):
    event = make_event("NY chapter", START, audience=Event.Audience.STATE, state="NY")
    page = make_page("E-Rate", "The program.").page
    event.pages.add(page)
    Profile.objects.create(user=alice, state="VT")
    for user in (alice, ada):
        Watch.objects.create(user=user, page=page)
        opt_in(user)
    run_at(clock, DAY_BEFORE)
    assert reminded(alice) == []
    assert len(reminded(ada)) == 1  # the site's moderators (here an admin) see every event


def test_a_state_event_without_a_state_reminds_no_stateless_watcher(clock, alice, make_page):
    event = make_event("No chapter", START, audience=Event.Audience.STATE, state="")
    page = make_page("E-Rate", "The program.").page
    event.pages.add(page)
    Profile.objects.create(user=alice, state="")
    Watch.objects.create(user=alice, page=page)
    opt_in(alice)
    run_at(clock, DAY_BEFORE)
    assert reminded(alice) == []


# --- Cancelled


def test_cancelled_event_gets_no_reminders(clock, qa, alice):
    Event.objects.filter(pk=qa.pk).update(status=Event.Status.CANCELLED)
    assert run_at(clock, DAY_BEFORE) == 0
    assert run_at(clock, SOON) == 0
    assert not Reminder.objects.exists()


def office_hours(**fields) -> Event:
    return make_event("Office hours", START, rrule="FREQ=WEEKLY;BYDAY=TH;COUNT=10", **fields)


def test_recurring_event_is_reminded_before_each_occurrence(clock, alice):
    answer(alice, office_hours())
    run_at(clock, DAY_BEFORE)
    run_at(clock, DAY_BEFORE + timedelta(days=7))
    assert list(Reminder.objects.order_by("occurrence").values_list("occurrence", flat=True)) == [
        START,
        START + timedelta(days=7),
    ]


def test_recurring_reminder_keeps_local_time_after_daylight_saving(clock, alice):
    answer(alice, office_hours())
    after_change = utc(2027, 3, 18, 21)  # still 4 pm in Chicago, now CDT
    run_at(clock, after_change - timedelta(days=1))
    assert Reminder.objects.get().occurrence == after_change
    assert reminded(alice) == ["Reminder: “Office hours” starts Thursday 18 March, 4:00 PM CDT"]


def test_cancelled_date_gets_no_reminders_but_the_next_week_does(clock, alice):
    answer(alice, office_hours(cancelled_dates=["2027-01-21"]))
    cancelled = START + timedelta(days=7)
    assert run_at(clock, cancelled - timedelta(days=1)) == 0
    assert run_at(clock, cancelled - timedelta(minutes=15)) == 0
    assert run_at(clock, cancelled + timedelta(days=6)) == 1


def test_malformed_stored_rrule_is_skipped_with_a_log_line(clock, qa, alice, caplog):
    broken = make_event("Broken", START, rrule="FREQ=WEEKLY;BYDAY=XX")
    answer(alice, broken)
    clock.move_to(DAY_BEFORE)
    with caplog.at_level(logging.WARNING, logger="districtwiki.events.reminders"):
        assert reminders.send_due_reminders() == 1  # the Q&A's, not the broken event's
    assert f"No reminders for event {broken.pk}" in caplog.text
    assert list(Reminder.objects.values_list("event_id", flat=True)) == [qa.pk]


# --- How: the worker, the digest and the command


def test_the_worker_pass_sends_reminders_and_the_digest_carries_them(clock, qa, alice, mailoutbox):
    NotificationSettings.objects.create(user=alice, frequency=NotificationSettings.Frequency.IMMEDIATELY)
    clock.move_to(DAY_BEFORE)
    assert worker.run_pass() == 1
    [mail] = mailoutbox
    assert "Events" in mail.body
    assert "Reminder: “E-Rate Q&A” starts Thursday 14 January, 4:00 PM CST" in mail.body


def test_a_failing_reminder_step_does_not_stop_the_digests(clock, qa, alice, mailoutbox, monkeypatch, caplog):
    NotificationSettings.objects.create(user=alice, frequency=NotificationSettings.Frequency.IMMEDIATELY)
    notification_actions.notify(alice, Notification.Kind.MENTION, "bob mentioned you", "/wiki/X")
    monkeypatch.setattr(reminders, "candidate_events", lambda now: 1 / 0)
    monkeypatch.setitem(worker._steps, "event reminders", reminders.send_due_reminders)
    assert worker.run_pass() == 1
    assert "The worker step 'event reminders' failed" in caplog.text


def test_send_reminders_command(clock, qa, capsys):
    clock.move_to(DAY_BEFORE)
    call_command("events", "send-reminders")
    assert capsys.readouterr().out == "Sent 1 reminder.\n"
    call_command("events", "send-reminders")
    assert capsys.readouterr().out == "Sent 0 reminders.\n"


def test_pass_cost_does_not_grow_with_recipients(clock, qa, django_assert_max_num_queries):
    for number in range(20):
        answer(make_user(f"member{number}"), qa)
    clock.move_to(DAY_BEFORE)
    with django_assert_max_num_queries(8):
        assert reminders.send_due_reminders() == 21


# --- Opting in


def test_event_reminders_are_off_by_default_in_the_settings(alice_client):
    page = alice_client.get("/notifications/settings").content.decode()
    assert "Remind me of events about the pages I watch" in page
    [checkbox] = re.findall(r'<input[^>]*name="event_reminders"[^>]*>', page)
    assert "checked" not in checkbox


def test_opting_in_from_the_settings_page(alice_client, alice):
    response = alice_client.post("/notifications/settings", {"frequency": "daily", "event_reminders": "on"})
    assert response.status_code == 302
    assert NotificationSettings.objects.get(user=alice).event_reminders is True
