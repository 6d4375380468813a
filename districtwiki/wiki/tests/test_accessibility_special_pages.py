"""axe-core finds no WCAG 2.1 A/AA violation on the special pages (search, recent changes, all pages, wanted,
orphans, backlinks, categories, page information, the log, pages due for review) and the learning pathways,
on a desktop and on a phone, in both colour schemes. How pages are checked: accessibility.py."""

import pytest

from .accessibility import ARTICLE_PATH, PATHWAY, Visit, assert_no_wcag_violations, goto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPS = {
    # group: (needs the starter content, {page type: how to reach it})
    "special-pages": (
        True,
        {
            "search": Visit(goto("/special/search?q=E-Rate")),
            "recent-changes": Visit(goto("/special/recent")),
            "special-all": Visit(goto("/special/all")),
            "special-wanted": Visit(goto("/special/wanted")),
            "special-orphans": Visit(goto("/special/orphans")),
            "special-backlinks": Visit(goto(f"/special/backlinks/{ARTICLE_PATH}")),
            "special-categories": Visit(goto("/special/categories")),
            "special-info": Visit(goto(f"/special/info/{ARTICLE_PATH}")),
            "special-log": Visit(goto("/special/log")),
            "special-review-due": Visit(goto("/special/review-due")),
            "pathways": Visit(goto("/pathways/")),
            "pathway": Visit(goto(f"/pathways/{PATHWAY}"), signed_in=True),
        },
    ),
}


@pytest.mark.parametrize("group", list(GROUPS))
def test_page_types_have_no_wcag_violations(group, alice, ada, browser_for, request):
    assert_no_wcag_violations(GROUPS[group], alice, ada, browser_for, request)
