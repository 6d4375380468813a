"""Who may read, post in and moderate a room, and who may create and run events: one place for the rules.

The audience rule, for every room kind:
- an event's room follows the event's audience: everyone (signed-out readers may read), signed-in members,
  or the members whose profile names one state;
- a state chapter's room is read by the members of that state and posted in by those who joined it
  (RoomMembership: they opted in);
- a topic room is for every signed-in member.
Posting also needs an active account (suspended accounts are inactive) with a confirmed e-mail address, as
for discussions. Room moderators (an event's hosts and moderators, and the site's moderators: trusted
members and admins, who work the moderation queue) read every room, so that a reported message can be seen.
`get_*` raise Http404 with a sentence; `check_*` raise PermissionDenied with one.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from districtwiki.community.models import Profile
from districtwiki.wiki import access as wiki_access

from .models import Event, Room, RoomMembership


def is_signed_in(user) -> bool:
    return wiki_access.is_signed_in(user)


def is_site_moderator(user) -> bool:
    """Trusted members and admins, who work the site's moderation queue (as in discussions)."""
    return wiki_access.is_trusted(user)


def member_state(user) -> str:
    """The two-letter state of the member's profile, or ""."""
    return member_profile(user)[0]


def member_time_zone(user) -> str:
    """The time zone the member's profile names, or ""."""
    return member_profile(user)[1]


def member_profile(user) -> tuple[str, str]:
    """(state, time zone) of the member's profile, read once per member and request: a page asks often."""
    if not is_signed_in(user):
        return ("", "")
    cached = getattr(user, "_events_profile", None)
    if cached is None:
        row = Profile.objects.filter(user=user).values_list("state", "time_zone").first()
        cached = user._events_profile = tuple(row) if row else ("", "")
    return cached


def room_event(room: Room) -> Event | None:
    if room.kind != Room.Kind.EVENT:
        return None
    try:
        return room.event
    except Event.DoesNotExist:
        return None


def is_host(event: Event, user) -> bool:
    return is_signed_in(user) and event.hosts.filter(pk=user.pk).exists()


# --- Who may see an event: one rule, written in the three forms its callers need. An event is for everyone;
# for signed-in members; or for the members of one state chapter. Whatever its audience, its hosts and
# moderators see it, and so do the site's moderators (trusted members and admins), who may be called to
# moderate any room. test_audience_rule.py checks that the three forms agree for every case.


def sees_event(user, event: Event, state: str | None = None) -> bool:
    """For one event and one viewer. `state`: the viewer's profile state, if already known. Hosts and
    moderators are read with .all(), so a caller's prefetch saves a query per event."""
    if event.audience == Event.Audience.EVERYONE:
        return True
    if not is_signed_in(user):
        return False
    if event.audience == Event.Audience.MEMBERS or is_site_moderator(user):
        return True
    if event.state and (member_state(user) if state is None else state) == event.state:
        return True
    return any(person.pk == user.pk for person in [*event.hosts.all(), *event.moderators.all()])


def events_seen_by(user) -> Q:
    """The same rule as a filter on events, for listings (add .distinct(): hosts and moderators join)."""
    if not is_signed_in(user):
        return Q(audience=Event.Audience.EVERYONE)
    if is_site_moderator(user):
        return Q()
    seen = Q(audience__in=[Event.Audience.EVERYONE, Event.Audience.MEMBERS])
    if state := member_state(user):
        seen |= Q(audience=Event.Audience.STATE, state=state)
    return seen | Q(hosts=user) | Q(moderators=user)


def members_who_see(event: Event) -> Q:
    """The same rule as a filter on members (accounts), for reminders and notifications."""
    if event.audience != Event.Audience.STATE:
        return Q()  # everyone, or signed-in members: every member is one
    state_members = Profile.objects.filter(state=event.state).exclude(state="").values("user_id")
    return (
        Q(pk__in=state_members)
        | Q(role__in=[get_user_model().Role.TRUSTED, get_user_model().Role.ADMIN])
        | Q(is_superuser=True)
        | Q(pk__in=event.hosts.values("pk"))
        | Q(pk__in=event.moderators.values("pk"))
    )


def is_room_moderator(room: Room, user) -> bool:
    """Remembered on the room object for each member it was asked about (a page asks many times)."""
    if not is_signed_in(user):
        return False
    if is_site_moderator(user):
        return True
    known = room.__dict__.setdefault("_moderator_of", {})
    if user.pk not in known:
        event = room_event(room)
        known[user.pk] = event is not None and (
            event.hosts.filter(pk=user.pk).exists() or event.moderators.filter(pk=user.pk).exists()
        )
    return known[user.pk]


def has_joined(room: Room, user) -> bool:
    return is_signed_in(user) and RoomMembership.objects.filter(room=room, user=user).exists()


def in_audience(room: Room, user) -> bool:
    """Whether the room is meant for this reader (not yet whether they may post)."""
    event = room_event(room)
    if event is not None:
        if event.audience == Event.Audience.EVERYONE:
            return True
        if event.audience == Event.Audience.MEMBERS:
            return is_signed_in(user)
        return is_signed_in(user) and member_state(user) == event.state
    if room.kind == Room.Kind.STATE:
        return is_signed_in(user) and member_state(user) == room.state
    return is_signed_in(user)


def can_read(room: Room, user) -> bool:
    event = room_event(room)
    if event is not None:
        return sees_event(user, event)
    return in_audience(room, user) or is_room_moderator(room, user)


def posting_refusal(room: Room, user) -> str:
    """Why `user` may not post in `room` whatever the room's state (lock, mute), or "" when they may."""
    if not is_signed_in(user):
        return "Sign in to take part in the conversation."
    if settings.REQUIRE_EMAIL_CONFIRMATION and not user.email_confirmed and not user.is_wiki_admin:
        return "Confirm your e-mail address before posting: follow the link we sent you."
    if is_room_moderator(room, user):
        return ""
    if not in_audience(room, user):
        return audience_sentence(room)
    if room.kind == Room.Kind.STATE and not has_joined(room, user):
        return "Join this state chapter's room to post in it."
    return ""


def can_post(room: Room, user) -> bool:
    return not posting_refusal(room, user)


def audience_sentence(room: Room) -> str:
    event = room_event(room)
    state = event.state if event is not None else room.state
    if (event is not None and event.audience == Event.Audience.STATE) or room.kind == Room.Kind.STATE:
        return f"This room is for members in {state_label(state)}: set that state in your profile to join in."
    return "This room is for signed-in members."


def state_label(code: str) -> str:
    from districtwiki.community.states import state_name

    return state_name(code) or code


# --- Events ---------------------------------------------------------------------------------------------


def is_trusted_or_admin(user) -> bool:
    return wiki_access.is_trusted(user)


def check_can_create_event(user) -> None:
    if not wiki_access.is_trusted(user):
        raise PermissionDenied("Only trusted members and admins can schedule events.")


def can_manage_event(event: Event, user) -> bool:
    return wiki_access.is_admin(user) or is_host(event, user)


def check_can_manage_event(event: Event, user) -> None:
    if not can_manage_event(event, user):
        raise PermissionDenied("Only the event's hosts and admins can change, cancel or end it.")


def get_event(event_id: int, user) -> Event:
    """The event, if this reader may see it (an event outside their audience is as good as absent)."""
    event = Event.objects.select_related("room", "transcript").filter(pk=event_id).first()
    if event is None or not sees_event(user, event):
        raise Http404(f"There is no event number {event_id}.")
    return event


def get_room(slug: str, user) -> Room:
    room = Room.objects.filter(slug=slug).exclude(kind=Room.Kind.EVENT).first()
    if room is None:
        raise Http404(f"There is no room called “{slug[:80]}”.")
    if not can_read(room, user):
        if not is_signed_in(user):
            raise PermissionDenied("Sign in to read this room.")
        raise PermissionDenied(audience_sentence(room))
    return room
