"""axe-core finds no WCAG 2.1 A/AA violation on the community's pages (talk pages and threads, member
profiles and the directory, messages, notifications), on a desktop and on a phone, in both colour schemes.
How pages are checked: accessibility.py."""

import pytest

from districtwiki.wiki.models import Page

from .accessibility import ARTICLE, ARTICLE_PATH, Site, Visit, assert_no_wcag_violations, goto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def discussion(site: Site) -> int:
    """A talk thread on the article with alice's question and ada's reply (made once per test)."""
    from districtwiki.discussions import actions as discussions

    if site.thread_id is None:
        page = Page.objects.get(title=ARTICLE)
        thread = discussions.start_thread(page, "Which form first?", "Is it **470** or 471?", site.alice)
        discussions.add_post(thread, "Form 470, then the 28-day wait.", site.ada)
        site.thread_id = thread.pk
    return site.thread_id


def open_talk(page, site: Site) -> None:
    discussion(site)
    goto(f"/talk/{ARTICLE_PATH}")(page, site)


def open_thread(page, site: Site) -> None:
    goto(f"/discussions/{discussion(site)}")(page, site)


def open_conversation(page, site: Site) -> None:
    """A message from ada, as alice reads it (which also gives alice a notification)."""
    from districtwiki.community import messaging

    message = messaging.send_message(site.ada, site.alice, "Welcome! Ask me about **E-Rate** any time.")
    goto(message.conversation.get_absolute_url())(page, site)


GROUPS = {
    # group: (needs the starter content, {page type: how to reach it})
    "community": (
        False,
        {
            "talk": Visit(open_talk, signed_in=True, needs=f"/talk/{ARTICLE_PATH}"),
            "thread": Visit(open_thread, signed_in=True, needs="/discussions/1"),
            "discussions": Visit(goto("/special/discussions"), needs="/special/discussions"),
            "member-profile": Visit(goto("/members/alice"), signed_in=True, needs="/members/alice"),
            "directory": Visit(goto("/members/"), signed_in=True, needs="/members/"),
            "state-chapters": Visit(goto("/members/state/"), signed_in=True, needs="/members/state/"),
            "conversation": Visit(open_conversation, signed_in=True, needs="/members/messages/1"),
            "inbox": Visit(goto("/members/messages/"), signed_in=True, needs="/members/messages/"),
            "notifications": Visit(goto("/notifications/"), signed_in=True, needs="/notifications/"),
        },
    ),
}


@pytest.mark.parametrize("group", list(GROUPS))
def test_page_types_have_no_wcag_violations(group, alice, ada, browser_for, request):
    assert_no_wcag_violations(GROUPS[group], alice, ada, browser_for, request)
