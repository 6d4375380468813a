from django.test import Client

from districtwiki.accounts.models import APIToken
from districtwiki.wiki.models import Revision

from .helpers import bearer, page_url, put_page, stored
from .openapi import documented_json, error_detail

NEW_PAGE = {"content": "Hello", "base_revision": None}


def test_anonymous_write_is_401_when_anonymous_edits_are_off(client, settings, db):
    settings.ALLOW_ANONYMOUS_EDITS = False
    response = put_page(client, "Budget", NEW_PAGE)
    assert error_detail(response, 401) == "Sign in or send an API token."
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert stored() == (0, 0)


def test_anonymous_write_is_401_before_the_body_is_checked(client, settings, db):
    settings.ALLOW_ANONYMOUS_EDITS = False
    assert error_detail(put_page(client, "Budget", "not json"), 401) == "Sign in or send an API token."


def test_anonymous_write_is_saved_when_anonymous_edits_are_on(client, settings, db):
    settings.ALLOW_ANONYMOUS_EDITS = True
    response = put_page(client, "Budget", NEW_PAGE)
    assert response.status_code == 201
    assert documented_json(response)["revision"]["author"] == "Anonymous"


def test_bearer_token_saves_as_the_token_owner(client, alice_key):
    response = put_page(client, "Budget", NEW_PAGE, **bearer(alice_key))
    assert response.status_code == 201
    assert Revision.objects.get().author_name == "alice"


def test_bearer_token_needs_no_csrf_token(alice_key):
    client = Client(enforce_csrf_checks=True)
    response = put_page(client, "Budget", NEW_PAGE, **bearer(alice_key))
    assert response.status_code == 201


def test_revoked_token_is_401_on_write(client, alice):
    token, key = APIToken.issue(alice, "test")
    token.delete()
    response = put_page(client, "Budget", NEW_PAGE, **bearer(key))
    assert error_detail(response, 401) == "The API token is not valid (revoked or mistyped)."
    assert stored() == (0, 0)


def test_mistyped_token_is_401_on_read(client, make_page):
    make_page("Budget", "text")
    response = client.get(page_url("Budget"), **bearer("dw_not-a-real-token"))
    assert error_detail(response, 401) == "The API token is not valid (revoked or mistyped)."


def test_session_write_without_csrf_token_is_403(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = put_page(client, "Budget", NEW_PAGE)
    detail = error_detail(response, 403)
    assert detail == "The CSRF check failed: reload the page and try again, or send an API token instead."
    assert stored() == (0, 0)


def test_session_write_with_csrf_token_is_saved(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    token = "a" * 32  # what the browser holds in the csrftoken cookie and echoes in the header
    client.cookies["csrftoken"] = token
    response = put_page(client, "Budget", NEW_PAGE, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert Revision.objects.get().author_name == "alice"
