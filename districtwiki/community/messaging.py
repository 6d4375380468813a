"""Private messages between two members, blocks and message reports: every write, and the checks before it.

Blocking: once either member of a pair has blocked the other, nothing more is delivered between them in
either direction. The blocked member is told only "This message could not be delivered", the same words an
inactive (suspended or deleted) recipient gets, so the refusal does not reveal the block; the member who
blocked is told plainly that they blocked the other, since they know. Nothing is stored for a refused
message: a block stops delivery rather than hiding messages that pile up unseen.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from districtwiki.notifications.actions import notify
from districtwiki.notifications.models import Notification
from districtwiki.wiki import access

from . import moderation, rendering
from .models import MESSAGE_MAX_LENGTH, Block, Conversation, Message, MessageReport

MESSAGES_PER_MINUTE = 10
MESSAGES_PER_HOUR = 60
REPORT_REASON_LENGTH = 1000


class MessagingError(Exception):
    status = 400


class NotDelivered(MessagingError):
    status = 403


class RateLimited(MessagingError):
    status = 429


class NotFound(MessagingError):
    status = 404


NOT_DELIVERED = "This message could not be delivered: the member is not receiving messages. Nothing was sent."


# --- Checks


def check_can_message(sender, recipient) -> None:
    if not access.is_signed_in(sender):
        raise NotDelivered("Sign in to send messages.")
    if sender.pk == recipient.pk:
        raise MessagingError("You cannot send a message to yourself.")
    if settings.REQUIRE_EMAIL_CONFIRMATION and not sender.email_confirmed and not sender.is_wiki_admin:
        raise NotDelivered(
            "Confirm your e-mail address before sending messages: follow the link we sent you."
        )
    if Block.objects.filter(blocker=sender, blocked=recipient).exists():
        raise NotDelivered("You blocked this member. Unblock them to send a message.")
    if not recipient.is_active or Block.objects.filter(blocker=recipient, blocked=sender).exists():
        raise NotDelivered(NOT_DELIVERED)


def check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise MessagingError("Write a message before sending it.")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise MessagingError(
            f"This message is {len(body):,} characters long; the limit is {MESSAGE_MAX_LENGTH:,}. Shorten it."
        )
    return body


def check_rate(sender) -> None:
    if sender.is_wiki_admin:
        return
    now = timezone.now()
    recent = Message.objects.filter(sender=sender, created_at__gte=now - timedelta(hours=1))
    if recent.filter(created_at__gte=now - timedelta(minutes=1)).count() >= MESSAGES_PER_MINUTE:
        raise RateLimited(f"You have sent {MESSAGES_PER_MINUTE} messages in the last minute; wait a minute.")
    if recent.count() >= MESSAGES_PER_HOUR:
        raise RateLimited(f"You have sent {MESSAGES_PER_HOUR} messages in the last hour; wait a while.")


# --- Conversations


def ordered_pair(one, other) -> tuple:
    return (one, other) if one.pk < other.pk else (other, one)


def find_conversation(one, other) -> Conversation | None:
    member_a, member_b = ordered_pair(one, other)
    return Conversation.objects.filter(member_a=member_a, member_b=member_b).first()


def conversation_for(user, conversation_id: int) -> Conversation:
    """The conversation if `user` is one of its two members; anyone else, admins included, gets NotFound."""
    conversation = (
        Conversation.objects.involving(user)
        .select_related("member_a__profile", "member_b__profile")
        .filter(pk=conversation_id)
        .first()
        if access.is_signed_in(user)
        else None
    )
    if conversation is None:
        raise NotFound("There is no conversation with that number in your messages.")
    return conversation


# --- Sending


def send_message(sender, recipient, body: str) -> Message:
    """Deliver a message, starting the pair's conversation if it is their first, and notify the recipient."""
    check_can_message(sender, recipient)
    body = check_body(body)
    check_rate(sender)
    now = timezone.now()
    with transaction.atomic():
        member_a, member_b = ordered_pair(sender, recipient)
        conversation, _ = Conversation.objects.get_or_create(
            member_a=member_a, member_b=member_b, defaults={"created_at": now, "last_message_at": now}
        )
        message = Message.objects.create(
            conversation=conversation, sender=sender, body=body, html=rendering.render(body), created_at=now
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        notify(
            recipient,
            Notification.Kind.MESSAGE,
            # The username, not the display name: it is never hidden, and the notifications app's erasure
            # replaces it with "former member" if the sender deletes their account.
            f"{sender.get_username()} sent you a message",
            conversation.get_absolute_url(),
            actor=sender,
        )
    return message


def reply(sender, conversation: Conversation, body: str) -> Message:
    if not conversation.involves(sender):
        raise NotFound("There is no conversation with that number in your messages.")
    return send_message(sender, conversation.other_party(sender), body)


def mark_read(conversation: Conversation, reader) -> int:
    unread = conversation.messages.filter(read_at__isnull=True).exclude(sender=reader)
    return unread.update(read_at=timezone.now())


def unread_count(user) -> int:
    return (
        Message.objects.filter(read_at__isnull=True, conversation__in=Conversation.objects.involving(user))
        .exclude(sender=user)
        .count()
    )


# --- Blocks


def block(blocker, blocked) -> bool:
    """True if this made a new block."""
    if blocker.pk == blocked.pk:
        raise MessagingError("You cannot block yourself.")
    _, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return created


def unblock(blocker, blocked) -> bool:
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)


def has_blocked(blocker, blocked) -> bool:
    return access.is_signed_in(blocker) and Block.objects.filter(blocker=blocker, blocked=blocked).exists()


# --- Reports


def report_message(reporter, message_id: int, reason: str) -> MessageReport:
    """Report a message one received; it goes to the moderation queue (moderation.py)."""
    message = (
        Message.objects.select_related("conversation", "sender")
        .filter(pk=message_id, conversation__in=Conversation.objects.involving(reporter))
        .first()
        if access.is_signed_in(reporter)
        else None
    )
    if message is None:
        raise NotFound("There is no message with that number in your conversations.")
    if message.sender_id == reporter.pk:
        raise MessagingError("You cannot report your own message.")
    reason = " ".join(reason.split())
    if not reason:
        raise MessagingError("Say why you are reporting this message, so moderators can act on it.")
    if len(reason) > REPORT_REASON_LENGTH:
        raise MessagingError(f"The reason can be at most {REPORT_REASON_LENGTH} characters; shorten it.")
    with transaction.atomic():
        report = MessageReport.objects.create(
            message=message,
            reporter=reporter,
            sender=message.sender,
            reason=reason,
            created_at=timezone.now(),
        )
        moderation.queue_message_report(report)
    return report
