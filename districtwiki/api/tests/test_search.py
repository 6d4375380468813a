import pytest

from districtwiki.wiki import search
from districtwiki.wiki.search import SearchHit, SearchResults

from .openapi import documented_json


def test_search_finds_a_page_by_a_word_in_its_text(client, make_page):
    make_page("Firewall basics", "Segment the student wireless network from staff devices.")
    make_page("Budget", "Numbers only.")
    body = documented_json(client.get("/api/v1/search", {"q": "wireless"}))
    assert body["query"] == "wireless"
    assert body["total"] == 1
    assert [hit["title"] for hit in body["hits"]] == ["Firewall basics"]
    assert "wireless" in body["hits"][0]["snippet"]


def test_search_passes_limit_and_offset_through(client, db, monkeypatch):
    calls = []

    def fake_search(text, limit, offset):
        calls.append((text, limit, offset))
        return SearchResults(hits=[SearchHit(page_id=7, title="CIPA", snippet="<mark>cipa</mark>")], total=31)

    monkeypatch.setattr(search, "search_pages", fake_search)
    body = documented_json(client.get("/api/v1/search", {"q": "cipa", "limit": 10, "offset": 30}))
    assert calls == [("cipa", 10, 30)]
    assert body == {
        "query": "cipa",
        "total": 31,
        "total_is_estimate": False,
        "hits": [{"title": "CIPA", "snippet": "<mark>cipa</mark>"}],
    }


def test_empty_query_finds_nothing(client, make_page):
    make_page("Budget", "Numbers only.")
    assert documented_json(client.get("/api/v1/search")) == {
        "query": "",
        "total": 0,
        "total_is_estimate": False,
        "hits": [],
    }


@pytest.mark.parametrize(
    "query",
    [  # a NUL is refused before the API runs (wiki/tests/test_nul_refused.py)
        '"unbalanced',
        "a AND OR NOT",
        "title:x*",
        "-(()",
        "NEAR(a b)",
        "ünïcödé 日本語",
        "x" * 900,
    ],
)
def test_any_query_text_is_answered_without_error(client, make_page, query):
    make_page("Budget", "Numbers only.")
    response = client.get("/api/v1/search", {"q": query})
    assert response.status_code == 200
    documented_json(response)


def test_search_limit_over_100_is_400(client, db):
    response = client.get("/api/v1/search", {"q": "x", "limit": 500})
    assert response.status_code == 400
    assert documented_json(response)["detail"].startswith("The request is not valid: limit:")
