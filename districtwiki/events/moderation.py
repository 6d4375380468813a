"""Moderating a room: hosts, event moderators and the site's moderators hide and unhide messages, mute a
member for a time, set slow mode, lock and unlock; members report a message into the site's moderation
queue. Every action is written to the room's log (RoomLog) and announced once it commits.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import access
from .errors import ChatError, Conflict, NotAllowed
from .models import ChatMessage, Room, RoomLog, RoomMute
from .reading import check_read, message_url
from .signals import announce, announce_room

MAX_REASON_CHARS = 1_000
MAX_MUTE_MINUTES = 7 * 24 * 60
MAX_SLOW_MODE_SECONDS = 3_600


def check_moderator(room: Room, user) -> None:
    if not access.is_room_moderator(room, user):
        raise NotAllowed("Only the event's hosts and the room's moderators can do that.")


def clean_reason(reason: str, what: str, *, required: bool = True) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ChatError(f"Give a reason {what}: it is required.")
    if len(reason) > MAX_REASON_CHARS:
        raise ChatError(
            f"The reason can be at most {MAX_REASON_CHARS:,} characters; this one has {len(reason):,}."
        )
    return reason


def locked_room(room: Room) -> Room:
    """The room row locked until the transaction ends: posts to one room are checked one at a time (rate,
    slow mode, a lock taken meanwhile). SQLite's write lock already does that."""
    locked = Room.objects.select_for_update().get(pk=room.pk)
    if hasattr(room, "_state") and "event" in room._state.fields_cache:
        locked._state.fields_cache["event"] = room._state.fields_cache["event"]
    return locked


def hide_message(message: ChatMessage, moderator, reason: str) -> ChatMessage:
    check_moderator(message.room, moderator)
    reason = clean_reason(reason, "for hiding the message")
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().select_related("room").get(pk=message.pk)
        if message.hidden_at:
            raise Conflict("This message is already hidden.")
        message.hidden_at, message.hidden_by, message.hidden_reason = timezone.now(), moderator, reason
        message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        log_action(message.room, "hide", moderator, label(message), reason)
        announce(message, "hidden")
    return message


def unhide_message(message: ChatMessage, moderator) -> ChatMessage:
    check_moderator(message.room, moderator)
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().select_related("room").get(pk=message.pk)
        if not message.hidden_at:
            raise Conflict("This message is not hidden.")
        message.hidden_at, message.hidden_by, message.hidden_reason = None, None, ""
        message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        log_action(message.room, "unhide", moderator, label(message))
        announce(message, "unhidden")
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
        log_action(room, "mute", moderator, f"{member.get_username()} for {minutes} minutes", reason)
        announce_room(room, "muted", member)
    return row


def unmute(room: Room, member, moderator) -> int:
    check_moderator(room, moderator)
    with transaction.atomic():
        ended = RoomMute.objects.filter(room=room, user=member, until__gt=timezone.now()).update(
            until=timezone.now()
        )
        if not ended:
            raise Conflict(f"{member.get_username()} is not muted in this room.")
        log_action(room, "unmute", moderator, member.get_username())
        announce_room(room, "unmuted", member)
    return ended


def set_slow_mode(room: Room, moderator, seconds) -> Room:
    check_moderator(room, moderator)
    seconds = _whole_number(seconds, "Seconds", 0, MAX_SLOW_MODE_SECONDS)
    with transaction.atomic():
        room = locked_room(room)
        room.slow_mode_seconds = seconds
        room.save(update_fields=["slow_mode_seconds"])
        log_action(room, "slow_mode", moderator, f"{seconds} seconds" if seconds else "off")
        announce_room(room, "slow_mode")
    return room


def lock_room(room: Room, moderator, reason: str = "") -> Room:
    check_moderator(room, moderator)
    reason = clean_reason(reason, "for locking the room", required=False)
    with transaction.atomic():
        room = locked_room(room)
        if room.locked_at:
            raise Conflict("This room is already locked.")
        room.locked_at = timezone.now()
        room.save(update_fields=["locked_at"])
        log_action(room, "lock", moderator, room.name, reason)
        announce_room(room, "locked")
    return room


def unlock_room(room: Room, moderator) -> Room:
    check_moderator(room, moderator)
    with transaction.atomic():
        room = locked_room(room)
        if not room.locked_at:
            raise Conflict("This room is not locked.")
        room.locked_at = None
        room.save(update_fields=["locked_at"])
        log_action(room, "unlock", moderator, room.name)
        announce_room(room, "unlocked")
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
        log_action(message.room, "report", reporter, label(message))
    return report


def _whole_number(raw, name: str, low: int, high: int) -> int:
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 9) or not low <= int(text) <= high:
        raise ChatError(f"{name} must be a whole number from {low} to {high:,}, not “{text[:40]}”.")
    return int(text)


def label(message: ChatMessage) -> str:
    return f"message {message.pk} by {message.author_name}"


def log_action(room: Room, action: str, actor, target: str, reason: str = "") -> None:
    RoomLog.objects.create(
        room=room,
        action=action,
        actor=actor,
        target=target[:300],
        reason=reason[:1000],
        created_at=timezone.now(),
    )
