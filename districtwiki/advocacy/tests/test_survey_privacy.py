"""A member's survey answers in their data export (open periods only), erased with their account; and
nothing of an answer in the logs."""

import logging

import pytest

from districtwiki.advocacy import privacy, survey_actions
from districtwiki.advocacy.models import SurveyResponse
from districtwiki.community import account_data

from .survey_world import GOOD_ANSWERS, LABEL, SLUG, period  # noqa: F401

pytestmark = pytest.mark.django_db


def test_export_holds_the_members_answers_in_an_open_period(period, alice):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    [exported] = privacy.export(alice)["survey_answers"]
    assert (exported["survey"], exported["period"], exported["answers"]) == (SLUG, LABEL, GOOD_ANSWERS)
    assert exported["updated_at"]


def test_export_leaves_out_other_members_answers(period, alice, bob):  # noqa: F811
    survey_actions.save_response(period, bob, GOOD_ANSWERS)
    assert privacy.export(alice)["survey_answers"] == []


def test_export_leaves_out_closed_periods(period, alice):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    survey_actions.close_period(SLUG)
    assert privacy.export(alice)["survey_answers"] == []


def test_export_is_part_of_the_account_download(period, alice):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    assert account_data.export_all(alice)["advocacy"]["survey_answers"][0]["answers"] == GOOD_ANSWERS


def test_erase_deletes_the_members_answers_in_open_periods(period, alice, bob):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    survey_actions.save_response(period, bob, GOOD_ANSWERS)
    privacy.erase(alice)
    assert list(SurveyResponse.objects.values_list("member", flat=True)) == [bob.pk]


def test_erase_keeps_the_anonymous_answers_of_closed_periods(period, alice):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    survey_actions.close_period(SLUG)
    privacy.erase(alice)
    assert SurveyResponse.objects.count() == 1


def test_deleting_an_account_deletes_its_open_answers(period, alice):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    account_data.delete_account(alice)
    assert not SurveyResponse.objects.exists()


def test_answering_logs_nothing_of_the_answers(period, alice, alice_client, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    alice_client.post(
        f"/advocacy/surveys/{SLUG}/answer", {"hours_per_week": "lots", "biggest_difference": "secret"}
    )
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    assert "secret" not in caplog.text and "Bus routes" not in caplog.text


def test_survey_answers_are_not_in_the_django_admin(db):
    from django.contrib import admin

    assert SurveyResponse not in admin.site._registry
