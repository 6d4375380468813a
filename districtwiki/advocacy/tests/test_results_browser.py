"""The results pages in Chromium, charts included: no WCAG 2.1 A/AA violation (axe) and no console or CSP
error at a desktop and a phone width, with screenshots kept in /tmp for a person to look at."""

from datetime import timedelta

import pytest

from conftest import make_user

from .page_checks import check_pages
from .results_seed import NOW, SLUG, add_responses, answer_as, make_period, skewed_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})


@pytest.fixture
def survey():
    for years, label, count in ((2, "2024–25", 120), (1, "2025–26", 160)):
        period = make_period(label=label, opened_at=NOW - timedelta(days=365 * years))
        add_responses(period, skewed_answers(count, seed=years))
    current = make_period(label="2026–27", closed=False)
    add_responses(current, skewed_answers(200, seed=9))
    member = make_user("alice")
    answer_as(
        current,
        member,
        {
            "state": "IA",
            "district_size": "under-1000",
            "role": "coordinator",
            "hours": 37,
            "fte": 1.5,
            "erate": "yes",
            "barriers": ["money", "time"],
        },
    )
    return member


def test_results_pages_are_accessible_and_screenshots_kept(chromium, live_server, survey):
    shots = [
        (None, f"/advocacy/surveys/{SLUG}/results", "overall"),
        (None, f"/advocacy/surveys/{SLUG}/results?by=district_size", "by-size"),
        (None, f"/advocacy/surveys/{SLUG}/results?by=state%2Bdistrict_size&period=2025%E2%80%9326", "pairs"),
        (survey, f"/advocacy/surveys/{SLUG}/compare", "compare"),
        (survey, "/", "home"),
    ]
    check_pages(chromium, live_server, shots, "results")
