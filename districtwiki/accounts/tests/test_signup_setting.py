"""DISTRICTWIKI_SIGNUP: open on a public wiki, by invitation on a private one unless set, and a loud
one-line refusal of anything else."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from districtwiki import settings as settings_module

VARIABLES = ("DISTRICTWIKI_SIGNUP", "DISTRICTWIKI_PRIVATE_WIKI", "DISTRICTWIKI_INVITATIONS_PER_DAY")


def load_settings(monkeypatch, **environment) -> dict:
    """A fresh run of the settings module under `environment` (the running settings are untouched)."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings_module.__file__)))


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


def test_the_command_refuses_to_start_with_one_line(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "districtwiki.cli", "check"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
            "DISTRICTWIKI_DATA_DIR": str(tmp_path),
            "DISTRICTWIKI_SIGNUP": "closed",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert finished.stderr == (
        "districtwiki: configuration error: "
        "DISTRICTWIKI_SIGNUP='closed' must be one of: open, invite, approval.\n"
    )
