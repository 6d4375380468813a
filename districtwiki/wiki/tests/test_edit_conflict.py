"""The edit-conflict view: both versions of each overlapping part, the words that differ marked."""

import re
import time

from districtwiki.wiki import diffs, merging
from districtwiki.wiki.models import Revision

MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
BASE = "Intro line.\nApply for E-Rate in March.\nLast line."
THEIRS = "Intro line.\nApply for E-Rate in January.\nLast line."
MINE = "Intro line.\nApply early for E-Rate in March.\nLast line."


def post_edit(client, title, text, base):
    return client.post(f"/edit/{title}", {"text": text, "base_revision": base, "summary": "", "save": "1"})


def conflict_response(alice_client, make_page, bob, mine=MINE, theirs=THEIRS, base=BASE):
    first = make_page("Page", base).revision
    make_page("Page", theirs, author=bob, base_revision=first.pk)
    response = post_edit(alice_client, "Page", mine, first.pk)
    assert response.status_code == 409
    return response.content.decode()


def side(content: str, name: str) -> str:
    return re.search(rf"<pre data-conflict-{name} tabindex=\"0\">\n(.*?)</pre>", content, re.S).group(1)


def test_conflict_marks_exactly_the_differing_words(alice_client, make_page, bob):
    content = conflict_response(alice_client, make_page, bob)
    assert [word.strip() for word in MARK.findall(side(content, "theirs"))] == ["January"]
    assert [word.strip() for word in MARK.findall(side(content, "mine"))] == ["early", "March"]


def test_conflict_labels_their_author_time_and_revision(alice_client, make_page, bob):
    content = conflict_response(alice_client, make_page, bob)
    theirs = Revision.objects.latest("pk")
    assert "Their version" in content
    assert f'by {bob.username}, <time datetime="{theirs.timestamp.isoformat()}' in content
    assert f"(revision {theirs.pk})" in content
    assert "Your version" in content


def test_conflict_text_is_escaped_and_unchanged_words_unmarked(alice_client, make_page, bob):
    content = conflict_response(
        alice_client, make_page, bob, base="<b>x</b> one", theirs="<b>x</b> two", mine="<b>x</b> three"
    )
    assert side(content, "theirs") == "&lt;b&gt;x&lt;/b&gt; <mark>two</mark>\n"
    assert side(content, "mine") == "&lt;b&gt;x&lt;/b&gt; <mark>three</mark>\n"


def test_conflict_part_starting_with_a_blank_line_keeps_it(alice_client, make_page, bob):
    texts = {"base": "a\nb\nc", "theirs": "a\n\nB\nc", "mine": "a\n\nbee\nc"}
    content = conflict_response(alice_client, make_page, bob, **texts)
    assert side(content, "theirs").startswith("\n")


def test_whole_lines_only_one_side_has_are_marked():
    theirs_html, mine_html = diffs.marked_versions("same\nextra line\n", "same\n", diffs.Budget())
    assert theirs_html == "same\n<mark>extra line</mark>\n"
    assert mine_html == "same\n"


def test_marking_large_conflicting_regions_stays_bounded():
    # Repeated words are the worst case of an exact matcher; the shared budget keeps this near-linear.
    theirs = " ".join(["alpha beta"] * 20_000)
    mine = " ".join(["beta alpha"] * 20_000)
    regions = [merging.ConflictRegion("", theirs, mine) for _ in range(5)]
    started = time.process_time()
    marked = merging.marked_regions(regions)
    assert time.process_time() - started < 5
    assert len(marked) == 5 and "<mark>" in marked[0].theirs_html


def test_changed_words_with_only_spaces_between_are_one_mark():
    theirs_html, mine_html = diffs.marked_versions(
        "About the school network.", "About Network today.", diffs.Budget()
    )
    assert theirs_html == "About <mark>the school network</mark>."
    assert mine_html == "About <mark>Network today</mark>."


def test_spaces_at_the_ends_of_a_change_stay_outside_its_mark():
    theirs_html, mine_html = diffs.marked_versions('after "Why it"', 'after "Why really it"', diffs.Budget())
    assert theirs_html == "after &quot;Why it&quot;"
    assert mine_html == "after &quot;Why <mark>really</mark> it&quot;"
