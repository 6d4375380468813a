"""A NUL character in an address is refused with a 400 and a sentence, whatever the view and the database
(PostgreSQL fails any query comparing text that holds one)."""

import pytest

from districtwiki.security import NUL_REFUSED
from districtwiki.wiki.models import Page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/wiki/Bus%00routes",
        "/special/recent?user=a%00b",
        "/special/search?fulltext=1&q=bus%00",
        "/history/Bus_routes?before=1%00",
    ],
)
def test_pages_refuse_a_nul(client, make_page, path):
    make_page("Bus routes", "Route 7.")
    response = client.get(path)
    assert response.status_code == 400
    assert response.content.decode() == NUL_REFUSED
    assert "Content-Security-Policy" in response and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/api/v1/recent?user=a%00b", "/api/v1/search?q=a%00b", "/api/v1/pages/a%00b"]
)
def test_the_api_refuses_a_nul_in_json(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_REFUSED}


def test_a_nul_in_a_form_post_changes_nothing(alice_client, make_page):
    make_page("Bus routes", "Route 7.")
    pages = Page.objects.count()
    response = alice_client.post("/edit/Bus%00routes", {"text": "x"})
    assert response.status_code == 400
    assert Page.objects.count() == pages
    assert Page.objects.get(title="Bus routes").latest.text == "Route 7."


def test_an_ordinary_percent_sign_is_untouched(client, make_page):
    make_page("Bus routes", "Route 7 is 100% on time.")
    assert client.get("/special/search?fulltext=1&q=100%25").status_code == 200
