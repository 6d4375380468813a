"""Bounded cost at /w/api.php: the number of database queries of a request does not grow with the wiki,
limits are capped, and pathological parameters get a quick answer (an error or a bounded result)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from districtwiki.wiki.tests.pathological import repeated

from .action_api import error_code, post, query

pytestmark = pytest.mark.django_db

BIG_QUERY = {
    "generator": "allpages",
    "gaplimit": "max",
    "prop": "info|revisions|categories|links",
    "cllimit": "max",
    "pllimit": "max",
    "list": "allpages|recentchanges|categorymembers|backlinks|usercontribs|search",
    "aplimit": "max",
    "rclimit": "max",
    "rcprop": "title|ids|sizes|flags|user|comment|timestamp",
    "cmtitle": "Category:Bulk",
    "bltitle": "Hub",
    "uclimit": "max",
    "ucuser": "alice",
    "srsearch": "bulk",
    "meta": "siteinfo|userinfo|tokens",
    "siprop": "general|namespaces",
}


def add_pages(make_page, alice, start: int, count: int) -> None:
    for number in range(start, start + count):
        make_page(
            f"Bulk {number}",
            f"Bulk page {number} links to [[Hub]] and [[Bulk {number + 1}]].\n\n[[Category:Bulk]]",
            alice,
        )


def queries_for(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        body = query(client, **params)
    assert "error" not in body, body
    return len(captured)


def test_query_count_does_not_grow_with_the_number_of_pages(client, make_page, alice, settings):
    settings.EDIT_RATE_LIMIT = 1000
    add_pages(make_page, alice, 0, 3)
    few = queries_for(client, BIG_QUERY)
    add_pages(make_page, alice, 3, 40)
    many = queries_for(client, BIG_QUERY)
    assert many == few
    history = {"titles": "Bulk 1", "prop": "revisions", "rvlimit": "max", "rvprop": "ids|content"}
    assert queries_for(client, history) <= 6


def test_limits_are_capped_at_mediawikis_maximum(client, make_page, alice):
    body = query(client, list="allpages", aplimit="100000")
    assert "may not be over 500" in body["warnings"]["allpages"]["*"]
    body = query(client, list="recentchanges", rclimit="max", formatversion="2")
    assert "warnings" not in body


PATHOLOGICAL = [
    ({"titles": "|" * 200_000}, "toomanyvalues"),
    ({"titles": "a" * 300_000}, None),  # an invalid title, reported as such
    ({"titles": "[[" * 100_000}, None),
    ({"list": "allpages", "apfrom": "z" * 500_000, "apprefix": "%" * 100_000}, "invalidtitle"),
    ({"list": "allpages", "apprefix": "%_" * 127}, None),
    ({"list": "search", "srsearch": "a " * 200_000}, None),
    ({"list": "search", "srsearch": '"' * 200_000 + "(" * 100_000}, None),
    ({"titles": "Hub", "prop": "revisions", "rvcontinue": "9" * 100_000}, "badcontinue"),
    ({"list": "recentchanges", "rccontinue": "|" * 100_000}, "badtimestamp"),
    ({"list": "allpages", "aplimit": "9" * 100_000}, "badinteger"),
    ({"list": "usercontribs", "ucuser": "|".join(["x" * 10_000] * 50)}, None),
    ({"prop": "links", "titles": "Hub", "plcontinue": "1|" + "z" * 200_000}, None),
]


@pytest.mark.parametrize(("params", "code"), PATHOLOGICAL, ids=[str(i) for i in range(len(PATHOLOGICAL))])
def test_pathological_parameters_get_a_quick_answer(client, make_page, params, code):
    make_page("Hub", "x")
    started = time.perf_counter()
    body = query(client, **params)
    assert time.perf_counter() - started < 2
    assert error_code(body) == code


def test_parse_of_pathological_markdown_grows_linearly(client, db):
    def cost(size: int) -> float:
        text = repeated("[[a|", size) + repeated("*a", size) + repeated("<", size)
        started = time.perf_counter()
        body = post(client, action="parse", text=text).json()
        assert "error" not in body, body
        return time.perf_counter() - started

    cost(2_000)  # warm up the parser
    small, large = cost(8_000), cost(32_000)
    assert (
        large < 4 * 4 * small + 0.05
    )  # four times the text: far below the sixteen times of a quadratic step


def test_posted_text_over_the_page_limit_is_refused(client, settings, db):
    settings.MAX_PAGE_BYTES = 4096
    body = post(client, action="parse", text="x" * 5000).json()
    assert error_code(body) == "contenttoobig"


def test_content_of_many_pages_comes_fifty_at_a_time_while_the_generator_waits(
    client, make_page, alice, settings
):
    settings.EDIT_RATE_LIMIT = 1000
    add_pages(make_page, alice, 0, 60)
    params = {
        "generator": "allpages",
        "gaplimit": "max",
        "prop": "revisions",
        "rvprop": "content",
        "rvslots": "main",
    }
    first = query(client, formatversion="2", **params)
    with_content = [page for page in first["query"]["pages"] if "revisions" in page]
    assert len(first["query"]["pages"]) == 60 and len(with_content) == 50
    assert set(first["continue"]) == {"rvcontinue", "continue"} and "batchcomplete" not in first
    second = query(client, formatversion="2", **params, **first["continue"])
    rest = [page["title"] for page in second["query"]["pages"] if "revisions" in page]
    assert len(rest) == 10 and not {page["title"] for page in with_content} & set(rest)
    assert "continue" not in second and second["batchcomplete"] is True


def test_a_request_over_the_upload_limit_gets_an_error_object(client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, action="parse", text="x" * 20_000)
    assert response.status_code == 200 and error_code(response.json()) == "contenttoobig"
