from districtwiki.wiki import actions

from .helpers import view_url
from .openapi import documented_json, error_detail


def test_backlinks_list_pages_linking_here_in_title_order(client, make_page):
    make_page("CIPA", "law")
    make_page("Zoning", "see [[CIPA]]")
    make_page("Filtering", "see [[CIPA|the law]]")
    make_page("Unrelated", "nothing")
    body = documented_json(client.get(view_url("backlinks", "CIPA")))
    assert body == {"title": "CIPA", "backlinks": ["Filtering", "Zoning"]}


def test_backlinks_leave_out_deleted_pages(client, make_page, ada):
    make_page("CIPA", "law")
    source = make_page("Filtering", "see [[CIPA]]").page
    actions.delete_page(source, ada)
    assert documented_json(client.get(view_url("backlinks", "CIPA")))["backlinks"] == []


def test_backlinks_of_missing_page_is_404(client, db):
    response = client.get(view_url("backlinks", "COPPA"))
    assert error_detail(response, 404) == 'There is no page called "COPPA".'
