"""A survey's page leads a member who answered straight to "how you compare" (the answer to "what is in it
for me"), and shows no such link to a member who has not answered, nor to a visitor."""

import pytest

from districtwiki.advocacy import survey_actions

from .survey_world import GOOD_ANSWERS, SLUG, period  # noqa: F401

pytestmark = pytest.mark.django_db
SURVEY = f"/advocacy/surveys/{SLUG}/"
COMPARE_LINK = f'href="/advocacy/surveys/{SLUG}/compare"'


def test_a_member_who_answered_is_offered_how_they_compare(alice_client, alice, period):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    assert COMPARE_LINK in alice_client.get(SURVEY).content.decode()


def test_a_member_who_has_not_answered_is_not_offered_a_comparison(alice_client, period):  # noqa: F811
    assert COMPARE_LINK not in alice_client.get(SURVEY).content.decode()


def test_a_visitor_is_not_offered_a_comparison(client, period):  # noqa: F811
    assert COMPARE_LINK not in client.get(SURVEY).content.decode()
