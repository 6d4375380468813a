"""DISTRICTWIKI_PREVIEW_BYTES_PER_MINUTE, DISTRICTWIKI_REQUEST_TIME_LIMIT and DISTRICTWIKI_SQLITE_CACHE_KB: a
value that is not a whole number, or is outside what works, stops start-up with one line naming the
variable."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from conftest import check_command, settings_under
from districtwiki.timebudget import TimeBudgetApplication

# Each setting and its least value.
MINIMUMS = {
    "DISTRICTWIKI_PREVIEW_BYTES_PER_MINUTE": 65536,
    "DISTRICTWIKI_REQUEST_TIME_LIMIT": 1,
    "DISTRICTWIKI_SQLITE_CACHE_KB": 64,
}


def load_settings(monkeypatch, **environment) -> dict:
    return settings_under(monkeypatch, MINIMUMS, **environment)


@pytest.mark.parametrize("variable", MINIMUMS)
@pytest.mark.parametrize("value", ["fast", "1.5", "4MiB", "1e6", "½"])
def test_a_limit_that_is_not_a_whole_number_names_the_variable(monkeypatch, variable, value):
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(monkeypatch, **{variable: value})
    assert str(raised.value) == f"{variable}={value!r} is not a whole number."


@pytest.mark.parametrize("variable", MINIMUMS)
@pytest.mark.parametrize("below", [1, MINIMUMS["DISTRICTWIKI_PREVIEW_BYTES_PER_MINUTE"]])
def test_a_limit_below_its_least_value_names_the_variable_and_the_least(monkeypatch, variable, below):
    value = str(MINIMUMS[variable] - below)
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(monkeypatch, **{variable: value})
    assert str(raised.value) == f"{variable}={value!r} must be at least {MINIMUMS[variable]}."


@pytest.mark.parametrize("variable", MINIMUMS)
def test_a_limit_at_its_least_value_is_taken(monkeypatch, variable):
    loaded = load_settings(monkeypatch, **{variable: str(MINIMUMS[variable])})
    assert loaded[variable.removeprefix("DISTRICTWIKI_")] == MINIMUMS[variable]


def test_a_request_time_limit_past_a_day_is_refused(monkeypatch):
    """Past threading.TIMEOUT_MAX the watchdog thread died on its first wait, and no request was stopped."""
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(monkeypatch, DISTRICTWIKI_REQUEST_TIME_LIMIT="10000000000")
    assert str(raised.value) == "DISTRICTWIKI_REQUEST_TIME_LIMIT='10000000000' must be at most 86400."


def test_sqlite_connections_cache_what_the_setting_says(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the settings of a SQLite install, on either pass
    loaded = load_settings(monkeypatch, DISTRICTWIKI_SQLITE_CACHE_KB="4096")
    assert "PRAGMA cache_size=-4096;" in loaded["DATABASES"]["default"]["OPTIONS"]["init_command"]
    default = load_settings(monkeypatch)
    init_command = default["DATABASES"]["default"]["OPTIONS"]["init_command"]
    assert f"PRAGMA cache_size=-{default['SQLITE_CACHE_KB']};" in init_command


def test_the_watchdog_keeps_running_with_the_longest_allowed_limit(monkeypatch):
    limit = load_settings(monkeypatch, DISTRICTWIKI_REQUEST_TIME_LIMIT="86400")["REQUEST_TIME_LIMIT"]
    application = TimeBudgetApplication(slow_application, limit)
    assert application({"PATH_INFO": "/"}, lambda *args: None) == [b"done"]
    assert application.watchdog.thread.is_alive()


def slow_application(environ, start_response):
    time.sleep(0.2)  # long enough for the watchdog to wait on this request's deadline
    start_response("200 OK", [])
    return [b"done"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DISTRICTWIKI_PREVIEW_BYTES_PER_MINUTE", "1024"), ("DISTRICTWIKI_REQUEST_TIME_LIMIT", "30s")],
)
def test_the_command_refuses_a_bad_limit_with_one_line_naming_it(tmp_path, variable, value):
    finished = check_command(tmp_path, variable, value)
    assert finished.returncode == 2
    assert finished.stderr.startswith(f"districtwiki: configuration error: {variable}={value!r} ")
    assert finished.stderr.count("\n") == 1 and finished.stderr.endswith("\n")
    assert finished.stdout == ""
