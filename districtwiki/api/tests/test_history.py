from districtwiki.wiki.models import Revision

from .helpers import view_url
from .openapi import documented_json, error_detail


def save_versions(make_page, title: str, count: int) -> list[Revision]:
    revisions = []
    for number in range(count):
        base = revisions[-1].pk if revisions else None
        revisions.append(
            make_page(title, f"version {number}", summary=f"v{number}", base_revision=base).revision
        )
    return revisions


def test_history_lists_revisions_newest_first(client, make_page):
    first, second = save_versions(make_page, "Devices", 2)
    history = documented_json(client.get(view_url("history", "Devices")))
    assert history["title"] == "Devices"
    assert [revision["id"] for revision in history["revisions"]] == [second.pk, first.pk]
    assert history["revisions"][0] == {
        "id": second.pk,
        "parent_id": first.pk,
        "timestamp": history["revisions"][0]["timestamp"],
        "author": "page-maker",
        "summary": "v1",
        "minor": False,
        "size": len("version 1"),
    }
    assert history["next_before"] is None


def test_history_pages_with_limit_and_before(client, make_page):
    revisions = save_versions(make_page, "Devices", 5)
    first_page = documented_json(client.get(view_url("history", "Devices"), {"limit": 2}))
    assert [r["id"] for r in first_page["revisions"]] == [revisions[4].pk, revisions[3].pk]
    assert first_page["next_before"] == revisions[3].pk
    second_page = documented_json(
        client.get(view_url("history", "Devices"), {"limit": 2, "before": first_page["next_before"]})
    )
    assert [r["id"] for r in second_page["revisions"]] == [revisions[2].pk, revisions[1].pk]


def test_history_of_a_subpage(client, make_page):
    make_page("Budget/2025", "numbers")
    history = documented_json(client.get(view_url("history", "Budget/2025")))
    assert history["title"] == "Budget/2025"


def test_history_limit_over_100_is_400(client, make_page):
    make_page("Devices", "one")
    response = client.get(view_url("history", "Devices"), {"limit": 101})
    assert (
        error_detail(response, 400)
        == "The request is not valid: limit: Input should be less than or equal to 100."
    )


def test_history_of_missing_page_is_404(client, db):
    response = client.get(view_url("history", "Nothing here"))
    assert error_detail(response, 404) == 'There is no page called "Nothing here".'


def test_history_query_count_is_pinned(client, make_page, django_assert_max_num_queries):
    save_versions(make_page, "Devices", 30)
    with django_assert_max_num_queries(2):
        response = client.get(view_url("history", "Devices"))
    assert len(response.json()["revisions"]) == 30
