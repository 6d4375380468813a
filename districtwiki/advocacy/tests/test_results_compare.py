""" "How you compare": the member's own answers beside peers like them, seen by that member only; and its
card on the home page."""

from datetime import timedelta

import pytest
import time_machine

from districtwiki.advocacy.compare import home_card

from .results_seed import NOW, SLUG, add_responses, answer_as, make_period, skewed_answers

pytestmark = pytest.mark.django_db
PAGE = f"/advocacy/surveys/{SLUG}/compare"
ALICE = {
    "state": "IA",
    "district_size": "under-1000",
    "role": "coordinator",
    "hours": 37,
    "erate": "unsure",
    "barriers": ["money"],
    "notes": "alice's private note",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def open_survey(alice):
    period = make_period(closed=False)
    add_responses(period, skewed_answers(200, seed=4))
    answer_as(period, alice, ALICE)
    return period


def test_member_sees_own_answers_beside_peers(client, alice, open_survey):
    client.force_login(alice)
    page = client.get(PAGE).content.decode()
    assert "37 hours" in page
    assert "Districts of your size (under 1,000 students" in page
    assert "Median " in page and "quartiles" in page
    assert "% chose “unsure”" in page


def test_state_and_size_peers_shown_when_published(client, alice, open_survey):
    client.force_login(alice)
    assert "Your state and size (IA," in client.get(PAGE).content.decode()


def test_short_text_is_not_on_the_compare_page(client, alice, open_survey):
    client.force_login(alice)
    assert "alice's private note" not in client.get(PAGE).content.decode()


def test_another_member_does_not_see_alices_answers(client, bob, open_survey):
    client.force_login(bob)
    page = client.get(PAGE).content.decode()
    assert "37 hours" not in page and "You have not answered the open survey" in page


def test_an_admin_does_not_see_alices_answers(client, ada, open_survey):
    client.force_login(ada)
    page = client.get(PAGE).content.decode()
    assert "37 hours" not in page and "You have not answered the open survey" in page


def test_signed_out_visitor_is_sent_to_sign_in(client, open_survey):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_after_close_the_link_is_cut_and_the_page_says_so(client, alice, open_survey):
    open_survey.responses.update(member=None, updated_at=None)  # what closing does to the answers
    open_survey.closed_at = NOW + timedelta(days=1)
    open_survey.save()
    client.force_login(alice)
    page = client.get(PAGE).content.decode()
    assert "the link between your answers and your account was cut" in page and "37 hours" not in page


def test_waiting_for_enough_responses(client, alice):
    period = make_period(closed=False)
    answer_as(period, alice, ALICE)
    client.force_login(alice)
    assert "Figures are published once at least 5 members have answered" in client.get(PAGE).content.decode()


def test_unknown_survey_is_404(client, alice):
    client.force_login(alice)
    assert client.get("/advocacy/surveys/nothing/compare").status_code == 404


def test_home_card_for_a_member_who_answered(client, alice, open_survey):
    client.get(f"/advocacy/surveys/{SLUG}/results")  # the first look takes the snapshot
    card = home_card(alice)
    assert card["slug"] == SLUG
    assert card["headline"].startswith(
        "Hours a week on technology: you 37 hours; districts of your size: median"
    )


def test_home_card_is_none_for_a_member_who_did_not_answer(bob, open_survey):
    assert home_card(bob) is None


def test_home_page_shows_the_card_to_the_member_only(client, alice, bob, open_survey):
    client.force_login(alice)
    assert "How you compare" in client.get("/").content.decode()
    client.force_login(bob)
    assert "How you compare" not in client.get("/").content.decode()
