"""Reading a room: who may, catching up after an id, paging backwards, and messages as each viewer sees them.

`messages_after(room, viewer, after_id)` is how a client catches up: ids only grow, so asking again from
the last id seen leaves no gap and repeats nothing. Hidden and deleted messages are included; their
payload says so (moderators see a hidden message's text and reason, others a placeholder).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from districtwiki.community import rendering
from districtwiki.wiki import people

from . import access
from .errors import NotAllowed
from .models import ChatMessage, ChatMessageRevision, QuestionVote, Room

MAX_PAGE = 200
HIDDEN_PLACEHOLDER = "A moderator hid this message."
DELETED_PLACEHOLDER = "Its author deleted this message."


def check_read(room: Room, user) -> None:
    if not access.can_read(room, user):
        if not access.is_signed_in(user):
            raise NotAllowed("Sign in to read this room.")
        raise NotAllowed(access.audience_sentence(room))


def room_url(room: Room) -> str:
    event = access.room_event(room)
    return event.get_absolute_url() if event is not None else f"/events/rooms/{room.slug}"


def message_url(message: ChatMessage) -> str:
    return f"{room_url(message.room)}#m{message.pk}"


def _listing(room: Room):
    return ChatMessage.objects.filter(room=room).select_related("author", *people.related("author"))


def _limit(limit) -> int:
    return max(1, min(int(limit), MAX_PAGE))


def _in_room(room: Room, messages) -> list[ChatMessage]:
    found = list(messages)
    for message in found:
        message.room = room  # the one room they are all in, not a query each
    return found


def messages_after(room: Room, viewer, after_id: int = 0, limit: int = 100) -> list[ChatMessage]:
    """Every message with an id above `after_id`, oldest first (hidden and deleted ones too: their payload
    says so), at most `limit` (≤ 200): a client asks again from the last id until it gets fewer."""
    check_read(room, viewer)
    return _in_room(room, _listing(room).filter(pk__gt=after_id).order_by("id")[: _limit(limit)])


def messages_before(room: Room, viewer, before_id: int | None = None, limit: int = 100) -> list[ChatMessage]:
    """The `limit` messages just before `before_id` (or the latest), oldest first."""
    check_read(room, viewer)
    messages = _listing(room)
    if before_id is not None:
        messages = messages.filter(pk__lt=before_id)
    return _in_room(room, reversed(messages.order_by("-id")[: _limit(limit)]))


def payloads(messages: list[ChatMessage], viewer) -> list[dict]:
    """JSON-ready messages for this viewer, with wiki links coloured by one query for them all."""
    if not messages:
        return []
    room = messages[0].room
    moderator = access.is_room_moderator(room, viewer)
    votes = dict(
        QuestionVote.objects.filter(message__in=[m.pk for m in messages if m.is_question])
        .values_list("message")
        .annotate(total=Count("id"))
    )
    htmls = rendering.resolved_many([message.html for message in messages])
    earlier = earlier_versions(messages) if moderator else {}
    return [
        _payload(message, viewer, moderator, html, votes.get(message.pk, 0)) | earlier.get(message.pk, {})
        for message, html in zip(messages, htmls, strict=True)
    ]


def earlier_versions(messages: list[ChatMessage]) -> dict[int, dict]:
    """For moderators: the earlier texts of edited messages, oldest first (one query for them all)."""
    edited = [message.pk for message in messages if message.edited_at]
    versions: dict[int, dict] = {}
    if not edited:
        return versions
    for revision in ChatMessageRevision.objects.filter(message__in=edited).order_by("id"):
        entry = versions.setdefault(revision.message_id, {"earlier_versions": []})
        entry["earlier_versions"].append(
            {"text": revision.text, "written_at": revision.created_at.isoformat()}
        )
    return versions


def message_payload(message: ChatMessage, viewer) -> dict:
    return payloads([message], viewer)[0]


def author_name(message: ChatMessage, viewer) -> str:
    if message.author is None:
        return message.author_name
    return people.name_for(message.author, viewer or AnonymousUser())


def _payload(message: ChatMessage, viewer, moderator: bool, html: str, votes: int) -> dict:
    credit = people.credit(message.author, viewer or AnonymousUser(), fallback=message.author_name)
    hidden = message.hidden_at is not None
    shown = not message.deleted_at and (not hidden or moderator)
    placeholder = DELETED_PLACEHOLDER if message.deleted_at else HIDDEN_PLACEHOLDER if hidden else ""
    payload = {
        "id": message.pk,
        "room": message.room.slug,
        "author": credit.name,
        "author_url": credit.profile_url,
        "html": html if shown else "",
        "placeholder": placeholder,
        "created_at": message.created_at.isoformat(),
        "reply_to": message.reply_to_id,
        "is_question": message.is_question,
        "votes": votes,
        "answered": message.answered_at is not None,
        "answer": message.answer_id,
        "edited": message.edited_at is not None,
        "hidden": hidden,
        "deleted": message.deleted_at is not None,
    }
    if hidden and moderator:
        payload["hidden_reason"] = message.hidden_reason
    return payload
