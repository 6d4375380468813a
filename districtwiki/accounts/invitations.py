"""Invitations by e-mail: trusted members and admins invite people, who create their account from the link.

The link carries a random key; only its hash is stored, so the table cannot be read back into working links.
A key works once, until it expires or its inviter (or an admin) revokes it. Using it confirms the address,
since only someone who reads that mailbox has the link. Views call these; errors are typed, with the HTTP
status and a sentence for the person.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from . import actions, signup_mail
from .models import Invitation, User, hash_token

MAX_PER_SUBMISSION = 50
ADDRESS_LENGTH = 254  # Invitation.email
ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")
KEY_LENGTH = 43  # secrets.token_urlsafe(32)


class InvitationError(actions.AccountError):
    pass


class NotAllowedToInvite(InvitationError):
    status = 403


class TooManyInvitations(InvitationError):
    status = 429


class InvitationNotFound(InvitationError):
    status = 404


class InvitationUnusable(InvitationError):
    """A real invitation that no longer works: used, revoked or expired."""

    status = 410


class InvalidAddresses(InvitationError):
    """Everything wrong with the addresses entered, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


# --- Who may invite, and how many


def can_invite(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_trusted)


def check_can_invite(user) -> None:
    if not can_invite(user):
        raise NotAllowedToInvite("Only trusted members and admins can invite people to this wiki.")


def sent_in_last_day(inviter: User) -> int:
    since = timezone.now() - timedelta(days=1)
    return Invitation.objects.filter(invited_by=inviter, created_at__gt=since).count()


def check_daily_limit(inviter: User, wanted: int) -> None:
    limit = settings.INVITATIONS_PER_DAY
    left = max(0, limit - sent_in_last_day(inviter))
    if wanted > left:
        raise TooManyInvitations(
            f"You can send at most {limit} invitations in 24 hours and have {left} left now; "
            f"you entered {wanted}. Send fewer, or the rest tomorrow."
        )


# --- Checking the addresses


def split_addresses(text: str) -> list[str]:
    return [part for part in ADDRESS_SEPARATORS.split(text) if part]


def check_addresses(text: str) -> list[str]:
    """The normalised addresses to invite, or InvalidAddresses naming every problem at once."""
    entered = split_addresses(text)
    if not entered:
        raise InvalidAddresses(["Enter at least one e-mail address."])
    if len(entered) > MAX_PER_SUBMISSION:
        raise InvalidAddresses(
            [f"You can invite at most {MAX_PER_SUBMISSION} people at a time; you entered {len(entered)}."]
        )
    malformed = [address for address in entered if not is_address(address)]
    if malformed:
        raise InvalidAddresses([f"Not an e-mail address: {quoted(malformed)}."])
    addresses = [User.objects.normalize_email(address) for address in entered]
    problems = [*duplicates(addresses), *already_members(addresses), *already_invited(addresses)]
    if problems:
        raise InvalidAddresses(problems)
    return addresses


def is_address(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return len(text) <= ADDRESS_LENGTH


def quoted(addresses) -> str:
    return ", ".join(f"“{address}”" for address in addresses)


def duplicates(addresses: list[str]) -> list[str]:
    seen, twice = set(), []
    for address in addresses:
        if address.lower() in seen and address not in twice:
            twice.append(address)
        seen.add(address.lower())
    return [f"Entered more than once: {quoted(twice)}. Enter each address once."] if twice else []


def already_members(addresses: list[str]) -> list[str]:
    lowered = [address.lower() for address in addresses]
    taken = [address for address in addresses if address.lower() in emails_in_use(lowered)]
    return [f"Already used by an account on this wiki: {quoted(taken)}."] if taken else []


def emails_in_use(lowered: list[str]) -> set[str]:
    # One query, case-insensitive on every database: compare lower-cased stored addresses.
    found = User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=lowered)
    return set(found.values_list("lower_email", flat=True))


def already_invited(addresses: list[str]) -> list[str]:
    lowered = [address.lower() for address in addresses]
    waiting = set(
        Invitation.objects.usable()
        .annotate(lower_email=Lower("email"))
        .filter(lower_email__in=lowered)
        .values_list("lower_email", flat=True)
    )
    invited = [address for address in addresses if address.lower() in waiting]
    if not invited:
        return []
    return [
        f"Already invited, and the invitation still works: {quoted(invited)}. "
        "Revoke that invitation first if you want to send a new one."
    ]


# --- Sending, listing and revoking


def invite(inviter: User, text: str) -> tuple[list[Invitation], list[str]]:
    """Invite every address in `text` (separated by commas, semicolons, spaces or lines), all or none.
    Returns the invitations and the addresses whose mail could not be sent (the invitation stands)."""
    check_can_invite(inviter)
    addresses = check_addresses(text)
    with transaction.atomic():
        # Two submissions at once from the same inviter queue here, so the second counts the first's rows.
        User.objects.select_for_update().filter(pk=inviter.pk).first()
        check_daily_limit(inviter, len(addresses))
        check_addresses(text)  # again, under the lock: another inviter may have just invited one of them
        issued = [issue(inviter, address) for address in addresses]
    unsent = [invitation.email for invitation, key in issued if not send_invitation(invitation, key)]
    return [invitation for invitation, _key in issued], unsent


def issue(inviter: User, address: str) -> tuple[Invitation, str]:
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=address,
        token_hash=hash_token(key),
        invited_by=inviter,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    return invitation, key


def invitation_link(key: str) -> str:
    return signup_mail.site_link("accounts:invited_signup", key)


def send_invitation(invitation: Invitation, key: str) -> bool:
    inviter = invitation.invited_by
    context = {
        "inviter": inviter.get_username() if inviter else "A member",
        "link": invitation_link(key),
        "expires_at": invitation.expires_at,
        "valid_days": settings.INVITATION_DAYS,
    }
    return signup_mail.send("invitation", invitation.email, context)


def visible_invitations(user: User):
    """An admin sees every invitation; a trusted member the ones they sent."""
    invitations = Invitation.objects.select_related("invited_by", "accepted_by")
    return invitations if user.is_wiki_admin else invitations.filter(invited_by=user)


def revoke(user: User, invitation_id: int) -> Invitation:
    check_can_invite(user)
    with transaction.atomic():
        invitation = (
            visible_invitations(user).select_for_update(of=("self",)).filter(pk=invitation_id).first()
        )
        if invitation is None:
            raise InvitationNotFound("There is no invitation with that number among the ones you can manage.")
        if invitation.status != Invitation.Status.PENDING:
            raise InvitationError(
                f"The invitation to {invitation.email} is {invitation.get_status_display().lower()}: "
                "only a waiting invitation can be revoked."
            )
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


# --- Using an invitation


def find_usable(key: str, lock: bool = False) -> Invitation:
    """The invitation this link's key opens, or a typed error that says why it does not work."""
    invitation = None
    if len(key) == KEY_LENGTH:
        invitations = Invitation.objects.select_related("invited_by")
        if lock:
            invitations = invitations.select_for_update(of=("self",))
        invitation = invitations.filter(token_hash=hash_token(key)).first()
    if invitation is None:
        raise InvitationNotFound(
            "This invitation link is not valid. Check that you opened the whole link from the e-mail, or ask "
            "the person who invited you to send a new invitation."
        )
    check_usable(invitation)
    return invitation


def check_usable(invitation: Invitation) -> None:
    status = invitation.status
    if status == Invitation.Status.USED:
        raise InvitationUnusable(
            "This invitation has already been used to create an account. If that was you, sign in."
        )
    if status == Invitation.Status.REVOKED:
        raise InvitationUnusable(
            "This invitation was withdrawn. Ask the person who invited you to send a new one if you still "
            "want to join."
        )
    if status == Invitation.Status.EXPIRED:
        raise InvitationUnusable(
            f"This invitation expired on {long_date(invitation.expires_at)}: invitations "
            f"work for {settings.INVITATION_DAYS} days. Ask the person who invited you to send a new one."
        )


def long_date(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%B} {local.day}, {local.year}"


def accept(key: str, username: str, password: str) -> User:
    """A new member with the invited address, confirmed; the invitation is used up in the same
    transaction, so two tabs submitting the same link make one account."""
    with transaction.atomic():
        invitation = find_usable(key, lock=True)
        user = actions.create_account(username, invitation.email, password)
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
