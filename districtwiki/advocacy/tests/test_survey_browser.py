"""The survey pages in Chromium: no WCAG 2.1 A/AA violation (axe) and no console or CSP error on the list,
a survey's page, the answering form (fresh and refused with errors) and the admins' page, at a desktop and a
phone width, with screenshots kept in /tmp; and a member answers with the keyboard and a pointer."""

import pytest

from districtwiki.advocacy import survey_actions
from districtwiki.advocacy.models import SurveyResponse
from districtwiki.community.models import Profile
from districtwiki.wiki.tests.browser import (
    SCREENSHOT_DIR,
    PageWatch,
    axe_violations,
    describe_violations,
    sign_in,
    watched_page,
)

from .survey_world import GOOD_ANSWERS, LABEL, SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})
ANSWER = f"/advocacy/surveys/{SLUG}/answer"


@pytest.fixture
def opened(db):
    return survey_actions.open_period(SLUG, LABEL)


def check_page(page, path: str, name: str, failures: list[str]) -> None:
    for size in VIEWPORTS:
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOT_DIR / f"survey-{name}-{size['width']}.png"), full_page=True)
        if page.evaluate("document.documentElement.scrollWidth") > size["width"]:
            failures.append(f"{path} scrolls sideways at {size['width']}px")
        if violations := axe_violations(page):
            failures.append(f"{path} at {size['width']}px:\n{describe_violations(violations)}")


def test_survey_pages_are_accessible_at_both_widths(chromium, live_server, opened, alice, bob, ada):
    survey_actions.save_response(opened, bob, GOOD_ANSWERS)
    context = chromium.new_context(base_url=live_server.url)
    watch = PageWatch()
    page = watched_page(context, watch)
    failures: list[str] = []
    for who, path, name in (
        (None, "/advocacy/surveys/", "list"),
        (alice, f"/advocacy/surveys/{SLUG}/", "page"),
        (bob, f"/advocacy/surveys/{SLUG}/", "page-answered"),
        (alice, ANSWER, "form"),
        (ada, f"/advocacy/surveys/{SLUG}/manage", "manage"),
    ):
        context.clear_cookies()
        if who is not None:
            sign_in(context, live_server.url, who)
        page.goto(path)
        check_page(page, path, name, failures)
    context.clear_cookies()
    sign_in(context, live_server.url, alice)
    page.goto(ANSWER)
    page.fill("#q-hours_per_week", "lots")
    watch.allow(r"status of 400")  # the refused form: the only request here that answers 400
    with page.expect_navigation():
        page.click("form.survey-form button[type=submit]")
    assert page.locator(".survey-error-summary").is_visible()
    check_page(page, ANSWER + " (refused)", "form-errors", failures)
    context.close()
    assert not failures, "\n".join(failures)
    assert watch.errors == []


def test_a_member_answers_in_the_browser(chromium, live_server, opened, alice):
    Profile.objects.update_or_create(
        user=alice, defaults={"state": "IA", "district_size": "under-1000", "role": "director"}
    )
    context = chromium.new_context(base_url=live_server.url, viewport=VIEWPORTS[1])
    sign_in(context, live_server.url, alice)
    page = context.new_page()
    page.goto(ANSWER)
    page.get_by_label("Hours you work in a typical school-year week").fill("50")
    page.get_by_label("Title IV, Part A (Student Support and Academic Enrichment)").check()
    page.get_by_label("In a sentence or two").fill("More time for planning.")
    page.get_by_label("Not enough staff time").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Save my answers").click()
    assert "your answers are saved" in page.locator(".messages").inner_text()
    answers = SurveyResponse.objects.get(member=alice).answers
    assert answers == {
        "state": "IA",
        "district_size": "under-1000",
        "role": "director",
        "hours_per_week": 50,
        "funding_programs": ["title-iv-a"],
        "largest_barrier": "staff-time",
        "biggest_difference": "More time for planning.",
    }
    context.close()
