"""What the live layer listens to. Each signal is sent once the write that caused it has committed, so a
broadcast never announces something the database does not hold:

    message_changed.send(sender=ChatMessage, room=room, message=message, kind=kind)
        kind: created, edited, deleted, hidden, unhidden, answered, voted
    room_changed.send(sender=Room, room=room, kind=kind, member=None)
        kind: locked, unlocked, slow_mode, muted (member), unmuted (member), cancelled, ended
"""

from django.db import transaction
from django.dispatch import Signal

from .models import ChatMessage, Room

message_changed = Signal()  # room, message, kind
room_changed = Signal()  # room, kind, member


def announce(message: ChatMessage, kind: str) -> None:
    room = message.room
    transaction.on_commit(
        lambda: message_changed.send(sender=ChatMessage, room=room, message=message, kind=kind)
    )


def announce_room(room: Room, kind: str, member=None) -> None:
    transaction.on_commit(lambda: room_changed.send(sender=Room, room=room, kind=kind, member=member))
