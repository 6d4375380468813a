import datetime

from districtwiki.wiki import actions
from districtwiki.wiki.models import Revision

from .openapi import documented_json, error_detail


def test_recent_lists_revisions_across_the_wiki_newest_first(client, make_page, alice):
    first = make_page("Budget", "one", author=alice).revision
    second = make_page("Devices", "two").revision
    changes = documented_json(client.get("/api/v1/recent"))["changes"]
    assert [change["id"] for change in changes] == [second.pk, first.pk]
    assert [change["title"] for change in changes] == ["Devices", "Budget"]
    assert changes[1]["author"] == "alice"
    assert changes[1]["parent_id"] is None


def test_recent_orders_by_the_time_of_the_edit_not_the_order_of_arrival(client, make_page):
    """A revision imported from another wiki is newer here (a higher id) but older in time."""
    recent = make_page("Budget", "one").revision
    imported = make_page("Devices", "two").revision
    Revision.objects.filter(pk=imported.pk).update(timestamp=recent.timestamp - datetime.timedelta(days=400))
    changes = documented_json(client.get("/api/v1/recent"))["changes"]
    assert [change["title"] for change in changes] == ["Budget", "Devices"]


def test_recent_respects_limit(client, make_page):
    for number in range(3):
        make_page(f"Page {number}", "text")
    changes = documented_json(client.get("/api/v1/recent", {"limit": 2}))["changes"]
    assert [change["title"] for change in changes] == ["Page 2", "Page 1"]


def test_recent_filters_by_user(client, make_page, alice, bob):
    make_page("Budget", "one", author=alice)
    make_page("Devices", "two", author=bob)
    changes = documented_json(client.get("/api/v1/recent", {"user": "bob"}))["changes"]
    assert [change["title"] for change in changes] == ["Devices"]


def test_recent_filters_by_namespace(client, make_page):
    make_page("Budget", "one [[Category:Money]]")
    make_page("Category:Money", "About money")
    main = documented_json(client.get("/api/v1/recent", {"namespace": "main"}))["changes"]
    categories = documented_json(client.get("/api/v1/recent", {"namespace": "Category"}))["changes"]
    assert [change["title"] for change in main] == ["Budget"]
    assert [change["title"] for change in categories] == ["Category:Money"]


def test_recent_leaves_out_deleted_pages(client, make_page, ada):
    page = make_page("Old plan", "gone").page
    actions.delete_page(page, ada)
    assert documented_json(client.get("/api/v1/recent"))["changes"] == []


def test_unknown_namespace_is_400(client, db):
    detail = error_detail(client.get("/api/v1/recent", {"namespace": "Talk"}), 400)
    assert detail == "The request is not valid: namespace: Input should be 'main', 'File' or 'Category'."


def test_recent_query_count_is_pinned(client, make_page, django_assert_max_num_queries):
    for number in range(20):
        make_page(f"Page {number}", "text")
    with django_assert_max_num_queries(1):
        response = client.get("/api/v1/recent")
    assert len(response.json()["changes"]) == 20
