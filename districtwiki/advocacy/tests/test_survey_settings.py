"""DISTRICTWIKI_SURVEY_MIN_GROUP: 5 unless set; a whole number of at least 2, else a loud refusal."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from conftest import settings_under

VARIABLE = "DISTRICTWIKI_SURVEY_MIN_GROUP"


def test_the_minimum_group_is_five_by_default(monkeypatch):
    assert settings_under(monkeypatch, [VARIABLE])["SURVEY_MIN_GROUP"] == 5


def test_the_minimum_group_may_be_raised(monkeypatch):
    assert settings_under(monkeypatch, [VARIABLE], **{VARIABLE: "10"})["SURVEY_MIN_GROUP"] == 10


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", "DISTRICTWIKI_SURVEY_MIN_GROUP='1' must be at least 2."),
        ("0", "DISTRICTWIKI_SURVEY_MIN_GROUP='0' must be at least 2."),
        ("five", "DISTRICTWIKI_SURVEY_MIN_GROUP='five' is not a whole number."),
        ("2.5", "DISTRICTWIKI_SURVEY_MIN_GROUP='2.5' is not a whole number."),
    ],
)
def test_a_bad_minimum_group_stops_start_up(monkeypatch, value, message):
    with pytest.raises(ImproperlyConfigured) as raised:
        settings_under(monkeypatch, [VARIABLE], **{VARIABLE: value})
    assert str(raised.value) == message
