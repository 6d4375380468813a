"""Who sees an event is one rule (events/access.py), written three ways: for one event and one viewer
(pages, rooms, .ics downloads, feeds), as a filter on events (listings) and as a filter on members
(reminders). Every viewer against every audience: the three forms agree, and they say what the rule says."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import make_user
from districtwiki.accounts.models import User
from districtwiki.events import access, reminders
from districtwiki.events.models import RSVP, Event

from .conftest import NOW, make_event, set_state

pytestmark = pytest.mark.django_db

# viewer → the audiences (everyone, members, Iowa chapter) it sees
EXPECTED = {
    "anonymous": {"everyone"},
    "iowan": {"everyone", "members", "iowa"},
    "texan": {"everyone", "members"},
    "no_state": {"everyone", "members"},
    "trusted_texan": {"everyone", "members", "iowa"},  # site moderators see every room
    "admin_texan": {"everyone", "members", "iowa"},
    "host_texan": {"everyone", "members", "iowa"},
    "moderator_texan": {"everyone", "members", "iowa"},
}


@pytest.fixture
def viewers(db):
    made = {"anonymous": AnonymousUser()}
    for name, role, state in [
        ("iowan", "member", "IA"),
        ("texan", "member", "TX"),
        ("no_state", "member", ""),
        ("trusted_texan", "trusted", "TX"),
        ("admin_texan", "admin", "TX"),
        ("host_texan", "member", "TX"),
        ("moderator_texan", "member", "TX"),
    ]:
        made[name] = make_user(name, role=role)
        if state:
            set_state(made[name], state)
    return made


@pytest.fixture
def events(viewers):
    host = viewers["host_texan"]
    made = {
        "everyone": make_event(host, title="Open"),
        "members": make_event(host, title="Members", audience=Event.Audience.MEMBERS),
        "iowa": make_event(host, title="Iowa", audience=Event.Audience.STATE, state="IA"),
    }
    for event in made.values():
        event.moderators.add(viewers["moderator_texan"])
    return made


def fresh(user):
    """The viewer as a new request sees it: nothing remembered from an earlier question."""
    return user if not user.is_authenticated else User.objects.get(pk=user.pk)


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_one_event_form_follows_the_rule(viewers, events, viewer):
    seen = {name for name, event in events.items() if access.sees_event(fresh(viewers[viewer]), event)}
    assert seen == EXPECTED[viewer]


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_listing_form_agrees(viewers, events, viewer):
    listed = set(
        Event.objects.filter(access.events_seen_by(fresh(viewers[viewer]))).values_list("title", flat=True)
    )
    assert listed == {events[name].title for name in EXPECTED[viewer]}


@pytest.mark.parametrize("audience", ["everyone", "members", "iowa"])
def test_member_filter_form_agrees(viewers, events, audience):
    members = User.objects.filter(access.members_who_see(events[audience]))
    expected = {name for name, seen in EXPECTED.items() if audience in seen and name != "anonymous"}
    assert set(
        members.filter(pk__in=[u.pk for u in viewers.values() if u.pk]).values_list("username", flat=True)
    ) == (expected)


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_rooms_follow_their_events(viewers, events, viewer):
    readable = {name for name, event in events.items() if access.can_read(event.room, fresh(viewers[viewer]))}
    assert readable == EXPECTED[viewer]


def test_reminders_go_only_to_members_who_see_the_event(viewers, events):
    for viewer in ("iowan", "texan", "trusted_texan"):
        RSVP.objects.create(
            event=events["iowa"], user=viewers[viewer], answer=RSVP.Answer.GOING, updated_at=NOW
        )
    recipients = set(
        User.objects.filter(pk__in=reminders.recipients(events["iowa"])).values_list("username", flat=True)
    )
    assert recipients == {"iowan", "trusted_texan"}
