"""The public calendar /events/calendar.ics, one event's /events/<id>.ics and /events/deadlines.ics: every
feed parsed back with icalendar and every field checked; recurrences expanded; bad stored data survived."""

import html
import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil import rrule as dateutil_rrule

from districtwiki.community.models import Profile
from districtwiki.content import deadlines
from districtwiki.events import calendars
from districtwiki.events.models import Event
from districtwiki.wiki.tests.xss_vectors import packed, title_vectors

from .calendar_helpers import CHICAGO, by_uid, make_event, parse, utc, vevents

pytestmark = pytest.mark.django_db

SITE_URL = "https://wiki.example.org"
NOW = utc(2027, 1, 10, 12)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = "Districtwiki"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def only_event(response):
    events = vevents(parse(response))
    assert len(events) == 1
    return events[0]


# --- The public calendar


def test_public_calendar_is_a_valid_vcalendar(client):
    response = client.get("/events/calendar.ics")
    calendar = parse(response)
    assert response.status_code == 200
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//districtwiki//Events//EN"
    assert str(calendar["X-WR-CALNAME"]) == "Districtwiki: events"


def test_public_calendar_has_a_filename(client):
    response = client.get("/events/calendar.ics")
    assert response["Content-Disposition"] == 'attachment; filename="events.ics"'


def test_public_calendar_event_has_every_field(client, bob):
    event = make_event(
        "E-Rate Q&A",
        utc(2027, 1, 14, 22),
        timedelta(minutes=90),
        host=bob,
        description="Bring **your** Form 471 questions.",
        description_html="<p>Bring <strong>your</strong> Form 471 questions &amp; answers.</p>",
        category="E-Rate",
    )
    component = only_event(client.get("/events/calendar.ics"))
    assert str(component["UID"]) == f"event-{event.pk}@wiki.example.org"
    assert component.decoded("DTSTAMP") == event.updated_at.replace(microsecond=0)
    assert component.decoded("DTSTART") == utc(2027, 1, 14, 22)
    assert component.decoded("DTEND") == utc(2027, 1, 14, 23, 30)
    assert component["DTSTART"].to_ical() == b"20270114T220000Z"  # UTC, not a floating or zoned time
    assert component["DTEND"].to_ical() == b"20270114T233000Z"
    assert str(component["SUMMARY"]) == "E-Rate Q&A"
    assert str(component["DESCRIPTION"]) == (
        f"Bring your Form 471 questions & answers.\n\n{SITE_URL}/events/{event.pk}"
    )
    assert str(component["URL"]) == f"{SITE_URL}/events/{event.pk}"
    assert str(component["STATUS"]) == "CONFIRMED"
    assert component["CATEGORIES"].cats == ["E-Rate"]
    assert "RRULE" not in component and "EXDATE" not in component


def test_public_calendar_has_only_events_open_to_everyone(client):
    public = make_event("Open chat")
    make_event("Members only", audience=Event.Audience.MEMBERS)
    make_event("New York chapter", audience=Event.Audience.STATE, state="NY")
    uids = set(by_uid(parse(client.get("/events/calendar.ics"))))
    assert uids == {f"event-{public.pk}@wiki.example.org"}


def test_cancelled_event_is_in_the_calendar_as_cancelled(client):
    make_event("Called off", status=Event.Status.CANCELLED)
    component = only_event(client.get("/events/calendar.ics"))
    assert str(component["STATUS"]) == "CANCELLED"


def test_long_past_one_off_events_are_left_out(client):
    make_event("Last year", utc(2026, 1, 5, 18))
    recent = make_event("Last month", utc(2026, 12, 20, 18))
    component = only_event(client.get("/events/calendar.ics"))
    assert str(component["UID"]) == f"event-{recent.pk}@wiki.example.org"


def test_calendar_holds_at_most_the_documented_number_of_events(client, monkeypatch):
    monkeypatch.setattr(calendars, "MAX_FEED_EVENTS", 3)
    made = [make_event(f"Chat {day}", utc(2027, 2, day, 18)) for day in range(1, 6)]
    summaries = [
        str(component["SUMMARY"]) for component in vevents(parse(client.get("/events/calendar.ics")))
    ]
    assert summaries == [event.title for event in made[:3]]  # the soonest


def test_description_is_plain_text_cut_to_size(client, monkeypatch):
    monkeypatch.setattr(calendars, "DESCRIPTION_LIMIT", 20)
    event = make_event(description_html="<p>" + "word " * 50 + "</p><script>x</script>")
    description = str(only_event(client.get("/events/calendar.ics"))["DESCRIPTION"])
    assert description == f"word word word word…\n\n{SITE_URL}/events/{event.pk}"


def test_markup_in_a_title_is_calendar_text_never_a_page(client):
    make_event('<script>alert("x")</script>', description_html="<img src=x onerror=alert(1)>")
    response = client.get("/events/calendar.ics")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert str(only_event(response)["SUMMARY"]) == '<script>alert("x")</script>'


def test_public_calendar_query_count_does_not_grow_with_events(client, django_assert_max_num_queries):
    for day in range(1, 8):
        make_event(f"Chat {day}", utc(2027, 2, day, 18), rrule="FREQ=WEEKLY" if day % 2 else "")
    with django_assert_max_num_queries(3):
        assert client.get("/events/calendar.ics").status_code == 200


# --- Recurrence


def weekly_office_hours(**fields) -> Event:
    """Thursdays at 4 pm in Chicago, ten times from 14 January 2027, across the change to daylight time."""
    fields.setdefault("rrule", "FREQ=WEEKLY;BYDAY=TH;COUNT=10")
    return make_event("Office hours", utc(2027, 1, 14, 22), **fields)


def expand(component) -> list[datetime]:
    """The occurrences a calendar program would show: RRULE from DTSTART, less the EXDATEs."""
    start = component.decoded("DTSTART")
    rules = dateutil_rrule.rruleset()
    rules.rrule(dateutil_rrule.rrulestr(component["RRULE"].to_ical().decode(), dtstart=start))
    exdates = component.get("EXDATE")
    for exdate in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for moment in exdate.dts:
            rules.exdate(moment.dt)
    return [occurrence.astimezone(UTC) for occurrence in rules]


def test_recurring_event_has_its_rrule_in_its_own_zone(client):
    weekly_office_hours()
    calendar = parse(client.get("/events/calendar.ics"))
    component = only_event_of(calendar)
    assert component["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=10;BYDAY=TH"
    assert component["DTSTART"].params["TZID"] == CHICAGO
    assert component.decoded("DTSTART") == datetime(2027, 1, 14, 16, tzinfo=ZoneInfo(CHICAGO))
    assert component.decoded("DTEND") == datetime(2027, 1, 14, 17, tzinfo=ZoneInfo(CHICAGO))
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == [CHICAGO]


def only_event_of(calendar):
    events = vevents(calendar)
    assert len(events) == 1
    return events[0]


def test_recurrence_expands_at_the_same_local_time_across_daylight_saving(client):
    weekly_office_hours()
    occurrences = expand(only_event(client.get("/events/calendar.ics")))
    assert len(occurrences) == 10
    assert occurrences[0] == utc(2027, 1, 14, 22)  # 4 pm CST
    assert occurrences[-1] == utc(2027, 3, 18, 21)  # 4 pm CDT, after 14 March
    assert {moment.astimezone(ZoneInfo(CHICAGO)).hour for moment in occurrences} == {16}


def test_cancelled_dates_are_exdates_and_drop_out_of_the_expansion(client):
    weekly_office_hours(cancelled_dates=["2027-01-28", "2027-03-18"])
    component = only_event(client.get("/events/calendar.ics"))
    exdates = [moment.dt for moment in component["EXDATE"].dts]
    assert exdates == [
        datetime(2027, 1, 28, 16, tzinfo=ZoneInfo(CHICAGO)),
        datetime(2027, 3, 18, 16, tzinfo=ZoneInfo(CHICAGO)),
    ]
    assert component["EXDATE"].params["TZID"] == CHICAGO
    occurrences = expand(component)
    assert len(occurrences) == 8
    assert utc(2027, 1, 28, 22) not in occurrences
    assert utc(2027, 2, 4, 22) in occurrences


def test_a_cancelled_date_without_an_occurrence_adds_no_exdate(client):
    weekly_office_hours(cancelled_dates=["2027-01-29", "not a date"])
    assert "EXDATE" not in only_event(client.get("/events/calendar.ics"))


def test_recurring_events_stay_in_the_calendar_after_their_first_occurrence(client):
    event = weekly_office_hours(rrule="FREQ=MONTHLY;BYDAY=1TU")
    Event.objects.filter(pk=event.pk).update(starts_at=utc(2025, 1, 7, 22), ends_at=utc(2025, 1, 7, 23))
    assert str(only_event(client.get("/events/calendar.ics"))["SUMMARY"]) == "Office hours"


@pytest.mark.parametrize(
    "stored",
    [
        "FREQ=WEEKLY;BYDAY=XX",
        "garbage",
        "FREQ=MINUTELY",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=WEEKLY;UNTIL=20270301",
        "FREQ=DAILY\nEXDATE:20270115",
        "RRULE:FREQ=DAILY",
    ],
)
def test_malformed_stored_rrule_is_skipped_with_a_log_line(client, caplog, stored):
    broken = make_event("Broken", rrule=stored)
    fine = make_event("Fine")
    with caplog.at_level(logging.WARNING, logger="districtwiki.events.calendars"):
        response = client.get("/events/calendar.ics")
    assert response.status_code == 200
    assert set(by_uid(parse(response))) == {f"event-{fine.pk}@wiki.example.org"}
    assert f"Event {broken.pk} left out of a calendar" in caplog.text


def test_an_unknown_stored_time_zone_falls_back_to_utc(client):
    make_event("Somewhere", utc(2027, 1, 14, 22), rrule="FREQ=WEEKLY;COUNT=2", time_zone="Mars/Olympus")
    component = only_event(client.get("/events/calendar.ics"))
    assert component.decoded("DTSTART") == utc(2027, 1, 14, 22)


# --- One event's download


def test_event_download_is_one_event_with_a_filename(client):
    event = make_event("E-Rate Q&A")
    response = client.get(f"/events/{event.pk}.ics")
    component = only_event(response)
    assert response["Content-Disposition"] == f'attachment; filename="event-{event.pk}.ics"'
    assert str(component["UID"]) == f"event-{event.pk}@wiki.example.org"
    assert str(parse(response)["X-WR-CALNAME"]) == "Districtwiki: E-Rate Q&A"


def test_event_uid_is_stable_across_feeds(client):
    event = make_event()
    from_download = only_event(client.get(f"/events/{event.pk}.ics"))["UID"]
    from_calendar = only_event(client.get("/events/calendar.ics"))["UID"]
    assert from_download == from_calendar


def test_members_only_event_download_is_a_404_for_a_signed_out_reader(client):
    event = make_event(audience=Event.Audience.MEMBERS)
    response = client.get(f"/events/{event.pk}.ics")
    assert response.status_code == 404
    assert "If it is for members, sign in first." in response.content.decode()
    assert b"BEGIN:VCALENDAR" not in response.content


def test_members_only_event_download_for_a_member(alice_client):
    event = make_event(audience=Event.Audience.MEMBERS)
    response = alice_client.get(f"/events/{event.pk}.ics")
    assert response.status_code == 200
    assert only_event(response)["SUMMARY"] == event.title
    assert "private" in response["Cache-Control"]


def test_state_event_download_is_for_that_states_members(client, alice, carol):
    event = make_event(audience=Event.Audience.STATE, state="NY")
    Profile.objects.create(user=alice, state="NY")
    Profile.objects.create(user=carol, state="VT")
    client.force_login(alice)
    assert client.get(f"/events/{event.pk}.ics").status_code == 200
    client.force_login(carol)
    response = client.get(f"/events/{event.pk}.ics")
    assert response.status_code == 404
    assert "There is no event with that number that you can see." in response.content.decode()


def test_state_event_download_for_its_host_from_another_state(client, bob):
    event = make_event(audience=Event.Audience.STATE, state="NY", host=bob)
    client.force_login(bob)
    assert client.get(f"/events/{event.pk}.ics").status_code == 200


def test_unknown_event_download_is_a_404_with_a_sentence(client):
    response = client.get("/events/999999.ics")
    assert response.status_code == 404
    assert "There is no event with that number that you can see." in response.content.decode()


def test_event_with_a_damaged_rrule_download_is_a_409_with_a_sentence(client, caplog):
    event = make_event(rrule="FREQ=WEEKLY;BYDAY=XX")
    response = client.get(f"/events/{event.pk}.ics")
    assert response.status_code == 409
    assert "This event's repeat rule is damaged" in html.unescape(response.content.decode())


def test_calendar_downloads_refuse_a_post(client):
    event = make_event()
    for url in ("/events/calendar.ics", f"/events/{event.pk}.ics", "/events/deadlines.ics"):
        assert client.post(url).status_code == 405


# --- Deadlines


def test_deadlines_calendar_has_every_shipped_deadline_as_an_all_day_event(client):
    response = client.get("/events/deadlines.ics")
    calendar = parse(response)
    components = vevents(calendar)
    shipped = deadlines.all_deadlines()
    assert response["Content-Disposition"] == 'attachment; filename="deadlines.ics"'
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert [component.decoded("DTSTART") for component in components] == [d.date for d in shipped]
    first, deadline = components[0], shipped[0]
    assert first["DTSTART"].params["VALUE"] == "DATE"
    assert first.decoded("DTEND") == deadline.date + timedelta(days=1)
    assert str(first["SUMMARY"]) == deadline.title
    assert str(first["URL"]).startswith(f"{SITE_URL}/wiki/")
    assert deadline.source in str(first["DESCRIPTION"])
    assert first.decoded("DTSTAMP").tzinfo is not None
    assert str(first["UID"]).startswith(f"deadline-{deadline.date.isoformat()}-")
    assert len({str(component["UID"]) for component in components}) == len(components)


def test_deadlines_calendar_links_each_deadline_to_its_page(client):
    titles = {str(c["SUMMARY"]): str(c["URL"]) for c in vevents(parse(client.get("/events/deadlines.ics")))}
    assert titles["Compliance date for the 2025 COPPA Rule amendments"] == f"{SITE_URL}/wiki/COPPA_in_schools"


def test_deadline_uid_is_stable(client):
    first = [str(c["UID"]) for c in vevents(parse(client.get("/events/deadlines.ics")))]
    again = [str(c["UID"]) for c in vevents(parse(client.get("/events/deadlines.ics")))]
    assert first == again


# --- The subscribe page


def test_subscribe_page_gives_the_calendar_addresses(client):
    page = client.get("/events/calendars").content.decode()
    assert 'value="http://testserver/events/calendar.ics"' in page
    assert 'value="http://testserver/events/deadlines.ics"' in page
    assert "Sign in" in page


def test_subscribe_page_shows_a_members_feed_hint(alice_client, alice):
    from districtwiki.events import feeds

    token = feeds.regenerate_calendar_feed(alice)
    page = alice_client.get("/events/calendars").content.decode()
    assert f"…/events/feeds/{token[:6]}…" in page
    assert token not in page


def test_recurrence_parser_names_what_is_wrong():
    start = datetime(2027, 1, 14, 16, tzinfo=ZoneInfo(CHICAGO))
    with pytest.raises(calendars.InvalidRecurrence, match="daily, weekly, monthly or yearly"):
        calendars.parse_rrule("FREQ=SECONDLY", start)
    assert list(calendars.parse_rrule("FREQ=DAILY;COUNT=2", start))[1].date() == date(2027, 1, 15)


def test_every_xss_vector_stays_calendar_text(client):
    """The corpus as titles and descriptions: parsed back unchanged, served as a calendar the browser must
    not sniff into a page (the HTML pages that list events are covered by the browser's XSS sweep)."""
    for payload in packed(title_vectors(), 200):
        Event.objects.all().delete()
        make_event(payload, description=payload, description_html=payload)
        response = client.get("/events/calendar.ics")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert str(only_event(response)["SUMMARY"]) == payload


def test_a_state_event_without_a_state_is_not_for_members_without_one(client, alice):
    event = make_event(audience=Event.Audience.STATE, state="")
    client.force_login(alice)
    assert client.get(f"/events/{event.pk}.ics").status_code == 404
