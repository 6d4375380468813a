"""Writes to profiles. Messages, blocks and reports: messaging.py; deleting an account: account_data.py."""

from django.db import transaction

from districtwiki.wiki.pagecache import touch_pages_naming

from . import rendering
from .models import ExpertiseTag, Profile, Visibility


def profile_for(user) -> Profile:
    """The member's profile, or a new unsaved one: only saving the form creates it (and lists the member
    in the directory)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


@transaction.atomic
def save_profile(profile: Profile, tags: list[str]) -> Profile:
    """Save a profile whose fields a validated form has set, render its bio and set its expertise tags."""
    before = Profile.objects.filter(pk=profile.pk).first() if profile.pk else None
    profile.bio_html = rendering.render(profile.bio)
    profile.save()
    set_expertise(profile, tags)
    if public_name(before) != public_name(profile):
        # Cached anonymous page views name the last author as signed-out readers see them.
        touch_pages_naming(profile.user)
    return profile


def public_name(profile: Profile | None) -> str:
    """The display name everyone, signed out included, sees ("" when none)."""
    if profile is None or profile.display_name_visibility != Visibility.PUBLIC:
        return ""
    return profile.display_name


def set_expertise(profile: Profile, tags: list[str]) -> None:
    existing = {tag.name: tag for tag in ExpertiseTag.objects.filter(name__in=tags)}
    missing = [ExpertiseTag(name=name) for name in tags if name not in existing]
    # ignore_conflicts: another member may add the same new tag at the same moment.
    ExpertiseTag.objects.bulk_create(missing, ignore_conflicts=True)
    profile.expertise.set(ExpertiseTag.objects.filter(name__in=tags))
