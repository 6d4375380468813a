"""Who may see which part of a profile: the one place every profile view, the directory and the state
chapters ask.

Each profile field has its own visibility:
- public: everyone, signed out visitors included (on the profile and chapter pages; the directory itself
  is for signed-in members only);
- members: signed-in members;
- hidden: only the member themself and site admins.

Defaults: every field starts members-only. The issue asks for district name and bio members-only; the
others are too, because in a small state a state + size band + role, or a display name, can identify one
person, and a member should choose to publish that rather than find out it was published. Members-only
still lets the directory do its job (it is for signed-in members), and the username, which is already
public on every edit a member makes, is the only thing a signed-out visitor sees until the member widens
a field. "List me on my state's chapter page" starts off for the same reason.

Templates never read a Profile directly: they get a ProfileCard holding only what the viewer may see, so a
template cannot leak a field by accident. Querysets that filter or sort on a field combine the condition
with `visible_q(field, viewer)`, so a filter cannot reveal a value its visibility hides either.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.safestring import mark_safe

from districtwiki.accounts.models import FORMER_MEMBER
from districtwiki.wiki import access

from . import rendering
from .models import Profile, Visibility
from .states import state_name

PROFILE_FIELDS = (
    "display_name",
    "role",
    "district_name",
    "district_size",
    "state",
    "years_in_role",
    "expertise",
    "happy_to_answer",
    "bio",
)
FIELD_LABELS = {
    "display_name": "Name",
    "role": "Role",
    "district_name": "District",
    "district_size": "District size",
    "state": "State",
    "years_in_role": "Years in role",
    "expertise": "Expertise",
    "happy_to_answer": "Questions",
    "bio": "About",
}


def sees_everything(viewer, owner_id: int | None = None) -> bool:
    """The owner and site admins see every field, hidden ones included."""
    if not access.is_signed_in(viewer):
        return False
    return viewer.pk == owner_id or access.is_admin(viewer)


def levels_for(viewer) -> tuple[str, ...]:
    """The visibility levels a viewer may see on someone else's profile."""
    if access.is_admin(viewer):
        return tuple(Visibility.values)
    if access.is_signed_in(viewer):
        return (Visibility.PUBLIC, Visibility.MEMBERS)
    return (Visibility.PUBLIC,)


def can_see(profile: Profile, field_name: str, viewer) -> bool:
    if sees_everything(viewer, profile.user_id):
        return True
    return getattr(profile, f"{field_name}_visibility") in levels_for(viewer)


def visible_q(field_name: str, viewer, prefix: str = "") -> Q:
    """Profiles (or rows reaching a profile through `prefix`, e.g. "profile__") whose field the viewer may
    see."""
    if access.is_admin(viewer):
        return Q()
    condition = Q(**{f"{prefix}{field_name}_visibility__in": levels_for(viewer)})
    if access.is_signed_in(viewer):
        condition |= Q(**{f"{prefix}user": viewer})
    return condition


@dataclass(frozen=True)
class Fact:
    name: str
    label: str
    value: str
    visibility: str  # shown to those who see everything, so the owner knows who else sees it

    @property
    def visibility_label(self) -> str:
        return Visibility(self.visibility).label


@dataclass
class ProfileCard:
    """What one viewer may see of one member."""

    username: str
    name: str  # the display name when visible and set, else the username
    display_name: str = ""  # set only when the viewer may see it
    facts: list[Fact] = field(default_factory=list)
    expertise: list[str] = field(default_factory=list)
    bio_html: str = ""
    state_code: str = ""
    is_viewer: bool = False
    shows_visibility: bool = False

    @property
    def url(self) -> str:
        return f"/members/{self.username}"


def is_former_member(user) -> bool:
    """An account deleted by its member (account_data.delete_account): inactive, its username replaced."""
    return user.is_former_member


def display_name_for(user, viewer) -> str:
    """How a member is named to this viewer: their display name if it is visible to them, else the
    username. `user.profile` should be select_related by the caller."""
    if is_former_member(user):
        return FORMER_MEMBER
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name and can_see(profile, "display_name", viewer):
        return profile.display_name
    return user.get_username()


def fact_value(profile: Profile, field_name: str) -> str:
    if field_name == "state":
        return state_name(profile.state)
    if field_name == "years_in_role":
        return "" if profile.years_in_role is None else str(profile.years_in_role)
    if field_name == "happy_to_answer":
        return "Happy to answer questions" if profile.happy_to_answer else ""
    if field_name in ("role", "district_size"):
        return getattr(profile, f"get_{field_name}_display")()
    return getattr(profile, field_name)


def card_for(profile: Profile, viewer, *, with_bio: bool = False) -> ProfileCard:
    """`profile.user` should be select_related, and `expertise` prefetched, by the caller."""
    user = profile.user
    card = ProfileCard(
        username=user.get_username(),
        name=display_name_for(user, viewer),
        is_viewer=access.is_signed_in(viewer) and viewer.pk == user.pk,
        shows_visibility=sees_everything(viewer, user.pk),
    )
    for name in PROFILE_FIELDS:
        if not can_see(profile, name, viewer):
            continue
        add_field(card, profile, name, with_bio)
    return card


def add_field(card: ProfileCard, profile: Profile, name: str, with_bio: bool) -> None:
    visibility = getattr(profile, f"{name}_visibility")
    if name == "display_name":
        card.display_name = profile.display_name
        return
    if name == "expertise":
        card.expertise = [tag.name for tag in profile.expertise.all()]
        return
    if name == "bio":
        if with_bio and profile.bio_html:
            card.bio_html = bio_html(profile)
        return
    if name == "state":
        card.state_code = profile.state
    value = fact_value(profile, name)
    if value:
        card.facts.append(Fact(name, FIELD_LABELS[name], value, visibility))


def bio_html(profile: Profile) -> str:
    # Rendered and sanitised by the wiki's renderer when saved; red links are decided now, as on pages.
    return mark_safe(rendering.resolved_html(profile.bio_html))
