"""axe-core finds no WCAG 2.1 A/AA violation on the account pages (sign in, sign up, settings, the profile
form, upload) and the error pages, with and without their form errors, on a desktop and on a phone, in both
colour schemes. How pages are checked: accessibility.py."""

import pytest
from playwright.sync_api import expect

from .accessibility import ARTICLE_PATH, Site, Visit, assert_no_wcag_violations, goto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_failed_sign_in(page, site: Site) -> None:
    goto("/accounts/login/")(page, site)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".form-errors")).to_be_visible()


def open_sign_up_with_errors(page, site: Site) -> None:
    goto("/accounts/signup/")(page, site)
    page.get_by_label("Username").fill("alice")  # taken
    page.get_by_label("E-mail address").fill("someone@example.org")
    page.locator("#id_password1").fill("one long password")
    page.locator("#id_password2").fill("another long password")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".field-invalid").first).to_be_visible()


GROUPS = {
    # group: (needs the starter content, {page type: how to reach it})
    "accounts-and-errors": (
        False,
        {
            "sign-in": Visit(goto("/accounts/login/")),
            "sign-in-with-reason": Visit(goto("/accounts/login/?next=/members/")),
            "sign-in-failed": Visit(open_failed_sign_in),
            "sign-up": Visit(goto("/accounts/signup/")),
            "sign-up-with-errors": Visit(open_sign_up_with_errors),
            "settings": Visit(goto("/accounts/settings/"), signed_in=True),
            "profile-form": Visit(goto("/accounts/profile/"), signed_in=True),
            "special-upload": Visit(goto("/special/upload"), signed_in=True),
            "error-403": Visit(goto(f"/protect/{ARTICLE_PATH}", status=403), signed_in=True),
            "error-404": Visit(goto("/history/No_such_page", status=404)),
            "missing-page": Visit(goto("/wiki/No_such_page", status=404)),
        },
    ),
}


@pytest.mark.parametrize("group", list(GROUPS))
def test_page_types_have_no_wcag_violations(group, alice, ada, browser_for, request):
    assert_no_wcag_violations(GROUPS[group], alice, ada, browser_for, request)
