import re
from io import StringIO

import pytest
from django.core.management import call_command

from districtwiki import progress
from districtwiki.wiki import search
from districtwiki.wiki.models import Page


def test_reindex_restores_a_cleared_index(make_page):
    make_page("Firewall rules", "Keep the firewall current.")
    make_page("Old name", "#REDIRECT [[Firewall rules]]")
    page = Page.objects.get(title="Firewall rules")
    search.unindex_page(page)
    assert search.search_pages("firewall").total == 0
    out = StringIO()
    call_command("reindex", stdout=out)
    progress_line, result = out.getvalue().splitlines()
    assert re.fullmatch(r"Done: 1 page in \d+ s \([\d,]+/s\)\.", progress_line)
    assert result == "Indexed 1 pages."
    assert [hit.title for hit in search.search_pages("firewall").hits] == ["Firewall rules"]


def test_reindex_shows_plain_progress_lines_counting_pages(make_page, monkeypatch):
    for title in ("Firewall rules", "Wi-Fi", "Backups"):
        make_page(title, f"About {title}.")
    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0.0)  # a line at every page
    out = StringIO()
    call_command("reindex", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines[:3]] == [
        f"Reindexing pages: {n} of 3 pages" for n in (1, 2, 3)
    ]
    assert lines[3].startswith("Done: 3 pages in ")
    assert lines[4] == "Indexed 3 pages."


def test_ctrl_c_during_reindex_exits_130_and_leaves_the_old_index_whole(make_page, monkeypatch):
    for title in ("Firewall rules", "Wi-Fi", "Backups"):
        make_page(title, f"Notes on {title}.")
    search.unindex_page(Page.objects.get(title="Backups"))  # the old index lacks one page
    advance = progress.Tracker.advance

    def stop_at_the_third(tracker, amount=1):
        if tracker.done == 2:
            raise KeyboardInterrupt
        advance(tracker, amount)

    monkeypatch.setattr(progress.Tracker, "advance", stop_at_the_third)
    out = StringIO()
    with pytest.raises(progress.Interrupted) as stopped:
        call_command("reindex", stdout=out)
    assert stopped.value.returncode == 130
    message = str(stopped.value)
    assert message.startswith("Stopped by Ctrl+C: reindexing pages stopped after 2 pages in ")
    assert message.endswith(
        "the search index was left as it was before; run the command again to rebuild it."
    )
    assert "Indexed" not in out.getvalue()
    # Rolled back: what was indexed before still is, and the page missing before is still missing.
    assert sorted(hit.title for hit in search.search_pages("notes").hits) == ["Firewall rules", "Wi-Fi"]
