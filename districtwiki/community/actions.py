"""Writes to profiles. Messages, blocks and reports: messaging.py; deleting an account: account_data.py."""

from django.db import transaction

from districtwiki.wiki.pagecache import touch_pages_naming

from . import rendering
from .models import ExpertiseTag, Profile


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
    if naming(before) != naming(profile):
        # Page views name their last author as each reader may see them, from the anonymous page cache and
        # the parts cached for signed-in readers (wiki/views/pages.py current_parts): both follow the stamp.
        touch_pages_naming(profile.user)
    return profile


def naming(profile: Profile | None) -> tuple[str, str]:
    """What naming the member reads of their profile: the display name and who may see it."""
    if profile is None:
        return ("", "")
    return (profile.display_name, profile.display_name_visibility)


def set_expertise(profile: Profile, tags: list[str]) -> None:
    existing = {tag.name: tag for tag in ExpertiseTag.objects.filter(name__in=tags)}
    missing = [ExpertiseTag(name=name) for name in tags if name not in existing]
    # ignore_conflicts: another member may add the same new tag at the same moment.
    ExpertiseTag.objects.bulk_create(missing, ignore_conflicts=True)
    profile.expertise.set(ExpertiseTag.objects.filter(name__in=tags))
