"""Watching a program, members' "at risk" alerts, and who hears of a status change or an alert: the
program's watchers and its state's chapter, each once, never the one who acted."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import make_user
from districtwiki.advocacy import funding_actions
from districtwiki.advocacy.models import ProgramAlert, ProgramWatch
from districtwiki.notifications.models import Notification

from .program_world import SOURCE, make_program, place

pytestmark = pytest.mark.django_db

CUT = {"status": "proposed-cut", "source_url": SOURCE, "note": "In the governor's budget"}
ALERT = {"note": "The senate budget drops this grant.", "source_url": SOURCE}


def told(kind=Notification.Kind.FUNDING) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_status_change_tells_watchers_and_the_state_chapter(bob):
    program = make_program(bob)
    watcher, iowan, texan = make_user("wendy"), make_user("ivan"), make_user("tess")
    funding_actions.set_watch(program, watcher, True)
    place(iowan, "IA")
    place(texan, "TX")
    funding_actions.change_status(program, bob, CUT)
    assert told() == ["ivan", "wendy"]
    note = Notification.objects.get(user=iowan)
    assert note.url == "/advocacy/programs/prairie-grant"
    assert "Prairie State Technology Grant is now proposed cut" in note.text
    assert note.actor == bob


def test_watcher_in_the_state_is_told_once(bob):
    program = make_program(bob)
    both = make_user("wendy")
    place(both, "IA")
    funding_actions.set_watch(program, both, True)
    funding_actions.change_status(program, bob, CUT)
    assert told() == ["wendy"]


def test_the_actor_is_not_told(bob):
    program = make_program(bob)
    place(bob, "IA")
    funding_actions.set_watch(program, bob, True)
    funding_actions.change_status(program, bob, CUT)
    assert told() == []


def test_inactive_members_are_not_told(bob):
    program = make_program(bob)
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    place(gone, "IA")
    funding_actions.change_status(program, bob, CUT)
    assert told() == []


def test_federal_program_tells_only_its_watchers(bob):
    program = make_program(bob, name="Federal Fund", slug="federal-fund", level="federal", state="")
    watcher, iowan = make_user("wendy"), make_user("ivan")
    place(iowan, "IA")
    funding_actions.set_watch(program, watcher, True)
    funding_actions.change_status(program, bob, CUT)
    assert told() == ["wendy"]


def test_member_alert_tells_watchers_and_state_but_not_its_author(bob, alice):
    program = make_program(bob)
    place(alice, "IA")
    funding_actions.set_watch(program, bob, True)
    iowan = make_user("ivan")
    place(iowan, "IA")
    alert = funding_actions.raise_alert(program, alice, ALERT)
    assert told() == ["bob", "ivan"]
    assert (alert.member, alert.note, alert.source_url) == (alice, ALERT["note"], SOURCE)
    assert "may be at risk: The senate budget drops this grant." in Notification.objects.get(user=iowan).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": ALERT["note"], "source_url": ""}, "Give the source's address"),
        ({"note": ALERT["note"], "source_url": "ftp://example.org/x"}, "is not a web address"),
        ({"note": "", "source_url": SOURCE}, "Give the note"),
        ({"note": "cut!", "source_url": SOURCE}, "at least 10 characters"),
        ({"note": "x" * 301, "source_url": SOURCE}, "at most 300 characters"),
    ],
)
def test_bad_alert_refused_and_nobody_told(bob, alice, data, message):
    program = make_program(bob)
    funding_actions.set_watch(program, bob, True)
    with pytest.raises(funding_actions.FundingError, match=message) as refusal:
        funding_actions.raise_alert(program, alice, data)
    assert refusal.value.status == 400
    assert not ProgramAlert.objects.exists()
    assert told() == []


def test_second_alert_on_a_program_the_same_day_refused(bob, alice):
    program = make_program(bob)
    funding_actions.set_watch(program, bob, True)
    funding_actions.raise_alert(program, alice, ALERT)
    with pytest.raises(funding_actions.AlertRateLimited, match="in the last day already") as refusal:
        funding_actions.raise_alert(program, alice, ALERT)
    assert refusal.value.status == 429
    assert ProgramAlert.objects.count() == 1
    assert told() == ["bob"]


def test_alert_allowed_again_a_day_later(bob, alice):
    program = make_program(bob)
    funding_actions.raise_alert(program, alice, ALERT)
    with time_machine.travel(timezone.now() + funding_actions.ALERT_WINDOW + timezone.timedelta(minutes=1)):
        funding_actions.raise_alert(program, alice, ALERT)
    assert ProgramAlert.objects.count() == 2


def test_alerts_a_day_are_capped_across_programs(bob, alice):
    programs = [
        make_program(bob, name=f"Grant {n}", slug=f"grant-{n}")
        for n in range(funding_actions.ALERTS_PER_DAY + 1)
    ]
    for program in programs[:-1]:
        funding_actions.raise_alert(program, alice, ALERT)
    with pytest.raises(funding_actions.AlertRateLimited, match="at most 5 alerts a day"):
        funding_actions.raise_alert(programs[-1], alice, ALERT)
    assert ProgramAlert.objects.count() == funding_actions.ALERTS_PER_DAY


def test_signed_out_visitor_cannot_alert(bob, rf):
    from django.contrib.auth.models import AnonymousUser

    program = make_program(bob)
    with pytest.raises(PermissionDenied, match="Sign in"):
        funding_actions.raise_alert(program, AnonymousUser(), ALERT)
    assert not ProgramAlert.objects.exists()


def test_watch_and_unwatch(bob, alice):
    program = make_program(bob)
    funding_actions.set_watch(program, alice, True)
    funding_actions.set_watch(program, alice, True)
    assert ProgramWatch.objects.filter(user=alice).count() == 1
    assert funding_actions.is_watching(program, alice)
    funding_actions.set_watch(program, alice, False)
    assert not ProgramWatch.objects.exists()
