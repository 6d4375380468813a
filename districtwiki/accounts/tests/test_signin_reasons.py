"""The sign-in page says why a signed-out visitor was sent there, from a fixed table only."""

import pytest

from districtwiki.accounts.signin_reasons import PRIVATE_WIKI_REASON

pytestmark = pytest.mark.django_db


def sign_in_page_after(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.redirect_chain, f"{url} did not send a signed-out visitor to sign in"
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    return response.content.decode()


def test_directory_tells_why(client):
    assert "Sign in to see the member directory." in sign_in_page_after(client, "/members/")


def test_editing_tells_why(client, make_page):
    make_page("Budget", "Text.")
    assert "Sign in to edit this page." in sign_in_page_after(client, "/edit/Budget")


def test_messages_tell_why(client):
    assert "Sign in to see your messages." in sign_in_page_after(client, "/members/messages/")


def test_notifications_tell_why(client):
    assert "Sign in to see your notifications." in sign_in_page_after(client, "/notifications/")


def test_settings_tell_why(client):
    assert "Sign in to see your settings." in sign_in_page_after(client, "/accounts/settings/")


def test_notification_settings_tell_why(client):
    html = sign_in_page_after(client, "/notifications/settings")
    assert "Sign in to change how you are notified." in html


def test_new_discussion_tells_why(client, make_page):
    make_page("Budget", "Text.")
    talk = client.get("/talk/Budget").content.decode()
    assert 'href="/accounts/login/?next=/talk/Budget"' in talk
    html = client.get("/accounts/login/", {"next": "/talk/Budget"}).content.decode()
    assert "Sign in to start a discussion or join one." in html


def test_watch_link_on_a_page_tells_why(client, make_page):
    make_page("Budget", "Text.")
    page = client.get("/wiki/Budget").content.decode()
    assert 'href="/accounts/login/?next=/wiki/Budget&amp;reason=watch"' in page
    html = client.get("/accounts/login/", {"next": "/wiki/Budget", "reason": "watch"}).content.decode()
    assert "Sign in to watch this page" in html


def test_watch_posted_signed_out_is_sent_to_sign_in_with_reason(client, make_page):
    make_page("Budget", "Text.")
    response = client.post("/watch/Budget", {"watch": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/wiki/Budget&reason=watch"


def test_reason_survives_a_wrong_password(client, alice):
    response = client.post(
        "/accounts/login/", {"login": "alice", "password": "wrong", "next": "/wiki/X", "reason": "watch"}
    )
    assert "Sign in to watch this page" in response.content.decode()


def test_unknown_reason_key_shows_nothing_of_it(client):
    html = client.get(
        "/accounts/login/", {"reason": "<b>Your account is locked, call 555</b>"}
    ).content.decode()
    assert "call 555" not in html
    assert 'class="note signin-reason"' not in html


def test_next_on_another_site_gives_no_reason(client):
    html = client.get("/accounts/login/", {"next": "https://evil.example/members/"}).content.decode()
    assert 'class="note signin-reason"' not in html


def test_plain_sign_in_gives_no_reason(client):
    html = client.get("/accounts/login/", {"next": "/wiki/Budget"}).content.decode()
    assert 'class="note signin-reason"' not in html


def test_public_profile_path_is_not_the_directory(client):
    html = client.get("/accounts/login/", {"next": "/members/alice"}).content.decode()
    assert "member directory" not in html


def test_private_wiki_tells_why(client, settings, make_page):
    make_page("Budget", "Text.")
    settings.PRIVATE_WIKI = True
    assert PRIVATE_WIKI_REASON in sign_in_page_after(client, "/wiki/Budget")
