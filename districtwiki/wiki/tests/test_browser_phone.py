"""On a 375px phone the reading and listing pages fit the screen: no sideways scrolling, no caption cut
off or squeezed into a narrow column. One live server and one browser context walk every page."""

import pytest

from districtwiki.community import actions as community
from districtwiki.community.models import Profile, Visibility
from districtwiki.wiki import actions

from .browser import SCREENSHOT_DIR, sign_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
LONG_WORD = "Form-470-posting-window-for-the-whole-consortium-of-very-small-districts"
TEXT = f"""---
audience: [technician, coordinator]
district_size: [under-1000]
reviewed: 2026-01-10
review_every: 6
time_sensitive: true
sources:
  - title: "A guide with a rather long title about filing windows and discounts"
    publisher: "State Office"
    url: "https://example.org/guide"
---
Budget notes for small districts. {LONG_WORD}

## Sources

- *A guide with a rather long title about filing windows and discounts*, State Office.
"""
PAGES = (
    "/wiki/Budget",
    "/history/Budget",
    "/diff/Budget",
    "/special/recent",
    "/members/",
    "/accounts/login/?next=/members/",
)

OVERFLOW = """() => {
  const limit = document.documentElement.clientWidth;
  const cut = [...document.querySelectorAll("caption, table, h1")]
    .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
    .map((el) => el.tagName.toLowerCase() + ": " + el.textContent.trim().slice(0, 60));
  const squeezed = [...document.querySelectorAll("caption:not(.visually-hidden)")]
    .filter((caption) => {
      const table = caption.closest("table").getBoundingClientRect().width;
      return caption.getBoundingClientRect().width < 0.9 * table;
    })
    .map((caption) => "squeezed caption: " + caption.textContent.trim().slice(0, 60));
  return {scrollWidth: document.documentElement.scrollWidth, cut: cut.concat(squeezed)};
}"""


@pytest.fixture
def edited_page(alice, bob):
    profile = Profile(user=alice, display_name="Alice Fernández-Whitmore", role="technician", state="VT")
    profile.display_name_visibility = Visibility.MEMBERS
    community.save_profile(profile, ["networking"])
    first = actions.save_revision("Budget", TEXT, alice, None, "First version")
    summary = f"Rewrote the filing section {LONG_WORD}"
    actions.save_revision(
        "Budget", TEXT + f"\nA much longer second line. {LONG_WORD}\n", bob, first.revision.pk, summary
    )


def test_pages_fit_a_phone_without_sideways_scrolling(chromium, live_server, watch, alice, edited_page):
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        page = watched_page(context, watch)
        page.goto("/accounts/login/?next=/members/")  # signed out: the reason above the form
        found = {"/accounts/login/?next=/members/": page.evaluate(OVERFLOW)}
        sign_in(context, live_server.url, alice)
        for path in PAGES[:-1]:
            page.goto(path)
            found[path] = page.evaluate(OVERFLOW)
            page.screenshot(
                path=str(SCREENSHOT_DIR / f"phone{path.replace('/', '_')[:40]}.png"), full_page=True
            )
    finally:
        context.close()
    too_wide = {
        path: result for path, result in found.items() if result["scrollWidth"] > 375 or result["cut"]
    }
    assert too_wide == {}
