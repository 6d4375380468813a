"""Repeats in words: the event form's plain choices ("every week", "every month on the second Thursday",
"6 sessions", "until 30 June") made into the iCalendar RRULE that is stored, and a stored rule said back in
a sentence. A host who knows iCalendar may still type a rule of their own (the form's advanced field, and
the API); a rule this module did not write is described as well as its parts allow."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
PATTERNS = {
    "weekly": "Every week, on the same day",
    "fortnightly": "Every two weeks, on the same day",
    "monthly-weekday": "Every month, on the same weekday (such as the second Thursday)",
    "monthly-date": "Every month, on the same date",
}
MAX_SESSIONS = 520  # ten years of weekly office hours


class RepeatError(ValueError):
    """A choice that makes no rule; the message is a sentence for the host."""


def rule_for(pattern: str, local_start: datetime, sessions: str = "", last_date: str = "") -> str:
    """The RRULE for a plain choice, from the first session's local start; "" for no repeat."""
    pattern = (pattern or "").strip()
    if not pattern:
        return ""
    if pattern not in PATTERNS:
        raise RepeatError("Choose how the event repeats from the list.")
    parts = [_frequency(pattern, local_start)]
    count, until = _count(sessions), _until(last_date, local_start)
    if count and until:
        raise RepeatError("Give either a number of sessions or a last date, not both.")
    if count:
        parts.append(f"COUNT={count}")
    if until:
        parts.append(f"UNTIL={until}")
    return ";".join(parts)


def _frequency(pattern: str, start: datetime) -> str:
    weekday = WEEKDAYS[start.weekday()]
    if pattern == "weekly":
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    if pattern == "fortnightly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}"
    if pattern == "monthly-date":
        if start.day > 28:
            raise RepeatError(
                "A monthly date after the 28th is missing from some months: choose the weekday."
            )
        return f"FREQ=MONTHLY;BYMONTHDAY={start.day}"
    return f"FREQ=MONTHLY;BYDAY={week_of_month(start)}{weekday}"


def week_of_month(day: date) -> int:
    """1 to 4 for the first to fourth such weekday of its month; -1 for a fifth, which is the last."""
    number = (day.day - 1) // 7 + 1
    return -1 if number == 5 else number


def _count(raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 2 <= int(raw) <= MAX_SESSIONS:
        raise RepeatError(f"The number of sessions is a whole number from 2 to {MAX_SESSIONS}.")
    return int(raw)


def _until(raw: str, local_start: datetime) -> str | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise RepeatError(f"“{raw[:20]}” is not a date: use the form YYYY-MM-DD.") from None
    if day <= local_start.date():
        raise RepeatError("The last date comes after the first session.")
    # The end of that day where the event is held, in UTC, as iCalendar wants with a zoned start.
    end = datetime.combine(day, time(23, 59, 59), tzinfo=local_start.tzinfo).astimezone(ZoneInfo("UTC"))
    return end.strftime("%Y%m%dT%H%M%SZ")


def choices_of(rule: str, zone: ZoneInfo) -> dict:
    """The form's plain choices that would write `rule` again, or {"rrule": rule} for one written by hand."""
    if not rule:
        return {}
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";"))
    sessions = parts.pop("COUNT", "")
    until = parts.pop("UNTIL", "")
    pattern = next((name for name, shape in SHAPES.items() if shape(parts)), "")
    if not pattern:
        return {"rrule": rule}
    try:
        last = _local_date(until, zone).isoformat() if until else ""
    except ValueError:  # an UNTIL of another shape: the rule stays as it was written
        return {"rrule": rule}
    return {"repeat": pattern, "repeat_sessions": sessions, "repeat_until": last}


SHAPES = {
    "weekly": lambda p: p.keys() == {"FREQ", "BYDAY"} and p["FREQ"] == "WEEKLY" and p["BYDAY"] in WEEKDAYS,
    "fortnightly": lambda p: (
        p.keys() == {"FREQ", "INTERVAL", "BYDAY"}
        and (p["FREQ"], p["INTERVAL"]) == ("WEEKLY", "2")
        and p["BYDAY"] in WEEKDAYS
    ),
    "monthly-weekday": lambda p: (
        p.keys() == {"FREQ", "BYDAY"}
        and p["FREQ"] == "MONTHLY"
        and p["BYDAY"][-2:] in WEEKDAYS
        and p["BYDAY"][:-2] in {"1", "2", "3", "4", "-1"}
    ),
    "monthly-date": lambda p: p.keys() == {"FREQ", "BYMONTHDAY"} and p["FREQ"] == "MONTHLY",
}


def _local_date(until: str, zone: ZoneInfo) -> date:
    """UNTIL's date where the event is held: a UTC time (what the form writes) or a bare date."""
    day = date(int(until[:4]), int(until[4:6]), int(until[6:8]))
    if len(until) < 15:
        return day
    moment = datetime.combine(
        day, time(int(until[9:11]), int(until[11:13]), int(until[13:15])), ZoneInfo("UTC")
    )
    return moment.astimezone(zone).date()


def describe(rule: str, zone: ZoneInfo) -> str:
    """The rule in a sentence: "Every week on Thursday, 10 sessions"; a rule of other parts is named."""
    choices = choices_of(rule, zone)
    if not choices:
        return ""
    if "rrule" in choices:
        return f"Repeats by the iCalendar rule {rule}"
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";"))
    sentence = _pattern_sentence(choices["repeat"], parts)
    if choices["repeat_sessions"]:
        sentence += f", {choices['repeat_sessions']} sessions in all"
    if choices["repeat_until"]:
        last = date.fromisoformat(choices["repeat_until"])
        sentence += f", until {last.day} {last:%B %Y}"
    return sentence


def _pattern_sentence(pattern: str, parts: dict) -> str:
    if pattern == "monthly-date":
        return f"Every month on day {int(parts['BYMONTHDAY'])}"
    day = DAY_NAMES[WEEKDAYS.index(parts["BYDAY"][-2:])]
    if pattern == "weekly":
        return f"Every week on {day}"
    if pattern == "fortnightly":
        return f"Every two weeks on {day}"
    return f"Every month on the {ORDINALS[int(parts['BYDAY'][:-2])]} {day}"
