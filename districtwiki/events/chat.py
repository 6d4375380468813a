"""Every write to a room goes through these functions, and the live layer, the pages and the API import
them from here: posting, editing and deleting messages, questions and votes, joining standing rooms; the
moderators' actions (moderation.py), reading (reading.py), the errors (errors.py) and the signals sent
after each commit (signals.py) are imported here too, so `chat` is the one module to use.

Each write authorises, validates and writes in one transaction; refusals are ChatError subclasses carrying
an HTTP status and a sentence for the person, and nothing is stored when one is raised. Once a write
commits, `message_changed` (or `room_changed`) is sent, so the live layer broadcasts only what the
database holds (signals.py lists the kinds).

Reading: `messages_after(room, viewer, after_id)` (catching up: ids only grow, so there are no gaps and no
duplicates), `messages_before` (paging backwards) and `payloads(messages, viewer)` / `message_payload`.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from districtwiki.discussions import postmarkup
from districtwiki.notifications.actions import notify
from districtwiki.notifications.models import Notification
from districtwiki.wiki import people
from districtwiki.wiki.actions import WikiError, check_text, normalize_text

from . import access
from .errors import (
    ChatError,
    Conflict,
    MessageTooLong,
    Muted,
    NotAllowed,
    NotFound,
    RateLimited,
    RoomLocked,
    SlowMode,
)
from .models import ChatMessage, ChatMessageRevision, Event, QuestionVote, Room, RoomMembership, RoomMute
from .moderation import (
    check_moderator,
    clean_reason,
    hide_message,
    label,
    lock_room,
    locked_room,
    log_action,
    mute,
    report_message,
    set_slow_mode,
    unhide_message,
    unlock_room,
    unmute,
)
from .reading import (
    DELETED_PLACEHOLDER,
    HIDDEN_PLACEHOLDER,
    MAX_PAGE,
    author_name,
    check_read,
    message_payload,
    message_url,
    messages_after,
    messages_before,
    payloads,
    room_url,
)
from .signals import announce, announce_room, message_changed, room_changed

__all__ = [
    "DELETED_PLACEHOLDER",
    "HIDDEN_PLACEHOLDER",
    "MAX_PAGE",
    "ChatError",
    "Conflict",
    "MessageTooLong",
    "Muted",
    "NotAllowed",
    "NotFound",
    "RateLimited",
    "RoomLocked",
    "SlowMode",
    "announce",
    "announce_room",
    "author_name",
    "can_post",
    "can_read",
    "check_moderator",
    "check_read",
    "clean_reason",
    "delete_message",
    "edit_message",
    "hide_message",
    "is_moderator",
    "join_room",
    "label",
    "leave_room",
    "lock_room",
    "locked_room",
    "log_action",
    "mark_answered",
    "mark_read",
    "message_changed",
    "message_payload",
    "message_url",
    "messages_after",
    "messages_before",
    "mute",
    "payloads",
    "post_message",
    "question_queue",
    "report_message",
    "room_changed",
    "room_url",
    "set_slow_mode",
    "unhide_message",
    "unlock_room",
    "unmute",
    "upvote",
]

MAX_MESSAGE_CHARS = 4_000
EDIT_WINDOW = timedelta(minutes=15)


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
    room: Room,
    author,
    text: str,
    *,
    reply_to_id: int | None = None,
    is_question: bool = False,
    client_id: str = "",
) -> ChatMessage:
    """Store and announce a message. With a `client_id` (the sending page's name for it) the send is
    idempotent: a page that lost its connection before the acknowledgement sends again, and gets the
    message already stored, which no one hears of twice."""
    text = clean_text(text)
    if client_id and (sent := _already_sent(room, author, client_id)):
        return sent
    check_can_write(room, author)
    try:
        with transaction.atomic():
            room = locked_room(room)
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
                client_id=client_id,
            )
            _notify_mentions(message, mentioned)
            announce(message, "created")
    except IntegrityError:
        # The same send on two connections at once (a reconnect racing the first): the other one won.
        if client_id and (sent := _already_sent(room, author, client_id)):
            return sent
        raise
    return message


def _already_sent(room: Room, author, client_id: str) -> ChatMessage | None:
    if not access.is_signed_in(author):
        return None
    return ChatMessage.objects.filter(room=room, author=author, client_id=client_id).first()


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
        announce(message, "edited")
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
        announce(message, "deleted")
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
            announce(message, "voted")
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
        log_action(question.room, "answered", host, target)
        announce(question, "answered")
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


# --- Notifications and announcements --------------------------------------------------------------------


def _notify_mentions(message: ChatMessage, mentioned: list) -> None:
    """Members mentioned who may read the room (a mention must not reveal a room to someone outside it)."""
    where = message.room.name
    for member in mentioned:
        if access.can_read(message.room, member):
            text = f"{message.author_name} mentioned you in {where}"
            notify(member, Notification.Kind.MENTION, text, message_url(message), actor=message.author)
