"""axe-core finds no WCAG 2.1 A/AA violation on any page type, on a desktop and on a phone: here the editor
(the edit form, its Preview and the 409 of an edit conflict), and the check itself can fail. How pages are
checked: accessibility.py; the other page types: test_accessibility_*.py."""

import pytest
from playwright.sync_api import expect

from districtwiki.wiki import actions
from districtwiki.wiki.models import Page

from .accessibility import (
    ARTICLE,
    ARTICLE_PATH,
    NOTE,
    SCHEMES,
    Site,
    Visit,
    assert_no_wcag_violations,
    goto,
    use_colour_scheme,
    violations_at_each_width,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- How each page type is reached ---------------------------------------------------------------------


def open_preview(page, site: Site) -> None:
    goto(f"/edit/{ARTICLE_PATH}")(page, site)
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="Preview", exact=True)).to_be_visible()


def open_conflict(page, site: Site) -> None:
    """Alice saves a change to the line ada changed while alice had the editor open: a 409 with both texts."""
    goto(f"/edit/{ARTICLE_PATH}")(page, site)
    current = Page.objects.get(title=ARTICLE).latest
    actions.save_revision(ARTICLE, current.text.replace(NOTE, "A note from ada."), site.ada, current.pk, "")
    text = page.locator("#id_text")
    text.fill(text.input_value().replace(NOTE, "A longer note from alice."))
    with page.expect_response(lambda r: r.request.method == "POST" and "/edit/" in r.url) as response:
        page.get_by_role("button", name="Save page").click()
    assert response.value.status == 409, f"saving over ada's change answered {response.value.status}"
    expect(page.get_by_role("heading", name="Edit conflict")).to_be_visible()


GROUPS = {
    # group: (needs the starter content, {page type: how to reach it})
    "editing": (
        True,
        {
            "edit": Visit(goto(f"/edit/{ARTICLE_PATH}"), signed_in=True),
            "preview": Visit(open_preview, signed_in=True),
            "error-409": Visit(open_conflict, signed_in=True),
        },
    ),
}


@pytest.mark.parametrize("group", list(GROUPS))
def test_page_types_have_no_wcag_violations(group, alice, ada, browser_for, request):
    assert_no_wcag_violations(GROUPS[group], alice, ada, browser_for, request)


# --- The check itself ----------------------------------------------------------------------------------


def test_violation_is_reported_with_rule_and_element(browser_for, tmp_path):
    """The check can fail: an unlabelled field is found, named, and its page saved for later."""
    page = browser_for(None).new_page()
    page.goto("/special/all")
    page.eval_on_selector("main", "main => main.insertAdjacentHTML('beforeend', '<input name=planted>')")
    failures = violations_at_each_width(page, "planted", tmp_path)
    assert [failure.splitlines()[:2] for failure in failures] == [
        [f"planted at {size}, {scheme} ({page.url}):", "  label (critical): Form elements must have labels"]
        for scheme in SCHEMES
        for size in ("1280×800", "375×812")
    ]
    assert (tmp_path / "planted-phone-dark.png").exists()
    assert (tmp_path / "screens" / "planted-desktop-light.png").exists()
    assert (tmp_path / "planted-phone-dark.html").read_text().count('name="planted"') == 1


def test_dark_scheme_is_checked_in_dark_colours(browser_for):
    """The dark pass really sees the dark tokens: the page background changes with the scheme."""
    page = browser_for(None).new_page()
    page.goto("/special/all")
    backgrounds = {}
    for scheme in SCHEMES:
        use_colour_scheme(page, scheme)
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}
