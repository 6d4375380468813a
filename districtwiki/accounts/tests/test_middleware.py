from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from districtwiki.accounts.middleware import PrivateWikiMiddleware
from districtwiki.accounts.models import APIToken

pytestmark = pytest.mark.django_db


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


# --- Bearer tokens


def test_bearer_token_signs_the_request_in(client, alice):
    _token, key = APIToken.issue(alice, "bot")
    response = client.get("/accounts/settings/", **bearer(key))
    assert response.status_code == 200
    assert "alice@example.org" in response.content.decode()


def test_bearer_token_records_when_it_was_used(client, alice):
    token, key = APIToken.issue(alice, "bot")
    client.get("/accounts/settings/", **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bearer_token_use_is_written_at_most_every_few_minutes(client, alice):
    token, key = APIToken.issue(alice, "bot")
    recently = timezone.now() - timedelta(minutes=1)
    APIToken.objects.filter(pk=token.pk).update(last_used_at=recently)
    client.get("/accounts/settings/", **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == recently


def test_bearer_request_query_count(client, alice, django_assert_max_num_queries):
    _token, key = APIToken.issue(alice, "bot")
    client.get("/accounts/settings/", **bearer(key))
    with django_assert_max_num_queries(3):
        client.get("/accounts/settings/", **bearer(key))


def test_invalid_bearer_token_gets_401_with_detail(client):
    response = client.get("/accounts/settings/", **bearer("dw_not-a-real-token"))
    assert response.status_code == 401
    assert response.json() == {"detail": "The API token is not valid (revoked or mistyped)."}
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_empty_bearer_token_gets_401(client):
    response = client.get("/accounts/settings/", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 401


def test_revoked_bearer_token_gets_401(client, alice):
    token, key = APIToken.issue(alice, "bot")
    token.delete()
    assert client.get("/accounts/settings/", **bearer(key)).status_code == 401


def test_token_of_a_deactivated_member_gets_401(client, alice):
    _token, key = APIToken.issue(alice, "bot")
    alice.is_active = False
    alice.save()
    assert client.get("/accounts/settings/", **bearer(key)).status_code == 401


def test_a_token_is_found_with_its_member_and_their_profile_in_one_query(alice, django_assert_num_queries):
    from districtwiki.community.actions import save_profile
    from districtwiki.community.models import Profile

    save_profile(Profile(user=alice, display_name="Alice Smith"), [])
    token, key = APIToken.issue(alice, "bot")
    with django_assert_num_queries(1):
        found = APIToken.objects.find(key)
        assert (found.pk, found.name, found.key_hash) == (token.pk, "bot", token.key_hash)
        assert found.user == alice and found.user.email == "alice@example.org" and found.user.is_active
        assert found.user.profile.display_name == "Alice Smith" and found.user.profile.user is found.user
    assert found.last_used_at is None and found.created_at == token.created_at


def test_a_member_without_a_profile_is_found_with_none(bob, django_assert_num_queries):
    from django.core.exceptions import ObjectDoesNotExist

    from districtwiki.community.models import Profile

    _token, key = APIToken.issue(bob, "bot")
    Profile.objects.filter(user=bob).delete()
    with django_assert_num_queries(1):
        found = APIToken.objects.find(key)
        with pytest.raises(ObjectDoesNotExist):
            found.user.profile  # noqa: B018 (the access is the test)
    assert APIToken.objects.find(key + "x") is None


def test_bearer_request_needs_no_csrf_token(alice):
    _token, key = APIToken.issue(alice, "bot")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/settings/tokens/", {"name": "made by a script"}, **bearer(key))
    assert response.status_code == 302
    assert alice.api_tokens.filter(name="made by a script").exists()


def test_other_authorization_schemes_are_ignored(client):
    response = client.get("/accounts/login/", HTTP_AUTHORIZATION="Basic YWxpY2U6cHc=")
    assert response.status_code == 200


# --- Private wiki


@pytest.fixture
def private(settings):
    settings.PRIVATE_WIKI = True


def test_private_wiki_sends_anonymous_readers_to_sign_in(client, private):
    response = client.get("/wiki/E-Rate?oldid=3")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/wiki/E-Rate%3Foldid%3D3"


def test_private_wiki_keeps_the_sign_in_page_open(client, private):
    assert client.get("/accounts/login/").status_code == 200


def test_private_wiki_answers_anonymous_api_calls_with_401(client, private):
    response = client.get("/api/v1/pages")
    assert response.status_code == 401
    assert response.json() == {"detail": "This wiki is private: sign in or send an API token."}


def passes_private_wiki(user, path="/wiki/E-Rate") -> bool:
    request = RequestFactory().get(path)
    request.user = user
    response = PrivateWikiMiddleware(lambda request: HttpResponse("page"))(request)
    return response.status_code == 200


def test_private_wiki_lets_members_read(alice, private):
    assert passes_private_wiki(alice)


def test_private_wiki_lets_the_health_check_through(private):
    assert passes_private_wiki(AnonymousUser(), "/healthz")


def test_public_wiki_lets_anonymous_readers_in(settings):
    settings.PRIVATE_WIKI = False
    assert passes_private_wiki(AnonymousUser())


def test_private_wiki_lets_the_action_api_answer_for_itself(private):
    """/w/api.php refuses signed-out reads with MediaWiki's own error (interchange/api/views.py), so that
    action=login can work; the rest of /w/ stays closed."""
    assert passes_private_wiki(AnonymousUser(), "/w/api.php")
    assert not passes_private_wiki(AnonymousUser(), "/w/index.php")
    assert not passes_private_wiki(AnonymousUser(), "/w/api.php/extra")
