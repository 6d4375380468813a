import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

pytestmark = pytest.mark.django_db


def test_logout_get_asks_and_keeps_the_member_signed_in(alice_client, alice):
    response = alice_client.get("/accounts/logout/")
    assert response.status_code == 200
    assert '<button type="submit">Sign out</button>' in response.content.decode()
    assert alice_client.session[SESSION_KEY] == str(alice.pk)


def test_logout_post_signs_out(alice_client):
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in alice_client.session


def test_logout_follows_a_local_next(alice_client):
    response = alice_client.post("/accounts/logout/", {"next": "/wiki/CIPA"})
    assert response["Location"] == "/wiki/CIPA"


def test_logout_ignores_a_next_on_another_site(alice_client):
    response = alice_client.post("/accounts/logout/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_logout_post_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_logout_refuses_other_methods(alice_client, alice):
    assert alice_client.put("/accounts/logout/").status_code == 405
    assert alice_client.session[SESSION_KEY] == str(alice.pk)
