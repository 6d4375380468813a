"""`districtwiki content load`: progress counted in pages, and Ctrl+C keeps the pages already loaded."""

import io

import pytest
from django.core.management import call_command

from districtwiki import progress
from districtwiki.content.models import StarterPage
from districtwiki.wiki.models import Page

TITLES = ("Backups", "Firewalls", "Passwords", "Wi-Fi")


@pytest.fixture
def four_pages(shipped, db):
    for title in TITLES:
        shipped(title, f"About {title}.")


def load() -> str:
    out = io.StringIO()
    call_command("content", "load", stdout=out)
    return out.getvalue()


def test_load_shows_plain_progress_lines_counting_pages(four_pages, monkeypatch):
    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0.0)  # a line at every page
    lines = load().splitlines()
    assert [line.split(" (")[0] for line in lines[:4]] == [
        f"Loading starter pages: {n} of 4 pages" for n in (1, 2, 3, 4)
    ]
    assert lines[4].startswith("Done: 4 pages in ")
    assert lines[5] == (
        "Starter content: 4 pages created, 0 updated, 0 with a newer version waiting for a merge, "
        "0 files added."
    )


def test_ctrl_c_keeps_the_pages_loaded_and_loading_again_continues(four_pages, monkeypatch):
    advance = progress.Tracker.advance

    def stop_at_the_third(tracker, amount=1):
        if tracker.done == 2:
            raise KeyboardInterrupt
        advance(tracker, amount)

    with monkeypatch.context() as patched:
        patched.setattr(progress.Tracker, "advance", stop_at_the_third)
        with pytest.raises(progress.Interrupted) as stopped:
            load()
    assert stopped.value.returncode == 130
    message = str(stopped.value)
    assert message.startswith("Stopped by Ctrl+C: loading starter pages stopped after 2 pages in ")
    assert message.endswith("what was done is kept, and running the command again continues from there.")
    # The third page was saved (its own transaction) before the count reached it; the fourth was not.
    assert sorted(Page.objects.values_list("title", flat=True)) == ["Backups", "Firewalls", "Passwords"]

    assert "Starter content: 1 pages created" in load()
    assert StarterPage.objects.count() == 4
