"""`districtwiki advocacy open-survey SLUG LABEL` and `close-survey SLUG`: one line on success, and a
one-line refusal with a non-zero exit (nothing written) on a bad request."""

import pytest
from django.core.management import CommandError, call_command

from districtwiki.advocacy import survey_actions
from districtwiki.advocacy.models import SurveyPeriod, SurveyResponse

from .survey_world import GOOD_ANSWERS, LABEL, SLUG

pytestmark = pytest.mark.django_db


def test_open_survey_opens_a_period(capsys):
    call_command("advocacy", "open-survey", SLUG, LABEL)
    assert SurveyPeriod.objects.get().label == LABEL
    assert (
        capsys.readouterr().out
        == "Opened “Small-district technology staffing and workload”, period 2026–27.\n"
    )


def test_open_survey_refuses_an_unknown_survey():
    with pytest.raises(CommandError, match=r"no survey file “nope\.yaml”"):
        call_command("advocacy", "open-survey", "nope", LABEL)
    assert not SurveyPeriod.objects.exists()


def test_open_survey_refuses_a_second_open_period():
    call_command("advocacy", "open-survey", SLUG, LABEL)
    with pytest.raises(CommandError, match="already open"):
        call_command("advocacy", "open-survey", SLUG, "2027–28")
    assert SurveyPeriod.objects.count() == 1


def test_close_survey_closes_and_cuts_the_links(alice, capsys):
    period = survey_actions.open_period(SLUG, LABEL)
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    call_command("advocacy", "close-survey", SLUG)
    assert SurveyResponse.objects.get().member is None
    assert "1 answer, no longer linked to anyone." in capsys.readouterr().out


def test_close_survey_refuses_a_survey_without_an_open_period():
    with pytest.raises(CommandError, match="no open period"):
        call_command("advocacy", "close-survey", SLUG)
