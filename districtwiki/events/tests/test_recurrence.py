"""The event form's plain repeat choices make the stored iCalendar rule, and a stored rule reads back as a
sentence (events/recurrence.py); bad choices are refused with a sentence and nothing stored."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from districtwiki.events import recurrence
from districtwiki.events.models import Event

CHICAGO = ZoneInfo("America/Chicago")
# Thursday 14 January 2027 at 16:00 in Chicago: the second Thursday of its month.
START = datetime(2027, 1, 14, 16, 0, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("pattern", "sessions", "until", "rule"),
    [
        ("", "", "", ""),
        ("weekly", "", "", "FREQ=WEEKLY;BYDAY=TH"),
        ("fortnightly", "6", "", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=6"),
        ("monthly-weekday", "", "", "FREQ=MONTHLY;BYDAY=2TH"),
        ("monthly-date", "", "", "FREQ=MONTHLY;BYMONTHDAY=14"),
        # The end of 30 June in Chicago (CDT, UTC−5) is 04:59:59 UTC the next day.
        ("weekly", "", "2027-06-30", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270701T045959Z"),
    ],
)
def test_plain_choices_make_the_rule(pattern, sessions, until, rule):
    assert recurrence.rule_for(pattern, START, sessions, until) == rule


def test_a_fifth_weekday_is_the_last_of_its_month():
    assert recurrence.rule_for("monthly-weekday", datetime(2027, 1, 29, 16, tzinfo=CHICAGO)) == (
        "FREQ=MONTHLY;BYDAY=-1FR"
    )


@pytest.mark.parametrize(
    ("pattern", "sessions", "until", "sentence"),
    [
        ("daily", "", "", "Choose how the event repeats from the list."),
        ("weekly", "1", "", "a whole number from 2 to 520"),
        ("weekly", "521", "", "a whole number from 2 to 520"),
        ("weekly", "ten", "", "a whole number from 2 to 520"),
        ("weekly", "", "30/06/2027", "is not a date"),
        ("weekly", "", "2027-01-14", "The last date comes after the first session."),
        ("weekly", "5", "2027-06-30", "not both"),
    ],
)
def test_bad_choices_are_refused_with_a_sentence(pattern, sessions, until, sentence):
    with pytest.raises(recurrence.RepeatError, match=sentence):
        recurrence.rule_for(pattern, START, sessions, until)


def test_a_monthly_date_after_the_28th_is_refused():
    with pytest.raises(recurrence.RepeatError, match="after the 28th"):
        recurrence.rule_for("monthly-date", datetime(2027, 1, 30, 16, tzinfo=CHICAGO))


@pytest.mark.parametrize(
    ("rule", "sentence"),
    [
        ("FREQ=WEEKLY;BYDAY=TH", "Every week on Thursday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=6", "Every two weeks on Thursday, 6 sessions in all"),
        ("FREQ=MONTHLY;BYDAY=2TH", "Every month on the second Thursday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday"),
        ("FREQ=MONTHLY;BYMONTHDAY=14", "Every month on day 14"),
        ("FREQ=WEEKLY;BYDAY=TH;UNTIL=20270701T045959Z", "Every week on Thursday, until 30 June 2027"),
        ("FREQ=DAILY;COUNT=5", "Repeats by the iCalendar rule FREQ=DAILY;COUNT=5"),
    ],
)
def test_a_stored_rule_reads_as_a_sentence(rule, sentence):
    assert recurrence.describe(rule, CHICAGO) == sentence


@pytest.mark.parametrize("pattern", ["weekly", "fortnightly", "monthly-weekday", "monthly-date"])
def test_the_edit_form_offers_the_choices_that_made_the_rule(pattern):
    rule = recurrence.rule_for(pattern, START, "", "2027-06-30")
    assert recurrence.choices_of(rule, CHICAGO) == {
        "repeat": pattern,
        "repeat_sessions": "",
        "repeat_until": "2027-06-30",
    }


@pytest.mark.parametrize(
    "rule", ["FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=WEEKLY;BYDAY=TH;UNTIL=2027XX", "FREQ=DAILY"]
)
def test_a_rule_written_by_hand_goes_back_to_the_advanced_field(rule):
    assert recurrence.choices_of(rule, CHICAGO) == {"rrule": rule}


FORM = {
    "title": "Office hours",
    "starts_at": "2027-01-21T16:00",
    "ends_at": "2027-01-21T17:00",
    "time_zone": "America/Chicago",
    "audience": "everyone",
}


def test_form_with_plain_choices_stores_the_rule(bob_client, frozen):
    response = bob_client.post("/events/new", {**FORM, "repeat": "weekly", "repeat_sessions": "10"})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.rrule == "FREQ=WEEKLY;BYDAY=TH;COUNT=10"
    html = bob_client.get(event.get_absolute_url()).content.decode()
    assert "Every week on Thursday, 10 sessions in all" in html


def test_form_with_both_a_choice_and_a_written_rule_is_refused(bob_client, frozen):
    response = bob_client.post("/events/new", {**FORM, "repeat": "weekly", "rrule": "FREQ=DAILY"})
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert not Event.objects.exists()


def test_form_with_a_bad_number_of_sessions_is_refused(bob_client, frozen):
    response = bob_client.post("/events/new", {**FORM, "repeat": "weekly", "repeat_sessions": "9999"})
    assert response.status_code == 400
    assert "a whole number from 2 to 520" in response.content.decode()
    assert not Event.objects.exists()


def test_edit_form_shows_the_plain_choices(bob_client, frozen):
    bob_client.post("/events/new", {**FORM, "repeat": "monthly-weekday"})
    event = Event.objects.get()
    html = bob_client.get(f"/events/{event.pk}/edit").content.decode()
    assert '<option value="monthly-weekday" selected>' in html
