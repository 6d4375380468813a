"""The member directory's query: filters and the "people like me" order, both blind to what the viewer may
not see.

"People like me" ranks every listed member by what they share with the viewer's own profile:

    same role            3 points   (roles differ most in what their work is like)
    same size band       2 points
    same state           2 points   (same state laws, E-Rate state contacts, state association)
    each shared tag      1 point, at most 3 (so tags cannot outweigh role)

Ties, and the whole list when the viewer has no profile, go alphabetically by the name the viewer sees (the
display name where visible, else the username). A field counts only where the viewer may see it, so a
hidden state neither adds points nor can be found by filtering; the same holds for every filter.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Least, Lower

from districtwiki.wiki import access

from .models import Profile
from .visibility import visible_q

WEIGHTS = {"role": 3, "district_size": 2, "state": 2}
TAG_WEIGHT = 1
MAX_TAG_POINTS = 3


@dataclass(frozen=True)
class Filters:
    state: str = ""
    district_size: str = ""
    role: str = ""
    expertise: str = ""

    def active(self) -> bool:
        return any((self.state, self.district_size, self.role, self.expertise))


def listed_profiles() -> QuerySet:
    """Profiles of active members: a deleted or suspended account leaves the directory."""
    return Profile.objects.filter(user__is_active=True).select_related("user").prefetch_related("expertise")


def apply_filters(profiles: QuerySet, filters: Filters, viewer) -> QuerySet:
    for name in ("state", "district_size", "role"):
        value = getattr(filters, name)
        if value:
            profiles = profiles.filter(Q(**{name: value}) & visible_q(name, viewer))
    if filters.expertise:
        # A subquery rather than a join, so that the tag count of the ordering is not multiplied.
        tagged = Profile.expertise.through.objects.filter(expertisetag__name=filters.expertise.lower())
        profiles = profiles.filter(Q(pk__in=tagged.values("profile_id")) & visible_q("expertise", viewer))
    return profiles


def sort_name(viewer):
    """The name the viewer sees, lower-cased: a hidden display name must not decide the order."""
    shown = Q(display_name__gt="") & visible_q("display_name", viewer)
    return Lower(Case(When(shown, then="display_name"), default="user__username", output_field=CharField()))


def similarity(own: Profile, viewer):
    """An expression scoring each profile against the viewer's own (see the module docstring)."""
    score = Value(0, output_field=IntegerField())
    for name, weight in WEIGHTS.items():
        value = getattr(own, name)
        if value:
            match = Q(**{name: value}) & visible_q(name, viewer)
            score += Case(When(match, then=Value(weight)), default=Value(0), output_field=IntegerField())
    tag_ids = [tag.pk for tag in own.expertise.all()]
    if tag_ids:
        shared = Count(
            "expertise", filter=Q(expertise__in=tag_ids) & visible_q("expertise", viewer), distinct=True
        )
        score += Least(shared * TAG_WEIGHT, Value(MAX_TAG_POINTS))
    return score


def own_profile(viewer) -> Profile | None:
    if not access.is_signed_in(viewer):
        return None
    return Profile.objects.filter(user=viewer).prefetch_related("expertise").first()


def has_something_to_match(profile: Profile | None) -> bool:
    if profile is None:
        return False
    return bool(profile.role or profile.district_size or profile.state or profile.expertise.all())


def directory(viewer, filters: Filters, order: str, own: Profile | None) -> QuerySet:
    """Listed profiles, filtered, in the chosen order: "like-me" (needs the viewer's own profile `own`, from
    own_profile) or "name"."""
    profiles = apply_filters(listed_profiles(), filters, viewer).annotate(sort_name=sort_name(viewer))
    if order == "like-me" and has_something_to_match(own):
        return profiles.annotate(similarity=similarity(own, viewer)).order_by(
            "-similarity", "sort_name", "user__username"
        )
    return profiles.order_by("sort_name", "user__username")


def default_order(own: Profile | None) -> str:
    return "like-me" if has_something_to_match(own) else "name"
