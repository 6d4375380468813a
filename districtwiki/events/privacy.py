"""What live events and chat rooms hold about a member: exported as JSON, or erased when they delete their
account.

Erasing keeps every message (others replied to them and the room's record needs them) but attributes them
to "former member", and others' mentions of the member stop linking to a profile; answers (RSVPs), votes,
room memberships, mutes of the member and their private calendar feed go; moderation actions and events
they hosted or created stay, without their name. A transcript already written is a wiki page, whose
history is handled like any other page's.
"""

import html
import re

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace

from districtwiki.discussions.models import FORMER_MEMBER
from districtwiki.discussions.postmarkup import mention_link

from .models import (
    RSVP,
    CalendarFeed,
    ChatMessage,
    Event,
    QuestionVote,
    Room,
    RoomLog,
    RoomMembership,
    RoomMute,
)


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _message(message: ChatMessage) -> dict:
    return {
        "id": message.pk,
        "room": message.room.name,
        "created_at": _when(message.created_at),
        "edited_at": _when(message.edited_at),
        "deleted_at": _when(message.deleted_at),
        "text": message.text,
        "is_question": message.is_question,
        "hidden_reason": message.hidden_reason if message.hidden_at else None,
        "earlier_versions": [
            {"written_at": _when(revision.created_at), "text": revision.text}
            for revision in message.revisions.order_by("id")
        ],
    }


def export(user) -> dict:
    messages = ChatMessage.objects.filter(author=user).select_related("room").prefetch_related("revisions")
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "events_hosted": [
            {"id": event.pk, "title": event.title, "starts_at": _when(event.starts_at)}
            for event in Event.objects.filter(hosts=user).order_by("id")
        ],
        "answers": [
            {"event": rsvp.event.title, "answer": rsvp.answer, "updated_at": _when(rsvp.updated_at)}
            for rsvp in RSVP.objects.filter(user=user).select_related("event").order_by("id")
        ],
        "chat_messages": [_message(message) for message in messages.order_by("id")],
        "question_votes": list(QuestionVote.objects.filter(user=user).values_list("message_id", flat=True)),
        "rooms_joined": [
            {"room": membership.room.name, "joined_at": _when(membership.joined_at)}
            for membership in RoomMembership.objects.filter(user=user).select_related("room").order_by("id")
        ],
        "mutes": [
            {"room": mute.room.name, "until": _when(mute.until), "reason": mute.reason}
            for mute in RoomMute.objects.filter(user=user).select_related("room").order_by("id")
        ],
        "calendar_feed": {"token_starts": feed.token_hint, "created_at": _when(feed.created_at)}
        if feed
        else None,
    }


def erase(user) -> None:
    username = user.get_username()
    with transaction.atomic():
        ChatMessage.objects.filter(author=user).update(author=None, author_name=FORMER_MEMBER)
        ChatMessage.objects.filter(hidden_by=user).update(hidden_by=None)
        QuestionVote.objects.filter(user=user).delete()
        RSVP.objects.filter(user=user).delete()
        RoomMembership.objects.filter(user=user).delete()
        RoomMute.objects.filter(user=user).delete()
        RoomMute.objects.filter(muted_by=user).update(muted_by=None)
        RoomLog.objects.filter(actor=user).update(actor=None)
        CalendarFeed.objects.filter(user=user).delete()
        for event in Event.objects.filter(hosts=user):
            event.hosts.remove(user)
        for event in Event.objects.filter(moderators=user):
            event.moderators.remove(user)
        Event.objects.filter(created_by=user).update(created_by=None)
        Room.objects.filter(created_by=user).update(created_by=None)
        unlink_mentions(username)
        rename_in_room_log(username)


def unlink_mentions(username: str) -> None:
    link = mention_link(username)
    plain = Value("@" + html.escape(username))
    ChatMessage.objects.filter(html__contains=link).update(html=Replace("html", Value(link), plain))


def rename_in_room_log(username: str) -> None:
    """The log names members in its own words (moderation.label, moderation.mute): "message 7 by <name>",
    "<name> for 15 minutes", "<name>" (unmute)."""
    name = re.escape(username)
    patterns = {
        "hide": re.compile(rf"^(message \d+ by ){name}$"),
        "unhide": re.compile(rf"^(message \d+ by ){name}$"),
        "report": re.compile(rf"^(message \d+ by ){name}$"),
        "mute": re.compile(rf"^(){name}(?= for \d+ minutes$)"),
        "unmute": re.compile(rf"^(){name}$"),
    }
    changed = []
    entries = RoomLog.objects.filter(action__in=list(patterns), target__contains=username)
    for entry in entries.only("pk", "action", "target"):
        target = patterns[entry.action].sub(lambda match: match.group(1) + FORMER_MEMBER, entry.target)
        if target != entry.target:
            entry.target = target
            changed.append(entry)
    RoomLog.objects.bulk_update(changed, ["target"])
