"""Sign-in throttling, kept in the database so that every app process sees the same counts.

An account is locked after LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT_MINUTES, whichever of its
names was typed (username in any spelling, e-mail address: actions.find_username turns each into the
username); an unknown name is counted as typed (lower-cased); an address is locked after four times as
many. While locked, even the right password is refused and attempts are not recorded, so the lock lifts
once the window has passed. Failures are recorded whether or not an account exists, so a lock tells
nobody which accounts exist.
"""

import hashlib
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from districtwiki.ratelimits import UNKNOWN_ADDRESS, client_address, spend

from .models import LoginFailure

__all__ = ["UNKNOWN_ADDRESS", "client_address"]  # where the other accounts modules import them from

ADDRESS_LIMIT_FACTOR = 4
LOGIN_KEY_LENGTH = 150  # LoginFailure.username
CONFIRMATION_MAIL_INTERVAL = 60  # seconds between confirmation e-mails a member may ask for
ACCOUNT_MAIL_WINDOW = 3600  # seconds: ACCOUNT_MAIL_LIMIT_PER_* count the e-mails of an hour


class LoginLocked(Exception):
    """Too many recent failures; `retry_after` says how long until the next attempt is accepted."""

    status = 429

    def __init__(self, retry_after: timedelta):
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(
            f"Too many failed sign-in attempts. Wait {minutes} {unit} and try again, "
            "or reset your password by e-mail."
        )


def login_key(login: str) -> str:
    return login.strip().lower()[:LOGIN_KEY_LENGTH]


def lockout_window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def check_login_allowed(login: str, address: str) -> None:
    """Raise LoginLocked if this login name or this address has failed too often recently."""
    since = timezone.now() - lockout_window()
    by_name = LoginFailure.objects.filter(username=login_key(login))
    by_address = LoginFailure.objects.filter(ip_address=address)
    unlocks = [
        _unlock_time(by_name, settings.LOGIN_FAILURE_LIMIT, since),
        _unlock_time(by_address, settings.LOGIN_FAILURE_LIMIT * ADDRESS_LIMIT_FACTOR, since),
    ]
    latest = max((when for when in unlocks if when is not None), default=None)
    if latest is not None:
        raise LoginLocked(latest - timezone.now())


def _unlock_time(failures, limit: int, since: datetime) -> datetime | None:
    """When fewer than `limit` of these failures remain in the window, or None if that is already so."""
    recent = list(
        failures.filter(timestamp__gt=since)
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return recent[-1] + lockout_window()


def record_failure(login: str, address: str) -> None:
    now = timezone.now()
    LoginFailure.objects.create(username=login_key(login), ip_address=address, timestamp=now)
    # Pruning here keeps the table small without a scheduled job; the timestamp index makes it cheap.
    LoginFailure.objects.filter(timestamp__lte=now - lockout_window()).delete()


def clear_failures(user, *logins: str) -> None:
    """Forget the failures recorded against this account's username and e-mail, and the names typed."""
    keys = {login_key(user.username), *(login_key(login) for login in logins)}
    if user.email:
        keys.add(login_key(user.email))
    LoginFailure.objects.filter(username__in=keys).delete()


def allow_confirmation_mail(user) -> bool:
    """At most one confirmation e-mail a minute per member, so the resend button cannot flood a mailbox."""
    return cache.add(f"accounts:confirmation-mail:{user.pk}", 1, CONFIRMATION_MAIL_INTERVAL)


def allow_account_mail(recipient: str, client: str) -> bool:
    """Whether one more account e-mail may go to `recipient` at the request of `client` (an address from
    client_address), counting it if so: at most ACCOUNT_MAIL_LIMIT_PER_RECIPIENT an hour reach one
    mailbox and ACCOUNT_MAIL_LIMIT_PER_CLIENT an hour are sent for one client, so that nobody can flood
    someone's inbox with reset links or confirmations. Only e-mails actually sent are counted, and a
    refusal is answered like a sending, so the limits tell nobody which addresses have accounts."""
    if not _count_within(f"accounts:mail-client:{client}", settings.ACCOUNT_MAIL_LIMIT_PER_CLIENT):
        return False
    mailbox = hashlib.sha256(recipient.strip().lower().encode()).hexdigest()
    return _count_within(f"accounts:mail-to:{mailbox}", settings.ACCOUNT_MAIL_LIMIT_PER_RECIPIENT)


def _count_within(key: str, limit: int) -> bool:
    """Count one more event in the hour that began with this key's first one; False past `limit`."""
    return spend(key, 1, limit, ACCOUNT_MAIL_WINDOW)
