"""Addresses that cannot clash: a subpage whose last part is "history", "diff" or "backlinks" is saved, read
and has a history like any page; the old view addresses keep their meaning and are marked deprecated."""

import pytest

from districtwiki.wiki.models import Page

from .helpers import bearer, page_url, put_page, view_url
from .openapi import documented_json, served_spec

VIEWS = ("history", "diff", "backlinks")


def save(client, key, title: str, content: str, base=None):
    return put_page(client, title, {"content": content, "base_revision": base}, **bearer(key))


def read(client, title: str):
    return documented_json(client.get("/api/v1/pages", {"title": title}))


@pytest.mark.parametrize("view", VIEWS)
def test_subpage_named_like_a_view_is_saved_read_and_has_its_history(client, alice_key, make_page, view):
    make_page("Foo", "The parent page.")
    title = f"Foo/{view}"
    created = save(client, alice_key, title, "First [[Foo]].")
    assert created.status_code == 201, created.content
    assert documented_json(created)["title"] == title
    edited = save(client, alice_key, title, "Second [[Foo]].", base=created.json()["revision"]["id"])
    assert edited.status_code == 200
    assert Page.objects.filter(title=title).exists()
    page = read(client, title)
    assert (page["title"], page["content"]) == (title, "Second [[Foo]].")
    history = documented_json(client.get(view_url("history", title)))
    assert history["title"] == title
    assert [revision["summary"] for revision in history["revisions"]] == ["", ""]
    assert len(history["revisions"]) == 2


def test_diff_and_backlinks_of_a_subpage_named_like_a_view(client, alice_key, make_page):
    make_page("Foo", "Links to [[Foo/backlinks]].")
    first = save(client, alice_key, "Foo/diff", "one").json()["revision"]["id"]
    second = save(client, alice_key, "Foo/diff", "two", base=first).json()["revision"]["id"]
    diff = documented_json(client.get(view_url("diff", "Foo/diff"), {"from": first, "to": second}))
    assert "-one\n+two\n" in diff["diff"]
    save(client, alice_key, "Foo/backlinks", "a page")
    assert documented_json(client.get(view_url("backlinks", "Foo/backlinks")))["backlinks"] == ["Foo"]


def test_old_history_address_keeps_its_meaning_beside_a_subpage_of_that_name(client, alice_key, make_page):
    make_page("Foo", "The parent page.")
    save(client, alice_key, "Foo/history", "A page called history.")
    history = documented_json(client.get(page_url("Foo", "/history")))
    assert history["title"] == "Foo"  # the address means what it always meant, whatever pages exist
    assert read(client, "Foo/history")["content"] == "A page called history."


@pytest.mark.parametrize(
    "old, new, query",
    [
        ("/history", "history", {}),
        ("/backlinks", "backlinks", {}),
        ("/diff", "diff", "from-to"),
    ],
)
def test_old_view_addresses_answer_as_the_new_ones(client, make_page, old, new, query):
    revision = make_page("Foo", "text").revision.pk
    params = {"from": revision, "to": revision} if query else {}
    old_answer = documented_json(client.get(page_url("Foo", old), params))
    assert old_answer == documented_json(client.get(view_url(new, "Foo"), params))


def test_schema_marks_the_old_view_addresses_deprecated(db):
    paths = served_spec()["paths"]
    for view in VIEWS:
        assert paths[f"/api/v1/pages/{{title}}/{view}"]["get"]["deprecated"] is True
        assert f"/api/v1/{view}/{{title}}" in paths[f"/api/v1/pages/{{title}}/{view}"]["get"]["description"]
        assert "deprecated" not in paths[f"/api/v1/{view}/{{title}}"]["get"]
    assert "put" not in paths["/api/v1/pages/{title}/history"]  # PUT /pages/{title} covers every title
    assert "title" in {parameter["name"] for parameter in paths["/api/v1/pages"]["get"]["parameters"]}


def test_reading_by_query_needs_a_title(client, db):
    response = client.get("/api/v1/pages")
    assert response.status_code == 400
    assert "title" in response.json()["detail"]


@pytest.mark.parametrize("view", VIEWS)
def test_saving_a_subpage_named_like_a_view_needs_a_token(client, db, view):
    response = put_page(client, f"Foo/{view}", {"content": "x", "base_revision": None})
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not Page.objects.exists()
