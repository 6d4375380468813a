import pytest
from django.utils import timezone

from districtwiki import replicas
from districtwiki.wiki import actions, sqlrows
from districtwiki.wiki.models import Page, PageLink, Revision, stamp_now


def test_first_save_creates_page_and_revision(alice):
    result = actions.save_revision("first page", "Hello [[Other]]", alice, None, "start")
    assert result.created
    page = Page.objects.get(title="First page")
    assert page.latest == result.revision
    assert result.revision.author_name == "alice"
    assert result.revision.size == len(b"Hello [[Other]]")
    assert list(PageLink.objects.filter(source=page).values_list("target", flat=True)) == ["Other"]


def test_saved_rows_read_back_as_the_save_returned_them(alice, bob):
    first = actions.save_revision("Read back", "one [[Other]]", alice)
    result = actions.save_revision("Read back", "two [[Other]]", bob, first.revision.pk, "second")
    page = Page.objects.select_related("latest").get(title="Read back")
    for field in ("latest_id", "redirect_to", "touched_at", "view_stamp", "namespace", "created_at"):
        assert getattr(result.page, field) == getattr(page, field), field
    stored = page.latest
    assert stored.pk == result.revision.pk and stored.parent_id == first.revision.pk
    assert (stored.author_id, stored.author_name, stored.summary) == (bob.pk, "bob", "second")
    assert stored.timestamp == result.revision.timestamp and stored.timestamp.tzinfo is not None
    assert (stored.text, stored.html, stored.size, stored.sha1) == (
        result.revision.text,
        result.revision.html,
        result.revision.size,
        result.revision.sha1,
    )


def test_a_save_moves_the_view_stamp_past_a_later_stored_one(alice):
    first = actions.save_revision("Stamped", "one", alice)
    later = stamp_now() + 10**12  # touched by another writer with a clock ahead of ours
    Page.objects.filter(pk=first.page.pk).update(view_stamp=later)
    result = actions.save_revision("Stamped", "two", alice, first.revision.pk)
    assert result.page.view_stamp == later + 1
    assert Page.objects.get(pk=first.page.pk).view_stamp == later + 1


def test_a_save_of_a_watched_page_costs_a_fixed_number_of_statements(
    alice, bob, django_assert_max_num_queries
):
    """The rate check, a savepoint, the page with its latest revision, the revision, the page's pointer,
    its links, the search index, its watchers and their notification, the advocacy receiver, the release."""
    first = actions.save_revision("Counted", "one [[Other]]", alice)
    latest = actions.save_revision("Counted", "two [[Other]]", bob, first.revision.pk).revision
    links = " ".join(f"[[Link {number}]]" for number in range(50))
    with django_assert_max_num_queries(13):
        actions.save_revision("Counted", f"three [[Other]] {links}", alice, latest.pk)


def test_the_saves_plain_writes_count_as_writes_for_read_your_writes(alice, settings):
    """With read replicas, a request that wrote reads from the primary afterwards (replicas.py): the rows a
    save writes by plain statements are routed as the ORM routes its writes."""
    page = actions.save_revision("Written", "one", alice).page
    settings.DATABASE_ROUTERS = ["districtwiki.replicas.ReplicaRouter"]
    with replicas.request_routing(may_use_replica=True) as routing:
        sqlrows.update_current(page, page.latest, "", timezone.now())
    assert routing.wrote


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
