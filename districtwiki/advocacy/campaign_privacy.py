"""What campaigns hold about a member: exported as JSON, or erased when they delete their account.

Erasing keeps each of the member's signatures in its campaign's count, without the member and counted only
(a brief may already have been handed over with that count), and takes them off the organizers of every
campaign; campaigns they started or closed stay, without their name.
"""

from django.db import transaction

from .models import Campaign, Signature


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
    signatures = Signature.objects.filter(member=user).select_related("campaign").order_by("id")
    return {
        "campaign_signatures": [
            {
                "campaign": signature.campaign.title,
                "url": signature.campaign.get_absolute_url(),
                "visibility": signature.visibility,
                "signed_at": _when(signature.signed_at),
            }
            for signature in signatures
        ],
        "campaigns_organized": [
            {
                "title": campaign.title,
                "url": campaign.get_absolute_url(),
                "created_at": _when(campaign.created_at),
            }
            for campaign in Campaign.objects.filter(organizers=user).order_by("id")
        ],
    }


def erase(user) -> None:
    with transaction.atomic():
        Signature.objects.filter(member=user).update(member=None, visibility=Signature.Visibility.COUNTED)
        for campaign in Campaign.objects.filter(organizers=user):
            campaign.organizers.remove(user)
        Campaign.objects.filter(created_by=user).update(created_by=None)
        Campaign.objects.filter(closed_by=user).update(closed_by=None)
