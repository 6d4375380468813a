"""The invitations page, the approval queue and the invited sign-up in Chromium, on a desktop and a phone:
no WCAG 2.1 A/AA violation (axe-core), no console error or CSP violation, nothing wider than the screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from districtwiki.accounts import approvals, invitations
from districtwiki.accounts.models import Invitation
from districtwiki.wiki.tests.browser import axe_violations, describe_violations, sign_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})
SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture
def invitation_pages(ada, bob, settings):
    """Every kind of invitation in ada's list, an application waiting, and a working invitation link."""
    settings.SIGNUP = "approval"
    invitations.issue(bob, "waiting.person.with.a.long.name@a-school-district.k12.example.org")
    _used, key = invitations.issue(ada, "used@example.org")
    invitations.accept(key, "usedup", PASSWORD)
    expired, _key = invitations.issue(bob, "late@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked, _key = invitations.issue(ada, "revoked@example.org")
    invitations.revoke(ada, revoked.pk)
    approvals.apply("dana", "dana@example.org", PASSWORD, "Technology coordinator at Lakeview.\nSecond line.")
    _invitation, key = invitations.issue(ada, "erin@example.org")
    return ["/accounts/invitations/", "/accounts/approvals/", f"/accounts/signup/invited/{key}/"]


def test_invitation_pages_pass_axe_on_desktop_and_phone(
    chromium, live_server, ada, invitation_pages, watch, tmp_path
):
    context = chromium.new_context(base_url=live_server.url)
    page = watched_page(context, watch)
    failures = []
    for path in invitation_pages:
        if path.startswith("/accounts/signup/"):
            context.clear_cookies()
        else:
            sign_in(context, live_server.url, ada)
        page.goto(path)
        for viewport in VIEWPORTS:
            page.set_viewport_size(viewport)
            page.screenshot(
                path=tmp_path / f"{path.strip('/').replace('/', '_')[:40]}-{viewport['width']}.png",
                full_page=True,
            )
            if violations := axe_violations(page):
                failures.append(f"{path} at {viewport['width']}px:\n{describe_violations(violations)}")
            if page.evaluate(SIDEWAYS_SCROLL):
                failures.append(f"{path} at {viewport['width']}px scrolls sideways")
    print("screenshots in", tmp_path)
    assert failures == [], "\n".join(failures)


def test_the_form_errors_of_the_invitations_page_pass_axe(chromium, live_server, bob, watch):
    context = chromium.new_context(base_url=live_server.url)
    sign_in(context, live_server.url, bob)
    page = watched_page(context, watch)
    watch.allow("status of 400")
    page.goto("/accounts/invitations/")
    page.get_by_label("E-mail addresses").fill("one@example.org, not-an-address, one@example.org")
    page.get_by_role("button", name="Send invitations").click()
    assert page.get_by_text("Not an e-mail address: “not-an-address”.").is_visible()
    assert axe_violations(page) == []
    assert Invitation.objects.count() == 0
