import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client

from conftest import make_user
from districtwiki.accounts import actions
from districtwiki.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
GOOD_PASSWORD = "a long and unusual passphrase"


def signup_data(**overrides):
    data = {
        "username": "dana",
        "email": "dana@example.org",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    return {**data, **overrides}


def assert_refused(response, message):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username__iexact="dana").exists()
    assert mail.outbox == []


def test_signup_form_labels_every_field_with_autocomplete_hints(client):
    html = client.get(SIGNUP_URL).content.decode()
    for field in ("username", "email", "password1", "password2"):
        assert f'<label for="id_{field}"' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="new-password"' in html


def test_signup_creates_an_unconfirmed_member(client):
    response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="dana")
    assert user.role == User.Role.MEMBER
    assert user.email == "dana@example.org"
    assert user.email_confirmed is False
    assert user.check_password(GOOD_PASSWORD)


def test_signup_does_not_sign_the_new_member_in(client):
    # Signing in here would tell a new address from one that has an account (answered alike, below).
    client.post(SIGNUP_URL, signup_data())
    assert SESSION_KEY not in client.session


def test_signup_mails_a_confirmation_link(client, settings):
    client.post(SIGNUP_URL, signup_data())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.org"]
    assert f"{settings.SITE_URL}/accounts/confirm/" in message.body


def test_signup_link_is_on_the_site_url_whatever_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://wiki.example.org"
    client.post(SIGNUP_URL, signup_data(), HTTP_HOST="evil.example")
    assert "https://wiki.example.org/accounts/confirm/" in mail.outbox[0].body
    assert "evil.example" not in mail.outbox[0].body


def test_signup_tells_the_member_to_confirm_then_sign_in(client):
    response = client.post(SIGNUP_URL, signup_data(), follow=False)
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert "We sent a link to dana@example.org: follow it to confirm your address, then sign in" in page


def test_signup_without_required_confirmation_creates_a_confirmed_member(client, settings):
    settings.REQUIRE_EMAIL_CONFIRMATION = False
    client.post(SIGNUP_URL, signup_data())
    assert User.objects.get(username="dana").email_confirmed is True
    assert mail.outbox == []


def test_signup_follows_a_local_next(client):
    response = client.post(SIGNUP_URL + "?next=/wiki/E-Rate", signup_data())
    assert response["Location"] == "/wiki/E-Rate"


def test_signup_ignores_a_next_on_another_site(client):
    response = client.post(SIGNUP_URL, signup_data(next="https://evil.example/"))
    assert response["Location"] == "/"


def test_signup_refuses_a_username_taken_in_another_case(client, alice):
    response = client.post(SIGNUP_URL, signup_data(username="ALICE"))
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(username__iexact="alice").count() == 1
    assert mail.outbox == []


def answer(response) -> tuple:
    """What the person signing up sees: the status, where they are sent, the messages shown there."""
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location"), shown, SESSION_KEY in response.wsgi_request.session


def test_signup_with_a_taken_address_is_answered_as_for_a_new_one(client, alice):
    taken = answer(client.post(SIGNUP_URL + "?next=/wiki/E-Rate", signup_data(email="alice@example.org")))
    new = answer(Client().post(SIGNUP_URL + "?next=/wiki/E-Rate", signup_data()))
    assert taken[:2] == new[:2] == (302, "/wiki/E-Rate")
    assert new[2] == [
        "Welcome, dana! We sent a link to dana@example.org: follow it to confirm your address, then sign in "
        "to start editing. Nothing within a few minutes? Look in your spam folder."
    ]
    assert taken[2] == [text.replace("dana@example.org", "alice@example.org") for text in new[2]]
    assert taken[3] is new[3] is False


def test_signup_with_a_taken_address_creates_nothing(client, alice):
    client.post(SIGNUP_URL, signup_data(email="ALICE@Example.org"))
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


def test_signup_with_a_taken_address_mails_its_owner(client, alice, settings):
    client.post(SIGNUP_URL, signup_data(email="ALICE@Example.org"))
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "Someone tried to sign up" in message.subject
    assert "It already belongs to your account, alice" in message.body
    assert f"{settings.SITE_URL}/accounts/password/reset/" in message.body
    assert "/accounts/confirm/" not in message.body
    assert "dana" not in message.body  # nothing the person signing up typed


def test_signup_without_required_confirmation_answers_a_taken_address_alike(client, alice, settings):
    settings.REQUIRE_EMAIL_CONFIRMATION = False
    taken = answer(client.post(SIGNUP_URL, signup_data(email="alice@example.org")))
    new = answer(Client().post(SIGNUP_URL, signup_data()))
    assert taken == new
    assert new[2] == ["Welcome, dana! Your account is ready: sign in to start editing."]
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_signup_notices_to_one_address_stop_at_the_hourly_limit(client, alice):
    for number in range(5):
        response = client.post(SIGNUP_URL, signup_data(username=f"dana{number}", email="alice@example.org"))
        assert response.status_code == 302
    assert len(mail.outbox) == 3  # DISTRICTWIKI_ACCOUNT_MAIL_LIMIT_PER_RECIPIENT
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


def test_signup_mails_for_one_client_stop_at_the_hourly_limit(client, alice, settings):
    settings.ACCOUNT_MAIL_LIMIT_PER_CLIENT = 1
    client.post(SIGNUP_URL, signup_data(email="alice@example.org"))
    response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    assert User.objects.filter(username="dana").exists()  # the member can ask for the link later
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_signup_refuses_mismatched_passwords(client):
    response = client.post(SIGNUP_URL, signup_data(password2=GOOD_PASSWORD + "!"))
    assert_refused(response, "The two password fields didn’t match.")


def test_signup_refuses_a_short_password(client):
    response = client.post(SIGNUP_URL, signup_data(password1="k7#qz", password2="k7#qz"))
    assert_refused(response, "This password is too short. It must contain at least 10 characters.")


def test_signup_refuses_a_common_password(client):
    response = client.post(SIGNUP_URL, signup_data(password1="password123", password2="password123"))
    assert_refused(response, "This password is too common.")


def test_signup_refuses_a_password_like_the_username(client):
    password = "dana@example.org1"
    response = client.post(SIGNUP_URL, signup_data(password1=password, password2=password))
    assert_refused(response, "The password is too similar to the")


def test_signup_refuses_an_invalid_email(client):
    response = client.post(SIGNUP_URL, signup_data(email="dana at example"))
    assert_refused(response, "Enter a valid email address.")


def test_signup_refuses_a_username_with_spaces(client):
    response = client.post(SIGNUP_URL, signup_data(username="dana smith"))
    assert response.status_code == 400
    assert "Enter a valid username." in response.content.decode()
    assert not User.objects.exists()


def test_signup_refuses_missing_fields(client):
    response = client.post(SIGNUP_URL, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not User.objects.exists()


def test_signup_error_is_tied_to_its_field(client, alice):
    html = client.post(SIGNUP_URL, signup_data(username="Alice")).content.decode()
    assert 'id="id_username_error"' in html
    assert 'aria-describedby="id_username_helptext id_username_error"' in html
    assert 'aria-invalid="true"' in html


def test_signup_page_sends_a_signed_in_member_to_settings(alice_client):
    response = alice_client.get(SIGNUP_URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/"


def test_create_account_refuses_a_name_taken_meanwhile(alice):
    # The form checks first; the action checks again inside its transaction for a concurrent sign-up.
    with pytest.raises(actions.AccountTaken, match='The username "ALICE" is already taken'):
        actions.create_account("ALICE", "other@example.org", GOOD_PASSWORD)
    assert User.objects.count() == 1


def test_signup_refuses_a_look_alike_of_a_taken_username(client, db):
    make_user("admin")
    response = client.post(SIGNUP_URL, signup_data(username="\u0430dmin"))  # Cyrillic а
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_signup_refuses_a_non_ascii_name_taken_in_another_case(client, db):
    make_user("älice")
    response = client.post(SIGNUP_URL, signup_data(username="ÄLICE"))
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["former-member-12", "Former-Member-9", "f\u043ermer-member-3x"])
def test_signup_refuses_a_name_kept_for_deleted_accounts(client, db, username):
    response = client.post(SIGNUP_URL, signup_data(username=username))
    assert response.status_code == 400
    assert "are kept for deleted accounts" in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_create_account_refuses_a_look_alike_taken_meanwhile(alice):
    with pytest.raises(actions.AccountTaken, match='The username "\u0430lice" is already taken'):
        actions.create_account("\u0430lice", "other@example.org", GOOD_PASSWORD)
    assert User.objects.count() == 1


def main_text(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_after_sign_up_the_refused_edit_says_to_confirm_once(client):
    client.post(f"{SIGNUP_URL}?next=/edit/Wifi", signup_data())
    client.post("/accounts/login/", {"login": "dana", "password": GOOD_PASSWORD})
    response = client.get("/edit/Wifi")
    assert response.status_code == 403
    assert main_text(response).count("Confirm your e-mail address") == 1
