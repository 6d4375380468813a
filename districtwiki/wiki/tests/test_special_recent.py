"""/special/recent: the newest revisions, filtered and paged, in a fixed number of queries."""

import pytest

from districtwiki.wiki import actions
from districtwiki.wiki.models import LogEntry, Page, Revision


def recent(client, **params):
    return client.get("/special/recent", params)


def listed(response) -> list[tuple[str, str]]:
    return [(r.page.title, r.summary) for r in response.context["revisions"]]


def counts() -> tuple[int, int, int]:
    return Page.objects.count(), Revision.objects.count(), LogEntry.objects.count()


@pytest.fixture
def history(make_page, alice):
    first = make_page("Wifi", "Access points in every room.", summary="start")
    make_page("Wifi", "Access points.", summary="shorter", base_revision=first.revision.pk, minor=True)
    make_page("Printers", "Toner.", author=alice, summary="by alice")
    make_page("File:Logo.png", "Our logo.", summary="a file")
    make_page("Category:Devices", "Devices we use.", summary="a category")


def test_newest_change_comes_first(client, history):
    assert listed(recent(client))[0] == ("Category:Devices", "a category")


def test_every_change_is_listed(client, history):
    assert len(listed(recent(client))) == 5


def test_size_change_is_measured_against_the_parent(client, history):
    rows = {r.summary: r.size_change for r in recent(client).context["revisions"]}
    assert rows["start"] == len("Access points in every room.")
    assert rows["shorter"] == len("Access points.") - len("Access points in every room.")


def test_size_change_is_shown_with_its_sign(client, history):
    content = recent(client).content.decode()
    assert "−14 bytes" in content
    assert "+28 bytes" in content


def test_edit_links_to_its_diff_and_history(client, history):
    shorter = Revision.objects.get(summary="shorter")
    content = recent(client).content.decode()
    assert f'href="/diff/Wifi?from={shorter.parent_id}&amp;to={shorter.pk}"' in content
    assert 'href="/history/Wifi"' in content


def test_minor_edit_is_flagged(client, history):
    assert 'title="minor edit">m</abbr>' in recent(client).content.decode()


def test_user_filter_shows_only_their_changes(client, history):
    assert listed(recent(client, user="alice")) == [("Printers", "by alice")]


def test_unknown_user_filter_shows_nothing(client, history):
    response = recent(client, user="nobody")
    assert response.status_code == 200
    assert listed(response) == []
    assert "No changes match these filters." in response.content.decode()


@pytest.mark.parametrize(
    ("namespace", "title"),
    [("main", "Printers"), ("File", "File:Logo.png"), ("category", "Category:Devices")],
)
def test_namespace_filter(client, history, namespace, title):
    assert listed(recent(client, namespace=namespace))[0][0] == title


def test_hide_minor_leaves_out_minor_edits(client, history):
    assert "shorter" not in [summary for _, summary in listed(recent(client, hideminor="1"))]


def test_changes_to_deleted_pages_are_hidden(client, history, ada):
    actions.delete_page(Page.objects.get(title="Printers"), ada)
    assert "Printers" not in [title for title, _ in listed(recent(client))]


def test_unknown_namespace_is_a_400(client, history):
    before = counts()
    response = recent(client, namespace="Talk")
    assert response.status_code == 400
    assert "“Talk” is not a namespace: use main, File or Category." in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("before", ["x", "0", "-3", "1e3"])
def test_bad_before_is_a_400(client, history, before):
    snapshot = counts()
    response = recent(client, before=before)
    assert response.status_code == 400
    assert "“before” must be a whole number from 1 up" in response.content.decode()
    assert counts() == snapshot


@pytest.fixture
def busy_wiki(make_page):
    first = make_page("Busy", "0")
    base = first.revision.pk
    for number in range(1, 60):
        base = make_page("Busy", "x" * number, summary=f"edit {number}", base_revision=base).revision.pk


def test_fifty_changes_per_page_with_a_link_to_older_ones(client, busy_wiki):
    response = recent(client)
    rows = response.context["revisions"]
    assert len(rows) == 50
    assert response.context["older_url"] == f"?before={rows[-1].pk}"


def test_older_page_continues_where_the_first_stopped(client, busy_wiki):
    first_page = recent(client).context["revisions"]
    response = recent(client, before=str(first_page[-1].pk))
    assert len(response.context["revisions"]) == 10
    assert response.context["older_url"] is None
    assert response.context["newest_url"] == "/special/recent"


def test_query_count_does_not_grow_with_changes(client, busy_wiki, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = recent(client)
    assert len(response.context["revisions"]) == 50


def test_query_count_for_a_signed_in_member(alice_client, busy_wiki, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # session, user, notification bell, revisions
        recent(alice_client, hideminor="1", namespace="main")
