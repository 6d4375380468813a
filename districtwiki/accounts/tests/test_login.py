import pytest
from django.contrib.auth import SESSION_KEY

from conftest import PASSWORD
from districtwiki.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
WRONG = "That username or e-mail address and password do not match an account."


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def test_login_form_has_labels_and_autocomplete(client):
    html = client.get(LOGIN_URL).content.decode()
    assert '<label for="id_login"' in html
    assert '<label for="id_password"' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html


def test_login_by_username(client, alice):
    response = client.post(LOGIN_URL, {"login": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == str(alice.pk)


def test_login_by_username_in_another_case(client, alice):
    client.post(LOGIN_URL, {"login": "ALICE", "password": PASSWORD})
    assert signed_in_as(client) == str(alice.pk)


def test_login_by_email_in_any_case(client, alice):
    client.post(LOGIN_URL, {"login": "Alice@EXAMPLE.org", "password": PASSWORD})
    assert signed_in_as(client) == str(alice.pk)


def test_login_follows_a_local_next(client, alice):
    response = client.post(LOGIN_URL + "?next=/wiki/CIPA", {"login": "alice", "password": PASSWORD})
    assert response["Location"] == "/wiki/CIPA"


def test_login_ignores_a_next_on_another_site(client, alice):
    data = {"login": "alice", "password": PASSWORD, "next": "//evil.example/steal"}
    response = client.post(LOGIN_URL, data)
    assert response["Location"] == "/"


def test_login_page_carries_next_into_the_form(client):
    html = client.get(LOGIN_URL + "?next=/wiki/CIPA").content.decode()
    assert '<input type="hidden" name="next" value="/wiki/CIPA">' in html


def test_wrong_password_is_refused_and_recorded(client, alice):
    response = client.post(LOGIN_URL, {"login": "alice", "password": "not the password"})
    assert response.status_code == 400
    assert WRONG in response.content.decode()
    assert signed_in_as(client) is None
    assert LoginFailure.objects.filter(username="alice", ip_address="127.0.0.1").count() == 1


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = client.post(LOGIN_URL, {"login": "nobody", "password": "not the password"})
    assert response.status_code == 400
    assert WRONG in response.content.decode()


def test_inactive_member_cannot_sign_in(client, alice):
    alice.is_active = False
    alice.save()
    response = client.post(LOGIN_URL, {"login": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert signed_in_as(client) is None


def test_login_without_password_is_refused(client, alice):
    response = client.post(LOGIN_URL, {"login": "alice"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert signed_in_as(client) is None


def test_login_page_query_count(client, alice, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        client.post(LOGIN_URL, {"login": "alice", "password": PASSWORD})


def test_admin_login_redirects_to_throttled_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
