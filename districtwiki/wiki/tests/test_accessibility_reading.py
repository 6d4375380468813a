"""axe-core finds no WCAG 2.1 A/AA violation on the pages a reader meets (home, an article and a subpage, its
history and diffs, a category), on a desktop and on a phone, in both colour schemes. How pages are checked:
accessibility.py."""

import pytest

from districtwiki.wiki.titles import url_form

from .accessibility import ARTICLE_PATH, CATEGORY, DIFF_PATH, SUBPAGE, Visit, assert_no_wcag_violations, goto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPS = {
    # group: (needs the starter content, {page type: how to reach it})
    "reading": (
        True,
        {
            "home": Visit(goto("/")),
            "home-member": Visit(goto("/"), signed_in=True),
            "page": Visit(goto(f"/wiki/{ARTICLE_PATH}")),
            "page-member": Visit(goto(f"/wiki/{ARTICLE_PATH}"), signed_in=True),
            "subpage-with-file": Visit(goto(f"/wiki/{url_form(SUBPAGE)}")),
            "old-revision": Visit(goto(f"/wiki/{ARTICLE_PATH}?oldid={{site.first_revision}}")),
            "history": Visit(goto(f"/history/{ARTICLE_PATH}")),
            "diff": Visit(goto(DIFF_PATH)),
            "category": Visit(goto(f"/category/{url_form(CATEGORY)}")),
        },
    ),
}


@pytest.mark.parametrize("group", list(GROUPS))
def test_page_types_have_no_wcag_violations(group, alice, ada, browser_for, request):
    assert_no_wcag_violations(GROUPS[group], alice, ada, browser_for, request)
