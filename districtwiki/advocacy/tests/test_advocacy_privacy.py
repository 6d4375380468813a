"""The advocacy hub's part of a member's data download and of deleting their account: survey answers
(test_survey_privacy.py), signatures (test_campaign_privacy.py) and, here, the programs they watch and the
warnings they sent, all through the one privacy module the account pages call."""

import pytest

from districtwiki.advocacy import funding_actions, privacy
from districtwiki.advocacy.models import ProgramAlert, ProgramWatch

from .campaign_helpers import make_campaign, signs
from .program_world import make_program

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/budget-2027"


def test_export_holds_watches_warnings_and_signatures(alice, bob):
    program = make_program(bob)
    funding_actions.set_watch(program, alice, True)
    funding_actions.raise_alert(
        program, alice, {"note": "Cut in the governor's budget", "source_url": SOURCE}
    )
    signs(make_campaign(bob), alice, "public")
    exported = privacy.export(alice)
    assert exported["programs_watched"] == [program.name]
    assert [(w["program"], w["source_url"]) for w in exported["program_warnings_sent"]] == [
        (program.name, SOURCE)
    ]
    assert len(exported["campaign_signatures"]) == 1
    assert exported["survey_answers"] == []


def test_erase_drops_watches_and_unnames_warnings(alice, bob):
    program = make_program(bob)
    funding_actions.set_watch(program, alice, True)
    funding_actions.raise_alert(
        program, alice, {"note": "Cut in the governor's budget", "source_url": SOURCE}
    )
    privacy.erase(alice)
    assert not ProgramWatch.objects.filter(user=alice).exists()
    alert = ProgramAlert.objects.get()
    assert alert.member is None and alert.note == "Cut in the governor's budget"
