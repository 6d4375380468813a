"""Every write to campaigns goes through these functions: starting, editing and closing a campaign, signing
on and withdrawing. Views (and any later API write) call them; they authorise, validate and write in one
transaction, and refuse with CampaignError (a status and a sentence) or PermissionDenied.

Who may do what: trusted members and admins start campaigns; a campaign's organizers and admins edit and
close it; signed-in members (with a confirmed address, as for posting) sign and withdraw while it is open.

The text limits are what one US Letter page holds beside the rest of the brief (briefs.py), with room left
for the sections other parts of the hub add to it (about 200 words is what a one-page ask to a board can
say): the longest allowed ask, title and sources are rendered to PDF by a test that checks the brief is
still one page.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from districtwiki.community import rendering
from districtwiki.community.models import Profile
from districtwiki.community.states import OUTSIDE_US, STATES, state_name
from districtwiki.wiki import access as wiki_access
from districtwiki.wiki import people
from districtwiki.wiki.actions import WikiError, check_text, normalize_text

from .models import Campaign, FundingProgram, Signature

MAX_TITLE = 120
MAX_BODY = 1_200
MAX_BODY_LINES = 16
MAX_AUDIENCE_NAME = 150
MAX_SOURCES = 5
MAX_SOURCE_TITLE = 120
MAX_SOURCE_URL = 250
MAX_ORGANIZERS = 10
MAX_DEADLINE_AHEAD = timedelta(days=2 * 366)
RESERVED_SLUGS = {"new"}  # /advocacy/campaigns/new is the form


class CampaignError(WikiError):
    status = 400


class CampaignClosed(CampaignError):
    status = 409


class AlreadySigned(CampaignError):
    status = 409


class NotSigned(CampaignError):
    status = 409


@dataclass
class CampaignDetails:
    """A validated campaign, ready to store."""

    title: str
    body: str
    audience: str
    audience_name: str
    deadline: date
    state: str = ""
    district_size: str = ""
    program: FundingProgram | None = None
    sources: list[dict] = field(default_factory=list)
    organizers: list = field(default_factory=list)


def today() -> date:
    """The site's date: a deadline day lasts until midnight in settings.TIME_ZONE."""
    return timezone.localdate()


# --- Validation -----------------------------------------------------------------------------------------


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise CampaignError("Give the campaign a title: it is empty.")
    if len(title) > MAX_TITLE:
        raise CampaignError(f"A title can be at most {MAX_TITLE} characters; this one has {len(title)}.")
    check_text(title)
    return title


def clean_body(body: str) -> str:
    body = normalize_text(body or "")
    check_text(body)
    if not body:
        raise CampaignError("Write the ask: what should the audience do, and why?")
    if len(body) > MAX_BODY:
        raise CampaignError(
            f"The ask can be at most {MAX_BODY:,} characters, so that the brief fits on one page; "
            f"this one has {len(body):,}."
        )
    lines = body.count("\n") + 1
    if lines > MAX_BODY_LINES:
        raise CampaignError(
            f"The ask can have at most {MAX_BODY_LINES} lines, so that the brief fits on one page; "
            f"this one has {lines}."
        )
    return body


def clean_audience(audience: str, name: str) -> tuple[str, str]:
    audience = (audience or "").strip()
    if audience not in Campaign.Audience.values:
        choices = ", ".join(Campaign.Audience.values)
        raise CampaignError(f"Who is the ask for? Choose one of {choices}, not “{audience[:40]}”.")
    name = " ".join((name or "").split())
    if not name:
        raise CampaignError("Name who the ask is for, e.g. “Kansas State Board of Education”.")
    if len(name) > MAX_AUDIENCE_NAME:
        raise CampaignError(
            f"The audience's name can be at most {MAX_AUDIENCE_NAME} characters; this one has {len(name)}."
        )
    check_text(name)
    return audience, name


def clean_deadline(raw, *, current: date | None = None) -> date:
    """An ISO date from today on (an unchanged deadline may stay as it is), at most two years ahead."""
    text = str(raw or "").strip()
    if not text:
        raise CampaignError("Give the deadline: the date the ask must be answered by.")
    try:
        deadline = date.fromisoformat(text) if len(text) <= 10 else None
    except ValueError:
        deadline = None
    if deadline is None:
        raise CampaignError(f"The deadline “{text[:40]}” is not a date like 2027-03-01.")
    if deadline < today() and deadline != current:
        raise CampaignError(f"The deadline {deadline.isoformat()} is in the past: choose today or later.")
    if deadline > today() + MAX_DEADLINE_AHEAD:
        raise CampaignError("The deadline can be at most two years ahead.")
    return deadline


def clean_state(state: str) -> str:
    state = (state or "").strip().upper()
    if not state:
        return ""
    if state not in STATES or state == OUTSIDE_US:
        raise CampaignError(f"“{state[:10]}” is not a US state: use a two-letter code such as KS.")
    return state


def clean_district_size(size: str) -> str:
    size = (size or "").strip()
    if size and size not in Profile.DistrictSize.values:
        choices = ", ".join(Profile.DistrictSize.values)
        raise CampaignError(f"The district size must be one of {choices}, not “{size[:40]}”.")
    return size


def clean_program(slug: str, state: str) -> FundingProgram | None:
    slug = (slug or "").strip()
    if not slug:
        return None
    program = FundingProgram.objects.filter(slug=slug[:100]).first()
    if program is None:
        raise CampaignError(f"There is no funding program “{slug[:100]}”: choose one from the list.")
    if program.state and state and program.state != state:
        raise CampaignError(
            f"{program.name} is a program of {state_name(program.state)}, "
            f"but the campaign is for {state_name(state)}."
        )
    return program


SOURCE_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def clean_sources(raw) -> list[dict]:
    """Sources as the form sends them (one a line: a title and its web address, in either order) or as a
    list of {"title", "url"}."""
    if isinstance(raw, str):
        raw = [line for line in raw.splitlines() if line.strip()]
    sources = [_clean_source(entry) for entry in (raw or [])[: MAX_SOURCES + 1]]
    if len(sources) > MAX_SOURCES:
        raise CampaignError(f"List at most {MAX_SOURCES} sources, so that the brief fits on one page.")
    return sources


def _clean_source(entry) -> dict:
    if isinstance(entry, dict):
        title, url = str(entry.get("title", "")), str(entry.get("url", ""))
    else:
        line = str(entry)
        match = SOURCE_URL.search(line)
        if match is None:
            raise CampaignError(f"The source “{line.strip()[:80]}” has no web address (https://…).")
        url, title = match.group(0), (line[: match.start()] + " " + line[match.end() :])
    title = " ".join(title.split()).strip(" -–—|:")
    return {"title": _source_title(title, url), "url": _source_url(url)}


def _source_title(title: str, url: str) -> str:
    if not title:
        raise CampaignError(f"Give the source {url[:80]} a title, written before or after its address.")
    if len(title) > MAX_SOURCE_TITLE:
        raise CampaignError(f"A source's title can be at most {MAX_SOURCE_TITLE} characters.")
    check_text(title)
    return title


def _source_url(url: str) -> str:
    url = url.strip()
    if len(url) > MAX_SOURCE_URL:
        raise CampaignError(f"A source's address can be at most {MAX_SOURCE_URL} characters.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise CampaignError(f"“{url[:80]}” is not a web address: sources start with https:// or http://.")
    check_text(url)
    return url


def clean_organizers(usernames) -> list:
    if isinstance(usernames, str):
        usernames = usernames.replace(",", " ").split()
    names = list(
        dict.fromkeys(str(name).strip().lstrip("@") for name in usernames or [] if str(name).strip())
    )
    if len(names) > MAX_ORGANIZERS:
        raise CampaignError(f"A campaign can have at most {MAX_ORGANIZERS} organizers.")
    users = []
    for name in names:
        user = get_user_model().objects.filter(username__iexact=name[:150], is_active=True).first()
        if user is None:
            raise CampaignError(f"There is no member called “{name[:150]}” to add as an organizer.")
        users.append(user)
    return users


def clean_details(form, *, current: Campaign | None = None) -> CampaignDetails:
    """Every field of a campaign from the form (or a dict of the same names)."""
    audience, audience_name = clean_audience(form.get("audience", ""), form.get("audience_name", ""))
    state = clean_state(form.get("state", ""))
    return CampaignDetails(
        title=clean_title(form.get("title", "")),
        body=clean_body(form.get("body", "")),
        audience=audience,
        audience_name=audience_name,
        deadline=clean_deadline(form.get("deadline", ""), current=current.deadline if current else None),
        state=state,
        district_size=clean_district_size(form.get("district_size", "")),
        program=clean_program(form.get("program", ""), state),
        sources=clean_sources(form.get("sources", "")),
        organizers=clean_organizers(form.get("organizers", "")),
    )


# --- Who may ---------------------------------------------------------------------------------------------


def can_create(user) -> bool:
    return wiki_access.is_trusted(user) or wiki_access.is_admin(user)


def check_can_create(user) -> None:
    if not can_create(user):
        raise PermissionDenied("Only trusted members and admins can start campaigns.")


def is_organizer(campaign: Campaign, user) -> bool:
    return wiki_access.is_signed_in(user) and campaign.organizers.filter(pk=user.pk).exists()


def can_manage(campaign: Campaign, user) -> bool:
    return wiki_access.is_admin(user) or is_organizer(campaign, user)


def check_can_manage(campaign: Campaign, user, action: str = "change or close it") -> None:
    if not can_manage(campaign, user):
        raise PermissionDenied(f"Only the campaign's organizers and admins can {action}.")


def check_can_sign(user) -> None:
    if not wiki_access.is_signed_in(user):
        raise PermissionDenied("Sign in to sign this campaign.")
    if settings.REQUIRE_EMAIL_CONFIRMATION and not user.email_confirmed and not user.is_wiki_admin:
        raise wiki_access.EmailNotConfirmed(
            "Confirm your e-mail address before signing: follow the link we sent you."
        )


def _check_open(campaign: Campaign, doing: str) -> None:
    if campaign.status == Campaign.Status.CLOSED:
        raise CampaignClosed(f"This campaign is closed, so it cannot be {doing}.")
    if campaign.deadline < today():
        raise CampaignClosed(
            f"This campaign closed at its deadline, {campaign.deadline:%-d %B %Y}, so it cannot be {doing}."
        )


# --- Campaigns --------------------------------------------------------------------------------------------


def create_campaign(creator, details: CampaignDetails) -> Campaign:
    """Start a campaign; its creator organizes it, with any co-organizers named."""
    check_can_create(creator)
    attempts = 3
    while True:
        try:
            return _create(creator, details)
        except IntegrityError:  # another campaign took the same address in the same instant: next number
            attempts -= 1
            if not attempts:
                raise


def _create(creator, details: CampaignDetails) -> Campaign:
    now = timezone.now()
    with transaction.atomic():
        campaign = Campaign(slug=_free_slug(details.title), created_by=creator, created_at=now)
        _apply(campaign, details, now)
        campaign.save()
        campaign.organizers.set(_with_first(creator, details.organizers))
    return campaign


def update_campaign(campaign: Campaign, editor, details: CampaignDetails) -> Campaign:
    check_can_manage(campaign, editor)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _check_open(campaign, "changed")
        _apply(campaign, details, timezone.now())
        campaign.save()
        organizers = list(campaign.organizers.all())
        kept = details.organizers or organizers[:1]  # a campaign always has an organizer
        campaign.organizers.set(kept)
    return campaign


def close_campaign(campaign: Campaign, user) -> Campaign:
    check_can_manage(campaign, user)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _check_open(campaign, "closed again")
        campaign.status, campaign.closed_at, campaign.closed_by = Campaign.Status.CLOSED, timezone.now(), user
        campaign.updated_at = campaign.closed_at
        campaign.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return campaign


def _apply(campaign: Campaign, details: CampaignDetails, now) -> None:
    campaign.title, campaign.body = details.title, details.body
    campaign.body_html = rendering.render(details.body)
    campaign.audience, campaign.audience_name = details.audience, details.audience_name
    campaign.deadline, campaign.state, campaign.district_size = (
        details.deadline,
        details.state,
        details.district_size,
    )
    campaign.program, campaign.sources, campaign.updated_at = details.program, details.sources, now


def _with_first(first, others: list) -> list:
    return [first, *(user for user in others if user.pk != first.pk)]


def _free_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "campaign"
    if base in RESERVED_SLUGS:
        base = f"{base}-campaign"
    taken = set(Campaign.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# --- Signatures -------------------------------------------------------------------------------------------


def sign(campaign: Campaign, user, visibility: str) -> Signature:
    check_can_sign(user)
    if visibility not in Signature.Visibility.values:
        raise CampaignError(
            "Choose how your signature shows: “public” (name, role and district) or “counted” (counted only)."
        )
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _check_open(campaign, "signed")
        if Signature.objects.filter(campaign=campaign, member=user).exists():
            raise AlreadySigned("You have already signed this campaign; withdraw first to sign differently.")
        try:
            with transaction.atomic():
                return Signature.objects.create(
                    campaign=campaign, member=user, visibility=visibility, signed_at=timezone.now()
                )
        except IntegrityError:  # a second request from the same member in the same instant
            raise AlreadySigned("You have already signed this campaign.") from None


def withdraw(campaign: Campaign, user) -> None:
    check_can_sign(user)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _check_open(campaign, "withdrawn from")
        deleted, _ = Signature.objects.filter(campaign=campaign, member=user).delete()
        if not deleted:
            raise NotSigned("You have not signed this campaign, so there is nothing to withdraw.")


# --- Reading ----------------------------------------------------------------------------------------------


def get_campaign(slug: str) -> Campaign:
    campaign = Campaign.objects.select_related("program").filter(slug=slug[:80]).first()
    if campaign is None:
        raise Http404(f"There is no campaign “{slug[:80]}”.")
    return campaign


def public_signatures(campaign: Campaign):
    """The signatures whose members chose to be named, oldest first; counted-only ones never appear."""
    return (
        Signature.objects.filter(
            campaign=campaign, visibility=Signature.Visibility.PUBLIC, member__isnull=False
        )
        .select_related("member__profile")
        .order_by("signed_at", "id")
    )


@dataclass(frozen=True)
class SignatureLine:
    """One public signature as a viewer sees it. The name follows the profile's visibility rules
    (people.name_for, community/visibility.py: the display name if this viewer may see it, else the
    username); role and district are shown because the signer chose a public signature."""

    name: str
    username: str
    role: str
    district: str
    signed_at: object


def signature_lines(signatures, viewer) -> list[SignatureLine]:
    return [_line(signature, viewer) for signature in signatures]


def _line(signature: Signature, viewer) -> SignatureLine:
    member = signature.member
    profile = getattr(member, "profile", None)
    return SignatureLine(
        name=people.name_for(member, viewer),
        username=member.get_username(),
        role=profile.get_role_display() if profile and profile.role else "",
        district=profile.district_name if profile else "",
        signed_at=signature.signed_at,
    )


def signature_of(campaign: Campaign, user) -> Signature | None:
    if not wiki_access.is_signed_in(user):
        return None
    return Signature.objects.filter(campaign=campaign, member=user).first()
