"""axe-core finds no WCAG 2.1 A/AA violation on the community pages that wiki/tests/test_accessibility.py
does not visit (it covers the directory, a profile and the profile form), on a desktop and on a phone."""

import pytest

from districtwiki.community import messaging
from districtwiki.wiki.tests.browser import (
    TIMEOUT_MS,
    axe_violations,
    describe_violations,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})


def test_community_pages_have_no_wcag_violations(chromium, live_server, member, make_page):
    dana = member("dana", display_name="Dana", state="VT", list_on_state_page=True, expertise=["wifi"])
    erin = member("erin", role_name="trusted", state="VT", list_on_state_page=True)
    member("finn")
    make_page("State/VT", "The Vermont association. [[Category:State/VT]]")
    message = messaging.send_message(dana, erin, "Hello **Erin**, see [[State/VT]].")
    messaging.send_message(erin, dana, "Hi back")
    report = messaging.report_message(erin, message.pk, "Testing the report page")
    context = chromium.new_context(base_url=live_server.url)
    sign_in(context, live_server.url, erin)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    failures = []
    for path in (
        "/members/messages/",
        message.conversation.get_absolute_url(),
        "/members/messages/new/finn",
        "/members/state/",
        "/members/state/VT",
        "/accounts/delete/",
        "/members/messages/reports/",
        report.get_absolute_url(),
    ):
        page.goto(path)
        for size in VIEWPORTS:
            page.set_viewport_size(size)
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path} at {size['width']}px:\n{describe_violations(violations)}")
    context.close()
    assert not failures, "\n".join(failures)
