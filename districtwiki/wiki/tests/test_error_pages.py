"""The 400/403/404 pages speak to people: a plain sentence and what to do next, never an exception's name."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import Resolver404

from districtwiki import errors

pytestmark = pytest.mark.django_db

INTERNAL_NAMES = re.compile(
    r"Resolver404|Http404|PermissionDenied|SuspiciousOperation|DisallowedHost|Exception|tried"
)


def main_text(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_unknown_address_says_so_in_a_sentence(client):
    response = client.get("/no-such-address/here")
    assert response.status_code == 404
    assert "There is nothing at this address." in main_text(response)


def test_unknown_address_shows_no_exception_name(client):
    response = client.get("/no-such-address/here")
    assert not INTERNAL_NAMES.search(response.content.decode())


def test_not_found_page_offers_a_search_and_the_home_page(client):
    main = main_text(client.get("/no-such-address/here"))
    assert 'role="search"' in main
    assert 'action="/special/search"' in main
    assert 'href="/"' in main


def test_a_not_found_with_a_sentence_shows_it(client):
    response = client.get("/members/nobody-here")
    assert response.status_code == 404
    assert "There is no member called “nobody-here”." in main_text(response)


def test_a_bare_not_found_shows_the_plain_sentence(rf):
    response = errors.page_not_found(rf.get("/x"), Http404())
    assert "There is nothing at this address." in response.content.decode()
    assert "Http404" not in response.content.decode()


def test_the_resolvers_list_of_tried_patterns_is_never_shown(rf):
    exception = Resolver404({"tried": [["admin/"]], "path": "x"})
    body = errors.page_not_found(rf.get("/x"), exception).content.decode()
    assert "There is nothing at this address." in body
    assert "admin/" not in body and "Resolver404" not in body


def test_a_bare_permission_denied_shows_the_plain_sentence(rf):
    response = errors.permission_denied(rf.get("/x"), PermissionDenied())
    assert response.status_code == 403
    assert "You are not allowed to do that." in response.content.decode()
    assert not INTERNAL_NAMES.search(response.content.decode())


def test_a_permission_denied_with_a_sentence_shows_it(rf):
    response = errors.permission_denied(rf.get("/x"), PermissionDenied("Only admins can move pages."))
    assert "Only admins can move pages." in response.content.decode()


def test_a_bad_request_says_so_without_naming_the_error(client):
    response = client.get("/", HTTP_HOST="not a host")
    assert response.status_code == 400
    assert "The request was not understood." in main_text(response)
    assert not INTERNAL_NAMES.search(response.content.decode())


def test_a_missing_wiki_page_still_offers_to_create_it(alice_client):
    response = alice_client.get("/wiki/No_Such_Page_Yet")
    assert response.status_code == 404
    assert 'href="/edit/No_Such_Page_Yet"' in main_text(response)
