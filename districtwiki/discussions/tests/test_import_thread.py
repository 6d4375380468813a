"""actions.import_thread: a thread written elsewhere (an imported wiki's talk section) comes in at its own
time, cleaned, limited and rendered as any thread, without rate limits, watches or notifications."""

from datetime import UTC, datetime

import pytest

from districtwiki.discussions import actions
from districtwiki.discussions.models import Post, Thread, ThreadWatch
from districtwiki.notifications.models import Notification
from districtwiki.wiki import actions as wiki_actions

LONG_AGO = datetime(2014, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_an_imported_thread_keeps_its_time_and_author_name(page):
    subject, text = "  Filing   window ", "When is it? --Lee"
    thread = actions.import_thread(page, subject, text, None, "192.0.2.9", LONG_AGO)
    thread.refresh_from_db()
    post = thread.posts.get()
    assert (thread.subject, thread.author, thread.author_name) == ("Filing window", None, "192.0.2.9")
    assert thread.created_at == thread.last_post_at == post.created_at == LONG_AGO
    assert (thread.post_count, thread.last_post) == (1, post)
    assert (post.text, post.author_name) == ("When is it? --Lee", "192.0.2.9")


def test_an_imported_post_is_rendered_and_sanitised_like_any_post(page, make_page, dave):
    make_page("E-Rate", "Funding.")
    text = "See [[E-Rate]] and [[Nowhere]], @dave. <script>alert(1)</script>"
    post = actions.import_thread(page, "Links", text, None, "Lee", LONG_AGO).posts.get()
    assert "<script>" not in post.html
    assert 'data-wikilink="E-Rate"' in post.html and 'data-wikilink="Nowhere"' in post.html
    assert "/members/dave" in post.html


def test_no_one_is_notified_and_nothing_is_watched(page, alice, dave, bob):
    wiki_actions.set_watch(page, dave, True)
    actions.import_thread(page, "Old news", "Years old, @bob.", alice, "alice", LONG_AGO)
    assert not Notification.objects.exists()
    assert not ThreadWatch.objects.exists()


def test_no_rate_limit_for_historic_threads(page, alice, settings):
    settings.EDIT_RATE_LIMIT = 2
    for number in range(5):
        actions.import_thread(page, f"Section {number}", "Text.", alice, "alice", LONG_AGO)
    assert Thread.objects.filter(page=page).count() == 5


@pytest.mark.parametrize(
    ("subject", "text", "message"),
    [
        ("", "Text.", "Give the thread a subject: it is empty."),
        ("Subject", "   ", "Write something in your post: it is empty."),
        ("Subject", "x" * (65 * 1024), "This post is 65.0 KiB; the limit is 64 KiB."),
        ("Subject", "NUL \x00 here", "The text contains a NUL character"),
    ],
)
def test_what_start_thread_refuses_is_refused_and_nothing_written(page, subject, text, message):
    with pytest.raises(wiki_actions.WikiError, match=message):  # DiscussionError is a WikiError
        actions.import_thread(page, subject, text, None, "Lee", LONG_AGO)
    assert not Thread.objects.exists() and not Post.objects.exists()
