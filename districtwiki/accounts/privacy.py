"""What sign-up by invitation or approval holds about a member: exported as JSON, or erased when they delete
their account (community.account_data calls both).

Erasing deletes the invitations the member sent (their links stop working; the addresses in them are other
people's, kept for nothing once the inviter is gone), the invitation they joined with (it holds their
address) and their request to join.
"""

from django.db import transaction
from django.db.models import Q

from .models import Invitation, SignupRequest


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user) -> dict:
    return {
        "invitations_sent": [export_invitation(i) for i in Invitation.objects.filter(invited_by=user)],
        "invited_by": invited_by(user),
        "request_to_join": export_request(SignupRequest.objects.filter(user=user).first()),
    }


def export_invitation(invitation: Invitation) -> dict:
    return {
        "email": invitation.email,
        "sent_at": iso(invitation.created_at),
        "expires_at": iso(invitation.expires_at),
        "status": invitation.status,
        "used_at": iso(invitation.accepted_at),
        "revoked_at": iso(invitation.revoked_at),
    }


def invited_by(user) -> str | None:
    used = Invitation.objects.filter(accepted_by=user).select_related("invited_by").first()
    if used is None or used.invited_by is None:
        return None
    return used.invited_by.get_username()


def export_request(signup: SignupRequest | None) -> dict | None:
    if signup is None:
        return None
    return {"note": signup.note, "asked_at": iso(signup.created_at), "approved_at": iso(signup.decided_at)}


def erase(user) -> None:
    with transaction.atomic():
        Invitation.objects.filter(Q(invited_by=user) | Q(accepted_by=user)).delete()
        SignupRequest.objects.filter(user=user).delete()
