import pytest

from districtwiki.wiki import actions
from districtwiki.wiki.models import Page, PageLink, Revision


def test_first_save_creates_page_and_revision(alice):
    result = actions.save_revision("first page", "Hello [[Other]]", alice, None, "start")
    assert result.created
    page = Page.objects.get(title="First page")
    assert page.latest == result.revision
    assert result.revision.author_name == "alice"
    assert result.revision.size == len(b"Hello [[Other]]")
    assert list(PageLink.objects.filter(source=page).values_list("target", flat=True)) == ["Other"]


def test_identical_save_writes_nothing(alice):
    first = actions.save_revision("Same", "text", alice)
    with pytest.raises(actions.NoChange):
        actions.save_revision("Same", "text\n", alice, first.revision.pk)
    assert Revision.objects.count() == 1


def test_stale_base_merges_cleanly(alice, bob):
    base = actions.save_revision("Merge", "one\ntwo\nthree", alice).revision
    actions.save_revision("Merge", "ONE\ntwo\nthree", bob, base.pk)
    result = actions.save_revision("Merge", "one\ntwo\nTHREE", alice, base.pk, "mine")
    assert result.revision.text == "ONE\ntwo\nTHREE"
    assert result.merged_with is not None
    assert "merged with revision" in result.revision.summary


def test_overlapping_edit_raises_conflict_and_saves_nothing(alice, bob):
    base = actions.save_revision("Clash", "one\ntwo", alice).revision
    actions.save_revision("Clash", "uno\ntwo", bob, base.pk)
    with pytest.raises(actions.EditConflict) as conflict:
        actions.save_revision("Clash", "eins\ntwo", alice, base.pk)
    assert conflict.value.conflicts[0].mine == "eins\n"
    assert Revision.objects.filter(page__title="Clash").count() == 2


@pytest.mark.parametrize("bad", ["nul \x00 here", "surrogate \ud800 here"])
def test_unstorable_characters_are_refused(alice, bad):
    with pytest.raises(actions.WikiError, match="try again"):
        actions.save_revision("Bad text", bad, alice)
    assert not Page.objects.exists()
