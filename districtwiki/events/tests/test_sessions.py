"""A recurring series (office hours) writes one transcript per session that had a conversation, once the
session and its grace period are over; what is said between two sessions goes with the next; a cancelled
session is skipped; the series ends after its last session, or when its host ends it."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from districtwiki.events import actions, chat, sessions
from districtwiki.events.models import Event, SessionTranscript
from districtwiki.wiki.models import Page, Revision

from .conftest import NOW, make_event

GRACE = 30


@pytest.fixture
def series(bob, frozen):
    """Weekly, three sessions: 14, 21 and 28 January 2027, from 16:50 UTC for an hour."""
    return make_event(
        bob, title="Office hours", rrule="FREQ=WEEKLY;COUNT=3", starts_at=NOW - timedelta(minutes=10)
    )


def after_session(frozen, week: int) -> None:
    """Just past the end and grace period of the series' session `week` (0, 1, 2)."""
    frozen.move_to(NOW - timedelta(minutes=10) + timedelta(weeks=week, hours=1, minutes=GRACE + 1))


def transcript_text(page: Page) -> str:
    return Revision.objects.filter(page=page).latest("id").text


def test_a_session_over_gets_its_transcript(series, alice, frozen):
    chat.post_message(series.room, alice, "First session question")
    after_session(frozen, 0)
    written = sessions.write_due_sessions(GRACE)
    assert [record.page.title for record in written] == ["Events/2027-01-14 Office hours"]
    assert "First session question" in transcript_text(written[0].page)
    series.refresh_from_db()
    assert series.status == Event.Status.SCHEDULED  # two sessions to come


def test_nothing_is_written_before_the_grace_period_is_over(series, alice, frozen):
    chat.post_message(series.room, alice, "Still talking")
    frozen.move_to(NOW + timedelta(minutes=50 + GRACE - 1))
    assert sessions.write_due_sessions(GRACE) == []


def test_what_is_said_between_sessions_goes_with_the_next(series, alice, dave, frozen):
    chat.post_message(series.room, alice, "During session one")
    after_session(frozen, 0)
    sessions.write_due_sessions(GRACE)
    frozen.move_to(NOW + timedelta(days=3))
    chat.post_message(series.room, dave, "Midweek follow-up")
    after_session(frozen, 1)
    second = sessions.write_due_sessions(GRACE)[0]
    text = transcript_text(second.page)
    assert second.page.title == "Events/2027-01-21 Office hours"
    assert "Midweek follow-up" in text and "During session one" not in text


def test_a_quiet_session_leaves_a_record_but_no_page(series, frozen):
    after_session(frozen, 0)
    [record] = sessions.write_due_sessions(GRACE)
    assert record.page is None
    assert not Page.objects.filter(title__startswith="Events/").exists()


def test_a_cancelled_session_is_skipped(series, alice, frozen):
    Event.objects.filter(pk=series.pk).update(cancelled_dates=["2027-01-21"])
    after_session(frozen, 0)
    sessions.write_due_sessions(GRACE)
    chat.post_message(series.room, alice, "Said in the cancelled week")
    after_session(frozen, 1)
    assert sessions.write_due_sessions(GRACE) == []
    after_session(frozen, 2)
    [last] = sessions.write_due_sessions(GRACE)
    assert last.page.title == "Events/2027-01-28 Office hours"
    assert "Said in the cancelled week" in transcript_text(last.page)


def test_the_series_ends_after_its_last_session(series, alice, frozen):
    chat.post_message(series.room, alice, "Only the first session had a conversation")
    after_session(frozen, 2)
    written = sessions.write_due_sessions(GRACE)
    assert [record.page is not None for record in written] == [True, False, False]
    series.refresh_from_db()
    assert series.status == Event.Status.ENDED
    assert series.transcript == written[0].page  # the newest transcript with a conversation


def test_a_pass_run_twice_writes_nothing_new(series, alice, frozen):
    chat.post_message(series.room, alice, "Once")
    after_session(frozen, 0)
    sessions.write_due_sessions(GRACE)
    assert sessions.write_due_sessions(GRACE) == []
    assert SessionTranscript.objects.count() == 1


def test_host_ends_the_series_with_the_conversation_since_the_last_session(series, alice, bob, frozen):
    chat.post_message(series.room, alice, "Session one")
    after_session(frozen, 0)
    sessions.write_due_sessions(GRACE)
    frozen.move_to(NOW + timedelta(weeks=1, minutes=5))
    chat.post_message(series.room, alice, "Session two, ended early")
    event = actions.end_event(series, bob)
    assert event.status == Event.Status.ENDED
    assert event.transcript.title == "Events/2027-01-21 Office hours"
    text = transcript_text(event.transcript)
    assert "Session two, ended early" in text and "Session one" not in text
    assert actions.end_event(event, bob).transcript == event.transcript  # ending twice writes nothing
    assert SessionTranscript.objects.filter(event=series).count() == 2


def test_sessions_before_the_series_was_made_are_not_written(bob, alice, frozen):
    """Made today with a first session eight weeks ago: the sessions before today are not "over"."""
    event = make_event(bob, title="Old series", rrule="FREQ=WEEKLY", starts_at=NOW - timedelta(weeks=8))
    chat.post_message(event.room, alice, "Hello")
    frozen.move_to(NOW + timedelta(weeks=1))
    assert [record.starts_at for record in sessions.write_due_sessions(GRACE)] == [NOW]


def test_event_page_lists_the_sessions_transcripts(series, alice, client, frozen):
    chat.post_message(series.room, alice, "Hello")
    after_session(frozen, 0)
    sessions.write_due_sessions(GRACE)
    html = client.get(f"/events/{series.pk}").content.decode()
    assert "Past sessions" in html and "Events/2027-01-14 Office hours" in html


def test_end_due_command_reports_the_sessions_it_wrote(series, alice, frozen, capsys, settings):
    settings.EVENT_GRACE_MINUTES = GRACE
    chat.post_message(series.room, alice, "Hello")
    after_session(frozen, 0)
    call_command("events", "end-due")
    out = capsys.readouterr().out
    assert "Session of “Office hours” on 2027-01-14; transcript: Events/2027-01-14 Office hours" in out
    call_command("events", "end-due")
    assert "Session of" not in capsys.readouterr().out  # written once
