"""Writes to profiles. Messages, blocks and reports: messaging.py; deleting an account: account_data.py."""

from django.db import transaction

from . import rendering
from .models import ExpertiseTag, Profile


def profile_for(user) -> Profile:
    """The member's profile, or a new unsaved one: only saving the form creates it (and lists the member
    in the directory)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


@transaction.atomic
def save_profile(profile: Profile, tags: list[str]) -> Profile:
    """Save a profile whose fields a validated form has set, render its bio and set its expertise tags."""
    profile.bio_html = rendering.render(profile.bio)
    profile.save()
    set_expertise(profile, tags)
    return profile


def set_expertise(profile: Profile, tags: list[str]) -> None:
    existing = {tag.name: tag for tag in ExpertiseTag.objects.filter(name__in=tags)}
    missing = [ExpertiseTag(name=name) for name in tags if name not in existing]
    # ignore_conflicts: another member may add the same new tag at the same moment.
    ExpertiseTag.objects.bulk_create(missing, ignore_conflicts=True)
    profile.expertise.set(ExpertiseTag.objects.filter(name__in=tags))
