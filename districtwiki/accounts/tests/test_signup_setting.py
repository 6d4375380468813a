"""DISTRICTWIKI_SIGNUP: open on a public wiki, by invitation on a private one unless set, and a loud
one-line refusal of anything else; the same refusal for the numbers of invitations and account e-mails."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from conftest import check_command, settings_under
from districtwiki.accounts.models import Invitation

# Each whole-number setting of sign-up and account mail, and its least value.
MINIMUMS = {
    "DISTRICTWIKI_INVITATIONS_PER_DAY": 1,
    "DISTRICTWIKI_INVITATION_DAYS": 1,
    "DISTRICTWIKI_ACCOUNT_MAIL_LIMIT_PER_RECIPIENT": 1,
    "DISTRICTWIKI_ACCOUNT_MAIL_LIMIT_PER_CLIENT": 1,
}
VARIABLES = ("DISTRICTWIKI_SIGNUP", "DISTRICTWIKI_PRIVATE_WIKI", *MINIMUMS)


def load_settings(monkeypatch, **environment) -> dict:
    return settings_under(monkeypatch, VARIABLES, **environment)


def test_a_public_wiki_is_open_by_default(monkeypatch):
    assert load_settings(monkeypatch)["SIGNUP"] == "open"


def test_a_private_wiki_is_by_invitation_by_default(monkeypatch):
    assert load_settings(monkeypatch, DISTRICTWIKI_PRIVATE_WIKI="true")["SIGNUP"] == "invite"


def test_a_private_wiki_may_choose_open_sign_up_explicitly(monkeypatch):
    loaded = load_settings(monkeypatch, DISTRICTWIKI_PRIVATE_WIKI="true", DISTRICTWIKI_SIGNUP="open")
    assert loaded["SIGNUP"] == "open"


@pytest.mark.parametrize("value", ["approval", " Approval ", "INVITE"])
def test_the_value_ignores_case_and_spaces(monkeypatch, value):
    assert load_settings(monkeypatch, DISTRICTWIKI_SIGNUP=value)["SIGNUP"] == value.strip().lower()


@pytest.mark.parametrize("value", ["closed", "invitation", "yes"])
def test_an_invalid_value_names_the_variable_and_the_choices(monkeypatch, value):
    with pytest.raises(
        ImproperlyConfigured, match=r"DISTRICTWIKI_SIGNUP=.* must be one of: open, invite, approval"
    ):
        load_settings(monkeypatch, DISTRICTWIKI_SIGNUP=value)


def test_the_daily_invitation_limit_must_be_positive(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DISTRICTWIKI_INVITATIONS_PER_DAY='0' must be at least 1"):
        load_settings(monkeypatch, DISTRICTWIKI_INVITATIONS_PER_DAY="0")


@pytest.mark.parametrize("value", ["", "   ", "open,invite", "open\napproval"])
def test_an_empty_or_combined_sign_up_value_is_refused_with_one_line(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(monkeypatch, DISTRICTWIKI_SIGNUP=value)
    message = str(raised.value)
    assert message.startswith("DISTRICTWIKI_SIGNUP=") and "\n" not in message
    assert message.endswith("must be one of: open, invite, approval.")


@pytest.mark.parametrize("variable", MINIMUMS)
@pytest.mark.parametrize("value", ["ten", "2.5", "1e3", "0x10", "5 days"])
def test_a_limit_that_is_not_a_whole_number_names_the_variable(monkeypatch, variable, value):
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(monkeypatch, **{variable: value})
    assert str(raised.value) == f"{variable}={value!r} is not a whole number."


@pytest.mark.parametrize("variable", MINIMUMS)
@pytest.mark.parametrize("below", [1, 10])
def test_a_limit_below_its_least_value_names_the_variable_and_the_least(monkeypatch, variable, below):
    value = str(MINIMUMS[variable] - below)
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(monkeypatch, **{variable: value})
    assert str(raised.value) == f"{variable}={value!r} must be at least {MINIMUMS[variable]}."


@pytest.mark.parametrize("variable", MINIMUMS)
def test_a_limit_at_its_least_value_is_taken(monkeypatch, variable):
    loaded = load_settings(monkeypatch, **{variable: f" {MINIMUMS[variable]} "})
    assert loaded[variable.removeprefix("DISTRICTWIKI_")] == MINIMUMS[variable]


def test_invitation_days_past_ten_years_are_refused(monkeypatch):
    """An expiry past the year 9999 cannot be stored: every invitation failed with a 500."""
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(monkeypatch, DISTRICTWIKI_INVITATION_DAYS="3000000")
    assert str(raised.value) == "DISTRICTWIKI_INVITATION_DAYS='3000000' must be at most 3650."


@pytest.mark.django_db
def test_an_invitation_of_the_longest_allowed_days_is_sent(client, bob, settings, monkeypatch):
    settings.INVITATION_DAYS = load_settings(monkeypatch, DISTRICTWIKI_INVITATION_DAYS="3650")[
        "INVITATION_DAYS"
    ]
    client.force_login(bob)
    assert client.post("/accounts/invitations/", {"addresses": "dana@example.org"}).status_code == 302
    assert Invitation.objects.get().expires_at.year >= timezone.now().year + 9


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DISTRICTWIKI_INVITATIONS_PER_DAY", "lots"),
        ("DISTRICTWIKI_INVITATION_DAYS", "0"),
        ("DISTRICTWIKI_ACCOUNT_MAIL_LIMIT_PER_RECIPIENT", "-1"),
        ("DISTRICTWIKI_ACCOUNT_MAIL_LIMIT_PER_CLIENT", "3.5"),
    ],
)
def test_the_command_refuses_a_bad_limit_with_one_line_naming_it(tmp_path, variable, value):
    finished = check_command(tmp_path, variable, value)
    assert finished.returncode == 2
    assert finished.stderr.startswith(f"districtwiki: configuration error: {variable}={value!r} ")
    assert finished.stderr.count("\n") == 1 and finished.stderr.endswith("\n")
    assert finished.stdout == ""


def test_the_command_refuses_to_start_with_one_line(tmp_path):
    finished = check_command(tmp_path, "DISTRICTWIKI_SIGNUP", "closed")
    assert finished.returncode == 2
    assert finished.stderr == (
        "districtwiki: configuration error: "
        "DISTRICTWIKI_SIGNUP='closed' must be one of: open, invite, approval.\n"
    )
