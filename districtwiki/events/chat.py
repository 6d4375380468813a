"""Every write to a room goes through these functions: messages, questions, votes, moderation and membership.

The page's plain form, the REST API and the WebSocket consumers all call them. Each one authorises, validates
and writes in one transaction; refusals are ChatError subclasses carrying an HTTP status and a sentence for
the person, and nothing is stored when one is raised. Once a write commits, `message_changed` (or
`room_changed`) is sent, so the live layer broadcasts only what the database holds:

    message_changed.send(sender=ChatMessage, room=room, message=message, kind=kind)
        kind: created, edited, deleted, hidden, unhidden, answered, voted
    room_changed.send(sender=Room, room=room, kind=kind, member=None)
        kind: locked, unlocked, slow_mode, muted, unmuted, ended

Reading: `messages_after(room, viewer, after_id)` (catching up: ids only grow, so there are no gaps and no
duplicates), `messages_before` (paging backwards) and `payloads(messages, viewer)` / `message_payload`.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count
from django.dispatch import Signal
from django.utils import timezone

from districtwiki.community import rendering
from districtwiki.discussions import postmarkup
from districtwiki.notifications.actions import notify
from districtwiki.notifications.models import Notification
from districtwiki.wiki import people
from districtwiki.wiki.actions import WikiError, check_text, normalize_text

from . import access
from .models import (
    ChatMessage,
    ChatMessageRevision,
    Event,
    QuestionVote,
    Room,
    RoomLog,
    RoomMembership,
    RoomMute,
)

MAX_MESSAGE_CHARS = 4_000
EDIT_WINDOW = timedelta(minutes=15)
MAX_REASON_CHARS = 1_000
MAX_MUTE_MINUTES = 7 * 24 * 60
MAX_SLOW_MODE_SECONDS = 3_600
MAX_PAGE = 200
HIDDEN_PLACEHOLDER = "A moderator hid this message."
DELETED_PLACEHOLDER = "Its author deleted this message."

message_changed = Signal()  # room, message, kind
room_changed = Signal()  # room, kind, member


# --- Errors ---------------------------------------------------------------------------------------------


class ChatError(WikiError):
    """A room refused a request; `status` is the HTTP status, the message is for the person."""

    status = 400


class NotAllowed(ChatError):
    status = 403


class RoomLocked(ChatError):
    status = 403


class Muted(ChatError):
    status = 403


class SlowMode(ChatError):
    status = 429


class RateLimited(ChatError):
    status = 429


class MessageTooLong(ChatError):
    status = 413


class NotFound(ChatError):
    status = 404


class Conflict(ChatError):
    status = 409


# --- Validation -----------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    text = normalize_text(text or "")
    try:
        check_text(text)
    except WikiError as error:
        raise ChatError(str(error)) from None
    if not text.strip():
        raise ChatError("Write something first: the message is empty.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise MessageTooLong(
            f"A message can be at most {MAX_MESSAGE_CHARS:,} characters; this one has {len(text):,}. "
            "Shorten it or split it into several messages."
        )
    return text


def clean_reason(reason: str, what: str, *, required: bool = True) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ChatError(f"Give a reason {what}: it is required.")
    if len(reason) > MAX_REASON_CHARS:
        raise ChatError(
            f"The reason can be at most {MAX_REASON_CHARS:,} characters; this one has {len(reason):,}."
        )
    return reason


def chat_rate() -> tuple[int, int]:
    count, seconds = settings.CHAT_RATE.split("/")
    return int(count), int(seconds)


TABLE_OF_CONTENTS = re.compile(r'\A<nav class="toc"[^>]*>.*?</nav>', re.DOTALL)
HEADING_OPEN = re.compile(r"<h[1-6][^>]*>")
HEADING_CLOSE = re.compile(r"</h[1-6]>")


def render(text: str, mentioned: list) -> str:
    """Markdown-lite: the wiki's renderer and sanitiser with mentions linked, and no headings or table of
    contents (a heading is shown as a bold line: a chat message is not a document)."""
    html = postmarkup.render(text, mentioned)
    html = TABLE_OF_CONTENTS.sub("", html)
    return HEADING_CLOSE.sub("</strong></p>", HEADING_OPEN.sub("<p><strong>", html))


# --- Reading rules --------------------------------------------------------------------------------------


def can_read(room: Room, user) -> bool:
    return access.can_read(room, user)


def can_post(room: Room, user) -> bool:
    return access.can_post(room, user)


def is_moderator(room: Room, user) -> bool:
    return access.is_room_moderator(room, user)


def check_read(room: Room, user) -> None:
    if not access.can_read(room, user):
        if not access.is_signed_in(user):
            raise NotAllowed("Sign in to read this room.")
        raise NotAllowed(access.audience_sentence(room))


def check_moderator(room: Room, user) -> None:
    if not access.is_room_moderator(room, user):
        raise NotAllowed("Only the event's hosts and the room's moderators can do that.")


def room_url(room: Room) -> str:
    event = access.room_event(room)
    return event.get_absolute_url() if event is not None else f"/events/rooms/{room.slug}"


def message_url(message: ChatMessage) -> str:
    return f"{room_url(message.room)}#m{message.pk}"


def active_mute(room: Room, user) -> RoomMute | None:
    now = timezone.now()
    return RoomMute.objects.filter(room=room, user=user, until__gt=now).order_by("-until").first()


def closed_sentence(room: Room) -> str:
    """Why nobody may post in the room now, or ""."""
    event = access.room_event(room)
    if event is not None and event.status == Event.Status.ENDED:
        return "This event has ended: its conversation is closed, and kept as its transcript."
    if event is not None and event.status == Event.Status.CANCELLED:
        return "This event was cancelled: its room is closed."
    if room.is_locked:
        return "A moderator locked this room: no new messages can be posted for now."
    return ""


def check_can_write(room: Room, user) -> None:
    """Everything but the rate: audience, account, lock and mute (edits are held to these too)."""
    refusal = access.posting_refusal(room, user)
    if refusal:
        raise NotAllowed(refusal)
    if closed := closed_sentence(room):
        raise RoomLocked(closed)
    mute = active_mute(room, user)
    if mute is not None:
        until = timezone.localtime(mute.until).strftime("%H:%M %Z")
        raise Muted(f"A moderator muted you in this room until {until}; you can read but not post.")


def check_rate(room: Room, author) -> None:
    now = timezone.now()
    if room.slow_mode_seconds and not access.is_room_moderator(room, author):
        since = now - timedelta(seconds=room.slow_mode_seconds)
        if ChatMessage.objects.filter(room=room, author=author, created_at__gt=since).exists():
            raise SlowMode(
                f"Slow mode is on: one message every {room.slow_mode_seconds} seconds. "
                "Wait a little and send it again."
            )
    limit, seconds = chat_rate()
    since = now - timedelta(seconds=seconds)
    if ChatMessage.objects.filter(author=author, created_at__gt=since).count() >= limit:
        raise RateLimited(
            f"You have sent {limit} messages in {seconds} seconds; wait a few seconds before sending more."
        )


# --- Messages -------------------------------------------------------------------------------------------


def post_message(
    room: Room, author, text: str, *, reply_to_id: int | None = None, is_question: bool = False
) -> ChatMessage:
    text = clean_text(text)
    check_can_write(room, author)
    with transaction.atomic():
        room = _locked_room(room)
        check_can_write(room, author)  # again: a lock or mute may have come meanwhile
        check_rate(room, author)
        reply_to = _reply_target(room, reply_to_id)
        mentioned = postmarkup.mentioned_users(text)
        message = ChatMessage.objects.create(
            room=room,
            author=author,
            author_name=author.get_username(),
            text=text,
            html=render(text, mentioned),
            reply_to=reply_to,
            is_question=bool(is_question),
            created_at=timezone.now(),
        )
        _notify_mentions(message, mentioned)
        _announce(message, "created")
    return message


def _locked_room(room: Room) -> Room:
    """The room row locked until the transaction ends: posts to one room are checked one at a time (rate,
    slow mode, a lock taken meanwhile). SQLite's write lock already does that."""
    locked = Room.objects.select_for_update().get(pk=room.pk)
    if hasattr(room, "_state") and "event" in room._state.fields_cache:
        locked._state.fields_cache["event"] = room._state.fields_cache["event"]
    return locked


def _reply_target(room: Room, reply_to_id) -> ChatMessage | None:
    if reply_to_id in (None, ""):
        return None
    reply_to_id = parse_message_id(reply_to_id, "reply to")
    target = ChatMessage.objects.filter(pk=reply_to_id, room=room).first()
    if target is None:
        raise ChatError(f"There is no message number {reply_to_id} in this room to reply to.")
    if target.hidden_at or target.deleted_at:
        raise ChatError("That message was hidden or deleted, so it cannot be replied to.")
    return target


def parse_message_id(raw, name: str) -> int:
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise ChatError(f"“{name}” must be a message number, not “{text[:40]}”.")
    return int(text)


def _check_own_recent(message: ChatMessage, user, verb: str) -> None:
    if not access.is_signed_in(user) or message.author_id != user.pk:
        raise NotAllowed(f"You can only {verb} your own messages.")
    if message.deleted_at:
        raise Conflict("This message was already deleted.")
    if message.hidden_at:
        raise NotAllowed(f"A moderator hid this message, so you cannot {verb} it.")
    if timezone.now() - message.created_at > EDIT_WINDOW:
        raise NotAllowed(f"You can {verb} a message for 15 minutes after posting it; that time has passed.")


def edit_message(message: ChatMessage, user, text: str) -> ChatMessage:
    text = clean_text(text)
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().select_related("room").get(pk=message.pk)
        _check_own_recent(message, user, "edit")
        check_can_write(message.room, user)
        if text == message.text:
            raise ChatError("Nothing changed: the text is the same as before, so nothing was saved.")
        before = {member.pk for member in postmarkup.mentioned_users(message.text)}
        mentioned = postmarkup.mentioned_users(text)
        ChatMessageRevision.objects.create(
            message=message, text=message.text, created_at=message.edited_at or message.created_at
        )
        message.text, message.html, message.edited_at = text, render(text, mentioned), timezone.now()
        message.save(update_fields=["text", "html", "edited_at"])
        _notify_mentions(message, [member for member in mentioned if member.pk not in before])
        _announce(message, "edited")
    return message


def delete_message(message: ChatMessage, user) -> ChatMessage:
    """The author takes their message back: the row stays (so clients are told), its text and earlier
    versions go."""
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().select_related("room").get(pk=message.pk)
        _check_own_recent(message, user, "delete")
        message.text, message.html, message.deleted_at = "", "", timezone.now()
        message.save(update_fields=["text", "html", "deleted_at"])
        ChatMessageRevision.objects.filter(message=message).delete()
        _announce(message, "deleted")
    return message


# --- Questions ------------------------------------------------------------------------------------------


def upvote(message: ChatMessage, user) -> int:
    """Add the member's vote to a question (once); the number of votes it has now."""
    if not message.is_question:
        raise ChatError("Only questions can be upvoted.")
    if message.hidden_at or message.deleted_at:
        raise ChatError("That question was hidden or deleted, so it cannot be upvoted.")
    refusal = access.posting_refusal(message.room, user)
    if refusal:
        raise NotAllowed(refusal)
    if message.author_id == user.pk:
        raise ChatError("You cannot upvote your own question.")
    with transaction.atomic():
        _, created = QuestionVote.objects.get_or_create(message=message, user=user)
        if created:
            _announce(message, "voted")
    return QuestionVote.objects.filter(message=message).count()


def mark_answered(question: ChatMessage, answer: ChatMessage | None, host) -> ChatMessage:
    """The host marks a question answered, linking the message that answered it (or none: answered aloud)."""
    check_moderator(question.room, host)
    if not question.is_question:
        raise ChatError("Only questions can be marked answered.")
    if answer is not None:
        if answer.room_id != question.room_id:
            raise ChatError("The answer must be a message in the same room.")
        if answer.hidden_at or answer.deleted_at:
            raise ChatError("A hidden or deleted message cannot be the answer.")
    with transaction.atomic():
        question = ChatMessage.objects.select_for_update().select_related("room").get(pk=question.pk)
        question.answer, question.answered_at = answer, timezone.now()
        question.save(update_fields=["answer", "answered_at"])
        target = f"question {question.pk}" + (f", answered by message {answer.pk}" if answer else "")
        _log(question.room, "answered", host, target)
        _announce(question, "answered")
    return question


def question_queue(room: Room) -> list[ChatMessage]:
    """Open questions first, most upvoted first, then answered ones (for hosts)."""
    questions = (
        ChatMessage.objects.filter(
            room=room, is_question=True, hidden_at__isnull=True, deleted_at__isnull=True
        )
        .annotate(vote_count=Count("votes"))
        .select_related("author", *people.related("author"))
        .order_by("answered_at", "-vote_count", "id")[:MAX_PAGE]
    )
    return sorted(
        questions, key=lambda question: (question.answered_at is not None, -question.vote_count, question.pk)
    )


# --- Moderation -----------------------------------------------------------------------------------------


def hide_message(message: ChatMessage, moderator, reason: str) -> ChatMessage:
    check_moderator(message.room, moderator)
    reason = clean_reason(reason, "for hiding the message")
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().select_related("room").get(pk=message.pk)
        if message.hidden_at:
            raise Conflict("This message is already hidden.")
        message.hidden_at, message.hidden_by, message.hidden_reason = timezone.now(), moderator, reason
        message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        _log(message.room, "hide", moderator, _label(message), reason)
        _announce(message, "hidden")
    return message


def unhide_message(message: ChatMessage, moderator) -> ChatMessage:
    check_moderator(message.room, moderator)
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().select_related("room").get(pk=message.pk)
        if not message.hidden_at:
            raise Conflict("This message is not hidden.")
        message.hidden_at, message.hidden_by, message.hidden_reason = None, None, ""
        message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        _log(message.room, "unhide", moderator, _label(message))
        _announce(message, "unhidden")
    return message


def mute(room: Room, member, moderator, minutes, reason: str) -> RoomMute:
    check_moderator(room, moderator)
    minutes = _whole_number(minutes, "Minutes", 1, MAX_MUTE_MINUTES)
    reason = clean_reason(reason, "for muting the member")
    if member is None or not member.pk:
        raise ChatError("Choose a member to mute.")
    if member.pk == moderator.pk:
        raise ChatError("You cannot mute yourself.")
    if access.is_room_moderator(room, member):
        raise ChatError(f"{member.get_username()} moderates this room and cannot be muted in it.")
    now = timezone.now()
    with transaction.atomic():
        row = RoomMute.objects.create(
            room=room,
            user=member,
            until=now + timedelta(minutes=minutes),
            muted_by=moderator,
            reason=reason,
            created_at=now,
        )
        _log(room, "mute", moderator, f"{member.get_username()} for {minutes} minutes", reason)
        _announce_room(room, "muted", member)
    return row


def unmute(room: Room, member, moderator) -> int:
    check_moderator(room, moderator)
    with transaction.atomic():
        ended = RoomMute.objects.filter(room=room, user=member, until__gt=timezone.now()).update(
            until=timezone.now()
        )
        if not ended:
            raise Conflict(f"{member.get_username()} is not muted in this room.")
        _log(room, "unmute", moderator, member.get_username())
        _announce_room(room, "unmuted", member)
    return ended


def set_slow_mode(room: Room, moderator, seconds) -> Room:
    check_moderator(room, moderator)
    seconds = _whole_number(seconds, "Seconds", 0, MAX_SLOW_MODE_SECONDS)
    with transaction.atomic():
        room = _locked_room(room)
        room.slow_mode_seconds = seconds
        room.save(update_fields=["slow_mode_seconds"])
        _log(room, "slow_mode", moderator, f"{seconds} seconds" if seconds else "off")
        _announce_room(room, "slow_mode")
    return room


def lock_room(room: Room, moderator, reason: str = "") -> Room:
    check_moderator(room, moderator)
    reason = clean_reason(reason, "for locking the room", required=False)
    with transaction.atomic():
        room = _locked_room(room)
        if room.locked_at:
            raise Conflict("This room is already locked.")
        room.locked_at = timezone.now()
        room.save(update_fields=["locked_at"])
        _log(room, "lock", moderator, room.name, reason)
        _announce_room(room, "locked")
    return room


def unlock_room(room: Room, moderator) -> Room:
    check_moderator(room, moderator)
    with transaction.atomic():
        room = _locked_room(room)
        if not room.locked_at:
            raise Conflict("This room is not locked.")
        room.locked_at = None
        room.save(update_fields=["locked_at"])
        _log(room, "unlock", moderator, room.name)
        _announce_room(room, "unlocked")
    return room


REPORT_REASON_LIMIT = 1000  # discussions' Report.reason


def report_message(message: ChatMessage, reporter, reason: str):
    """Into the site's moderation queue (discussions' Report). A chat message is not one of its report
    kinds, so, like a private message report, it is filed about the author's profile, with a reason that
    links to the message (moderators read every room)."""
    from districtwiki.discussions import moderation

    if not access.is_signed_in(reporter):
        raise NotAllowed("Sign in to report a message to the moderators.")
    check_read(message.room, reporter)
    if message.author_id == reporter.pk:
        raise ChatError("You cannot report your own message.")
    if message.author is None or message.deleted_at:
        raise ChatError("This message's author or text is gone: there is nothing left to report.")
    reason = clean_reason(reason, "for the report")
    prefix = f"Chat message reported (read it at {message_url(message)}): "
    full = prefix + reason
    if len(full) > REPORT_REASON_LIMIT:
        full = full[: REPORT_REASON_LIMIT - 1] + "…"
    with transaction.atomic():
        report = moderation.file_report(reporter, full, user=message.author)
        _log(message.room, "report", reporter, _label(message))
    return report


def _whole_number(raw, name: str, low: int, high: int) -> int:
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 9) or not low <= int(text) <= high:
        raise ChatError(f"{name} must be a whole number from {low} to {high:,}, not “{text[:40]}”.")
    return int(text)


def _label(message: ChatMessage) -> str:
    return f"message {message.pk} by {message.author_name}"


def _log(room: Room, action: str, actor, target: str, reason: str = "") -> None:
    RoomLog.objects.create(
        room=room,
        action=action,
        actor=actor,
        target=target[:300],
        reason=reason[:1000],
        created_at=timezone.now(),
    )


# --- Standing rooms: joining and reading ----------------------------------------------------------------


def join_room(room: Room, user) -> RoomMembership:
    if not access.is_signed_in(user):
        raise NotAllowed("Sign in to join a room.")
    if room.kind == Room.Kind.EVENT:
        raise ChatError("Event rooms need no joining: RSVP to the event instead.")
    if not access.in_audience(room, user):
        raise NotAllowed(access.audience_sentence(room))
    last = ChatMessage.objects.filter(room=room).order_by("-id").values_list("id", flat=True).first() or 0
    membership, _ = RoomMembership.objects.get_or_create(
        room=room, user=user, defaults={"joined_at": timezone.now(), "last_read_id": last}
    )
    return membership


def leave_room(room: Room, user) -> None:
    if not access.is_signed_in(user) or not RoomMembership.objects.filter(room=room, user=user).delete()[0]:
        raise Conflict("You have not joined this room.")


def mark_read(room: Room, user, last_id: int) -> None:
    """Move the member's unread marker forward (never back) to `last_id`."""
    if access.is_signed_in(user):
        RoomMembership.objects.filter(room=room, user=user, last_read_id__lt=last_id).update(
            last_read_id=last_id
        )


# --- Reading messages -----------------------------------------------------------------------------------


def _listing(room: Room):
    return ChatMessage.objects.filter(room=room).select_related("author", *people.related("author"))


def _limit(limit) -> int:
    return max(1, min(int(limit), MAX_PAGE))


def messages_after(room: Room, viewer, after_id: int = 0, limit: int = 100) -> list[ChatMessage]:
    """Every message with an id above `after_id`, oldest first (hidden and deleted ones too: their payload
    says so), at most `limit` (≤ 200): a client asks again from the last id until it gets fewer."""
    check_read(room, viewer)
    return list(_listing(room).filter(pk__gt=after_id).order_by("id")[: _limit(limit)])


def messages_before(room: Room, viewer, before_id: int | None = None, limit: int = 100) -> list[ChatMessage]:
    """The `limit` messages just before `before_id` (or the latest), oldest first."""
    check_read(room, viewer)
    messages = _listing(room)
    if before_id is not None:
        messages = messages.filter(pk__lt=before_id)
    return list(reversed(messages.order_by("-id")[: _limit(limit)]))


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
    return [
        _payload(message, viewer, moderator, html, votes.get(message.pk, 0))
        for message, html in zip(messages, htmls, strict=True)
    ]


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


# --- Notifications and announcements --------------------------------------------------------------------


def _notify_mentions(message: ChatMessage, mentioned: list) -> None:
    """Members mentioned who may read the room (a mention must not reveal a room to someone outside it)."""
    where = message.room.name
    for member in mentioned:
        if access.can_read(message.room, member):
            text = f"{message.author_name} mentioned you in {where}"
            notify(member, Notification.Kind.MENTION, text, message_url(message), actor=message.author)


def _announce(message: ChatMessage, kind: str) -> None:
    room = message.room
    transaction.on_commit(
        lambda: message_changed.send(sender=ChatMessage, room=room, message=message, kind=kind)
    )


def _announce_room(room: Room, kind: str, member=None) -> None:
    transaction.on_commit(lambda: room_changed.send(sender=Room, room=room, kind=kind, member=member))
