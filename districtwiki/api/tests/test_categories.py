from districtwiki.wiki import actions

from .openapi import documented_json, error_detail


def test_categories_are_listed_with_page_counts(client, make_page):
    make_page("Budget", "[[Category:Money]] [[Category:Planning]]")
    make_page("E-Rate", "[[Category:Money]]")
    body = documented_json(client.get("/api/v1/categories"))
    assert body == {"categories": [{"name": "Money", "count": 2}, {"name": "Planning", "count": 1}]}


def test_category_lists_its_member_titles(client, make_page):
    make_page("E-Rate", "[[Category:Money]]")
    make_page("Budget", "[[Category:Money]]")
    make_page("Devices", "[[Category:Hardware]]")
    body = documented_json(client.get("/api/v1/categories/Money"))
    assert body == {"name": "Money", "count": 2, "members": ["Budget", "E-Rate"]}


def test_category_accepts_the_full_title_and_lower_case(client, make_page):
    make_page("Budget", "[[Category:Money]]")
    assert documented_json(client.get("/api/v1/categories/Category:Money"))["name"] == "Money"
    assert documented_json(client.get("/api/v1/categories/money"))["name"] == "Money"


def test_category_leaves_out_deleted_pages(client, make_page, ada):
    make_page("Budget", "[[Category:Money]]")
    page = make_page("E-Rate", "[[Category:Money]]").page
    actions.delete_page(page, ada)
    assert documented_json(client.get("/api/v1/categories/Money"))["members"] == ["Budget"]


def test_empty_category_with_a_description_page_is_found(client, make_page):
    make_page("Category:Money", "Pages about money")
    assert documented_json(client.get("/api/v1/categories/Money")) == {
        "name": "Money",
        "count": 0,
        "members": [],
    }


def test_unknown_category_is_404(client, db):
    detail = error_detail(client.get("/api/v1/categories/Nothing"), 404)
    assert detail == "No page is in the category “Nothing” and it has no description page."


def test_invalid_category_name_is_400(client, db):
    assert (
        error_detail(client.get("/api/v1/categories/Bad{name}"), 400)
        == 'Titles cannot contain the character "{".'
    )
