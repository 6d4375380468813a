import pytest
from django.utils import timezone

from districtwiki.accounts.models import APIToken, LoginFailure, User

pytestmark = pytest.mark.django_db


def test_wiki_admin_can_list_members(ada_client, alice):
    response = ada_client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert "alice" in response.content.decode()


def test_member_list_filters_by_role(ada_client, alice, bob):
    html = ada_client.get("/admin/accounts/user/?role__exact=trusted").content.decode()
    assert ">bob<" in html
    assert ">alice<" not in html


def test_member_list_filters_by_confirmation(ada_client, alice, carol):
    html = ada_client.get("/admin/accounts/user/?email_confirmed__exact=0").content.decode()
    assert ">carol<" in html
    assert ">alice<" not in html


def test_member_search_finds_by_email(ada_client, alice, bob):
    html = ada_client.get("/admin/accounts/user/?q=bob@example").content.decode()
    assert ">bob<" in html
    assert ">alice<" not in html


def test_wiki_admin_can_make_a_member_trusted(ada_client, alice):
    page = ada_client.get(f"/admin/accounts/user/{alice.pk}/change/")
    assert page.status_code == 200
    data = {
        "username": "alice",
        "email": "alice@example.org",
        "email_confirmed": "on",
        "role": "trusted",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = ada_client.post(f"/admin/accounts/user/{alice.pk}/change/", data)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.role == User.Role.TRUSTED


def test_wiki_admin_cannot_make_a_superuser(ada_client, alice):
    html = ada_client.get(f"/admin/accounts/user/{alice.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in html


def test_wiki_admin_cannot_change_a_superuser(ada_client):
    root = User.objects.create_superuser("root", "root@example.org", "another long passphrase")
    response = ada_client.post(f"/admin/accounts/user/{root.pk}/password/", {})
    assert response.status_code == 403


def test_member_cannot_open_the_admin(alice_client):
    response = alice_client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_api_token_admin_shows_the_hash_read_only(ada_client, alice):
    token, _key = APIToken.issue(alice, "bot")
    html = ada_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.key_hash in html
    assert 'name="key_hash"' not in html


def test_api_tokens_cannot_be_added_in_the_admin(ada_client):
    assert ada_client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_wiki_admin_can_revoke_a_token(ada_client, alice):
    token, _key = APIToken.issue(alice, "bot")
    response = ada_client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not APIToken.objects.exists()


def test_login_failures_are_listed(ada_client):
    LoginFailure.objects.create(username="alice", ip_address="10.0.0.7", timestamp=timezone.now())
    html = ada_client.get("/admin/accounts/loginfailure/").content.decode()
    assert "10.0.0.7" in html


def test_wiki_admin_can_add_a_member_with_a_role(ada_client):
    assert ada_client.get("/admin/accounts/user/add/").status_code == 200
    data = {
        "username": "dana",
        "email": "dana@example.org",
        "role": "trusted",
        "usable_password": "true",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
    }
    response = ada_client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 302
    assert User.objects.get(username="dana").role == User.Role.TRUSTED


def rename(ada_client, user, username):
    data = {
        "username": username,
        "email": user.email,
        "email_confirmed": "on",
        "role": user.role,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    return ada_client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_admin_cannot_rename_a_member_to_a_look_alike_of_another(ada_client, alice, bob):
    response = rename(ada_client, bob, "\u0430lice")
    assert response.status_code == 200  # the form again, with its error
    assert "A user with that username already exists." in response.content.decode()
    bob.refresh_from_db()
    assert bob.username == "bob"


def test_admin_cannot_rename_a_member_to_another_in_another_case(ada_client, alice, bob):
    response = rename(ada_client, bob, "ALICE")
    assert "A user with that username already exists." in response.content.decode()
    bob.refresh_from_db()
    assert bob.username == "bob"


def test_admin_cannot_rename_a_member_to_a_kept_name(ada_client, bob):
    response = rename(ada_client, bob, "former-member-99")
    assert "are kept for deleted accounts" in response.content.decode()
    bob.refresh_from_db()
    assert bob.username == "bob"


def test_admin_may_change_a_member_without_touching_their_name(ada_client, bob):
    assert rename(ada_client, bob, "bob").status_code == 302


def test_admin_cannot_add_a_member_with_a_look_alike_name(ada_client, alice):
    data = {
        "username": "\u0430lice",
        "email": "dana@example.org",
        "role": "member",
        "usable_password": "true",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
    }
    response = ada_client.post("/admin/accounts/user/add/", data)
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(email="dana@example.org").count() == 0
