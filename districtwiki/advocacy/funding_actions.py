"""Every write to the funding tracker goes through these functions: programs, their yearly amounts and status
changes (trusted members and admins), watching, and members' "at risk" alerts.

Each action authorises, validates and writes in one transaction. Refusals are FundingError (an HTTP status
and a sentence for the person) or PermissionDenied; the pages and the API turn them into responses, and
nothing is stored when one is raised. A status change or an alert tells the program's watchers and, for a
state program, the members of that state's chapter (members whose profile names the state): one
notification per member per change, never to the member who made it.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from districtwiki.community import rendering
from districtwiki.community.models import Profile
from districtwiki.community.states import OUTSIDE_US, STATES
from districtwiki.notifications.actions import notify_users
from districtwiki.notifications.models import Notification
from districtwiki.wiki import access as wiki_access
from districtwiki.wiki.actions import WikiError, check_text, normalize_text

from .models import (
    FundingProgram,
    ProgramAlert,
    ProgramAmount,
    ProgramStatusChange,
    ProgramWatch,
)
from .models.funding import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT

MAX_NAME = 200
MAX_AGENCY = 200
MAX_DESCRIPTION = 20_000
MAX_NOTE = 500
MAX_ALERT_NOTE = 300
MIN_ALERT_NOTE = 10
MAX_URL = 500
MAX_SOURCE_TITLE = 200
MAX_YEAR_LABEL = 20
# A member may raise this many alerts a day across programs, and one a day on the same program: enough to
# warn of real news, too few to flood a state chapter's notifications.
ALERTS_PER_DAY = 5
ALERT_WINDOW = timedelta(days=1)
RESERVED_SLUGS = {"new"}  # /advocacy/programs/new is the form


class FundingError(WikiError):
    status = 400


class ProgramNotFound(FundingError):
    status = 404


class Duplicate(FundingError):
    status = 409


class AlertRateLimited(FundingError):
    status = 429


# --- Who may do what ------------------------------------------------------------------------------------


def can_manage_programs(user) -> bool:
    return wiki_access.is_trusted(user)


def check_can_manage_programs(user) -> None:
    if not wiki_access.is_signed_in(user):
        raise PermissionDenied("Sign in as a trusted member or admin to change funding programs.")
    if not can_manage_programs(user):
        raise PermissionDenied("Only trusted members and admins can create and change funding programs.")


def check_signed_in(user, what: str) -> None:
    if not wiki_access.is_signed_in(user):
        raise PermissionDenied(f"Sign in to {what}.")


def get_program(slug: str) -> FundingProgram:
    program = FundingProgram.objects.filter(slug=str(slug)[:100]).first()
    if program is None:
        raise Http404(f"There is no funding program “{str(slug)[:80]}”.")
    return program


# --- Validation -----------------------------------------------------------------------------------------


@dataclass
class ProgramDetails:
    name: str
    slug: str
    level: str
    state: str
    agency: str
    description: str


def one_line(value, label: str, limit: int, *, required: bool) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise FundingError(f"Give the {label}: it is empty.")
    if len(text) > limit:
        raise FundingError(f"The {label} can be at most {limit} characters; this one has {len(text)}.")
    check_text(text)
    return text


def clean_state(level: str, state) -> str:
    state = str(state or "").strip().upper()[:10]
    if level == FundingProgram.Level.FEDERAL:
        if state:
            raise FundingError("A federal program has no state: leave the state empty, or choose “State”.")
        return ""
    if not state:
        raise FundingError("A state program needs its state: choose one.")
    if state not in STATES or state == OUTSIDE_US:
        raise FundingError(f"“{state}” is not a state: use a two-letter code such as IA.")
    return state


def clean_level(level) -> str:
    level = str(level or "").strip()
    if level not in FundingProgram.Level.values:
        raise FundingError("Choose the program's level: federal or state.")
    return level


def clean_slug(raw, name: str) -> str:
    slug = str(raw or "").strip().lower()[:200] or slugify(name)[:100]
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) or len(slug) > 100:
        raise FundingError(
            f"“{slug[:100]}” cannot be the program's address: use lower-case letters, digits and hyphens, "
            "at most 100 characters."
        )
    if slug in RESERVED_SLUGS:
        raise FundingError(f"“{slug}” is reserved for a page of the site; choose another address.")
    return slug


def clean_description(raw) -> str:
    description = normalize_text(str(raw or ""))
    check_text(description)
    if len(description) > MAX_DESCRIPTION:
        raise FundingError(
            f"A description can be at most {MAX_DESCRIPTION:,} characters; this one has {len(description):,}."
        )
    return description


def clean_program(data, program: FundingProgram | None = None) -> ProgramDetails:
    name = one_line(data.get("name"), "program's name", MAX_NAME, required=True)
    level = clean_level(data.get("level"))
    return ProgramDetails(
        name=name,
        slug=program.slug if program else clean_slug(data.get("slug"), name),
        level=level,
        state=clean_state(level, data.get("state")),
        agency=one_line(data.get("agency"), "administering agency", MAX_AGENCY, required=False),
        description=clean_description(data.get("description")),
    )


def clean_url(raw, label: str = "source") -> str:
    url = str(raw or "").strip()
    if not url:
        raise FundingError(f"Give the {label}'s address (a link to where the figure or news is published).")
    if len(url) > MAX_URL:
        raise FundingError(
            f"The {label}'s address can be at most {MAX_URL} characters; this one has {len(url)}."
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise FundingError(
            f"“{url[:80]}” is not a web address: it must start with https:// or http://."
        ) from None
    return url


def clean_year(raw) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text:
        raise FundingError("Give the year the figure is for, such as 2025.")
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        raise FundingError(f"The year must be a number such as 2025, not “{text[:20]}”.")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FundingError(f"The year must be between {FIRST_YEAR} and {LAST_YEAR}; {year} is not.")
    return year


def clean_amount(raw) -> int:
    """Whole dollars: "1,250,000", "$1250000" and "1250000.00" are the same amount."""
    text = str(raw if raw is not None else "").strip().replace(",", "").removeprefix("$").strip()
    if text.endswith(".00"):
        text = text[:-3]
    if not text:
        raise FundingError("Give the amount in dollars, such as 320000.")
    if text.startswith("-"):
        raise FundingError(
            "The amount cannot be negative: give the dollars the program paid, such as 320000."
        )
    if not (text.isascii() and text.isdigit()) or len(text) > 15:
        raise FundingError(f"The amount must be whole dollars such as 320000, not “{str(raw)[:30]}”.")
    amount = int(text)
    if amount > MAX_AMOUNT:
        raise FundingError(
            f"${amount:,} is more than any one program gives in a year (at most ${MAX_AMOUNT:,}); "
            "check the figure."
        )
    return amount


def clean_filters(level, state, status) -> dict:
    """The list's filters (the page's and the API's), each optional; a value that is not one is refused."""
    level = str(level or "").strip()[:20]
    state = str(state or "").strip().upper()[:10]
    status = str(status or "").strip()[:20]
    if level and level not in FundingProgram.Level.values:
        raise FundingError(f"“{level}” is not a level: choose federal or state.")
    if state and (state not in STATES or state == OUTSIDE_US):
        raise FundingError(f"“{state}” is not a state: use a two-letter code such as IA.")
    if status and status not in FundingProgram.Status.values:
        raise FundingError(f"“{status}” is not a status: choose active, proposed-cut, cut or restored.")
    return {"level": level, "state": state, "status": status}


# --- Programs -------------------------------------------------------------------------------------------


def create_program(user, details: ProgramDetails) -> FundingProgram:
    check_can_manage_programs(user)
    if FundingProgram.objects.filter(slug=details.slug).exists():
        raise Duplicate(f"A program already has the address “{details.slug}”; choose another.")
    program = FundingProgram(slug=details.slug, created_by=user)
    _apply(program, details)
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:
        raise Duplicate(f"A program already has the address “{details.slug}”; choose another.") from None
    return program


def update_program(program: FundingProgram, user, details: ProgramDetails) -> FundingProgram:
    check_can_manage_programs(user)
    _apply(program, details)
    program.save()
    return program


def _apply(program: FundingProgram, details: ProgramDetails) -> None:
    program.name, program.level, program.state = details.name, details.level, details.state
    program.agency, program.description = details.agency, details.description
    program.description_html = rendering.render(details.description)
    program.updated_at = timezone.now()


# --- Amounts --------------------------------------------------------------------------------------------


def add_amount(program: FundingProgram, user, data) -> ProgramAmount:
    """A year's figure with its source; a second figure for the same year is refused (edit history lives in
    the source, not here)."""
    check_can_manage_programs(user)
    year = clean_year(data.get("year"))
    row = ProgramAmount(
        program=program,
        year=year,
        year_label=one_line(data.get("year_label"), "year's label", MAX_YEAR_LABEL, required=False)
        or str(year),
        amount=clean_amount(data.get("amount")),
        source_url=clean_url(data.get("source_url")),
        source_title=one_line(data.get("source_title"), "source's title", MAX_SOURCE_TITLE, required=True),
        added_by=user,
        added_at=timezone.now(),
    )
    if ProgramAmount.objects.filter(program=program, year=year).exists():
        raise Duplicate(f"{program.name} already has a figure for {year}.")
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Duplicate(f"{program.name} already has a figure for {year}.") from None
    return row


def remove_amount(program: FundingProgram, user, amount_id) -> None:
    check_can_manage_programs(user)
    deleted, _ = ProgramAmount.objects.filter(program=program, pk=_int_or_none(amount_id)).delete()
    if not deleted:
        raise ProgramNotFound(f"{program.name} has no figure number {str(amount_id)[:20]}.")


def _int_or_none(raw) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


# --- Status ---------------------------------------------------------------------------------------------


def change_status(program: FundingProgram, user, data) -> ProgramStatusChange:
    """Move the program to a new status, record the step with its source, and tell the people it concerns."""
    check_can_manage_programs(user)
    new_status = str(data.get("status") or "").strip()
    if new_status not in FundingProgram.Status.values:
        raise FundingError("Choose the new status: active, proposed cut, cut or restored.")
    source_url = clean_url(data.get("source_url"))
    note = one_line(data.get("note"), "note", MAX_NOTE, required=False)
    with transaction.atomic():
        program = FundingProgram.objects.select_for_update().get(pk=program.pk)
        if program.status == new_status:
            raise FundingError(f"{program.name} is already “{program.get_status_display()}”.")
        change = ProgramStatusChange.objects.create(
            program=program,
            from_status=program.status,
            to_status=new_status,
            changed_at=timezone.now(),
            changed_by=user,
            note=note,
            source_url=source_url,
        )
        program.status, program.updated_at = new_status, change.changed_at
        program.save(update_fields=["status", "updated_at"])
        label = FundingProgram.Status(new_status).label.lower()
        notify_concerned(program, user, f"{program.name} is now {label}" + (f": {note}" if note else ""))
    return change


# --- Watching and alerts --------------------------------------------------------------------------------


def set_watch(program: FundingProgram, user, watching: bool) -> None:
    check_signed_in(user, "watch funding programs")
    if watching:
        ProgramWatch.objects.get_or_create(program=program, user=user)
    else:
        ProgramWatch.objects.filter(program=program, user=user).delete()


def is_watching(program: FundingProgram, user) -> bool:
    return wiki_access.is_signed_in(user) and ProgramWatch.objects.filter(program=program, user=user).exists()


def raise_alert(program: FundingProgram, user, data) -> ProgramAlert:
    """A member's warning that the program is at risk: any signed-in member, with a source and a note."""
    check_signed_in(user, "warn others that a program is at risk")
    source_url = clean_url(data.get("source_url"))
    note = one_line(data.get("note"), "note", MAX_ALERT_NOTE, required=True)
    if len(note) < MIN_ALERT_NOTE:
        raise FundingError(f"Say in a sentence what is happening (at least {MIN_ALERT_NOTE} characters).")
    with transaction.atomic():
        # Two alerts sent at once on one program wait for each other, so the once-a-day rule holds.
        program = FundingProgram.objects.select_for_update().get(pk=program.pk)
        check_alert_rate(program, user)
        alert = ProgramAlert.objects.create(
            program=program, member=user, note=note, source_url=source_url, created_at=timezone.now()
        )
        notify_concerned(program, user, f"{program.name} may be at risk: {note}")
    return alert


def check_alert_rate(program: FundingProgram, user) -> None:
    if wiki_access.is_admin(user):
        return
    since = timezone.now() - ALERT_WINDOW
    mine = ProgramAlert.objects.filter(member=user, created_at__gte=since)
    if mine.filter(program=program).exists():
        raise AlertRateLimited(
            f"You warned about {program.name} in the last day already; its watchers have been told."
        )
    if mine.count() >= ALERTS_PER_DAY:
        raise AlertRateLimited(f"You can raise at most {ALERTS_PER_DAY} alerts a day; try again tomorrow.")


def concerned_member_ids(program: FundingProgram, actor) -> list[int]:
    """The program's watchers and, for a state program, the members of its state's chapter: active, each
    once, without the actor. One query."""
    users = get_user_model().objects.filter(is_active=True)
    audience = Q(pk__in=ProgramWatch.objects.filter(program=program).values("user_id"))
    if program.state:
        audience |= Q(pk__in=Profile.objects.filter(state=program.state).values("user_id"))
    recipients = users.filter(audience)
    if actor is not None and actor.pk is not None:
        recipients = recipients.exclude(pk=actor.pk)
    return list(recipients.order_by("pk").values_list("pk", flat=True).distinct())


def notify_concerned(program: FundingProgram, actor, text: str) -> int:
    recipients = concerned_member_ids(program, actor)
    return notify_users(recipients, Notification.Kind.FUNDING, text, program.get_absolute_url(), actor=actor)
