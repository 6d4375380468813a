"""The live room: one WebSocket per open room page, at /ws/rooms/<room id or slug>/.

The handshake is refused (HTTP 403, before any frame) when the Origin is not one of ALLOWED_HOSTS; the
connection is closed with code 4404 for an unknown room, 4403 for a reader outside the room's audience (the
same rule as the page, chat.can_read) and 4429 past CHAT_CONNECTIONS_PER_MEMBER connections of one member
(CHAT_CONNECTIONS_PER_ADDRESS of signed-out readers from one address), each after an error frame saying
why. The session cookie signs the member in (channels' AuthMiddlewareStack); everyone
else reads as an anonymous reader. A member suspended while connected is told and disconnected at once.

Frames are JSON objects with a "type".

Client → server:
    {"type": "send", "text": "…", "client_id": "c1", "reply_to": 12 | null, "question": false}
                                             sent again with the same client_id after a reconnect, it is
                                             acknowledged with the message already stored, not stored twice
    {"type": "resume", "after": 41}          every message with a larger id, oldest first (see "resumed")
    {"type": "edit", "id": 42, "text": "…", "client_id": "c2"}
    {"type": "delete", "id": 42, "client_id": "c3"}
    {"type": "vote", "id": 42, "client_id": "c4"}

Server → client:
    {"type": "ack", "client_id": "c1", "message": {payload}}    only once the database holds the change
    {"type": "message", "message": {payload}}                   a new message (the sender gets it too)
    {"type": "update", "change": "edited" | "deleted" | "hidden" | "unhidden" | "answered" | "voted",
     "message": {payload}}
    {"type": "resumed", "last": 57, "more": false}              after a resume's messages; when "more" is
                                                                true, resume again after "last"
    {"type": "presence", "names": ["Ada", …], "anonymous": 3}   display names this reader may see; signed-out
                                                                readers are only counted
    {"type": "room", "change": "locked" | "unlocked" | "slow_mode" | "muted" | "unmuted" | "ended"}
    {"type": "error", "client_id": "c1" | null, "error": "A sentence for the person."}

A payload is chat.message_payload(message, viewer): {"id", "author", "html", "created_at", "reply_to",
"is_question", "votes", "answered", "edited", "hidden", "deleted", …}. Every message is stored before any
client hears of it; a client that reconnects sends resume with the last id it saw and gets each message
after it once (ids only grow, and posts to one room commit in id order), so it keeps no gaps and, by
deduplicating on id, no duplicates.
"""

import asyncio
import json
from collections import Counter
from types import SimpleNamespace

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from districtwiki.ratelimits import client_address

from . import access, chat, hubs, live, presence
from .models import ChatMessage, Room

MAX_FRAME_CHARS = 32_000  # a message's 4,000 characters, JSON-escaped, with room to spare
FRAMES_PER_WINDOW = 40  # frames one connection may send in FRAME_WINDOW seconds (each may query)
FRAME_WINDOW = 10.0
RESUME_PAGE = 200
CLIENT_ID_CHARS = 64

REFUSED = 4403
NOT_FOUND = 4404
TOO_MANY = 4429

# Open connections in this process: a member's by their id, anonymous readers' by ("address", client address).
_connections: Counter = Counter()


def connection_key(scope: dict, user) -> object:
    if user.is_authenticated:
        return user.pk
    client = scope.get("client") or ("", 0)
    headers = dict(scope.get("headers") or [])
    request = SimpleNamespace(
        META={
            "REMOTE_ADDR": client[0],
            "HTTP_X_FORWARDED_FOR": headers.get(b"x-forwarded-for", b"").decode("latin-1"),
        }
    )
    return ("address", client_address(request))


def connection_refusal(key: object) -> str:
    """Why one more connection for this member or address would be too many, or ""."""
    if isinstance(key, tuple):
        limit = settings.CHAT_CONNECTIONS_PER_ADDRESS
        if _connections[key] >= limit:
            return f"{limit} live rooms are open from your address already: sign in, or close some first."
        return ""
    limit = settings.CHAT_CONNECTIONS_PER_MEMBER
    if _connections[key] >= limit:
        return f"You have this room open in {limit} places already; close one first."
    return ""


class RoomConsumer(AsyncWebsocketConsumer):
    room: Room | None = None
    counted = False
    joined = False
    last_shown = 0  # the newest message id this connection was sent: read, for a standing room's marker

    # --- Connecting -------------------------------------------------------------------------------------

    async def connect(self) -> None:
        self.user = self.scope.get("user") or AnonymousUser()
        self.signed_in = bool(self.user.is_authenticated)
        self.room = await database_sync_to_async(find_room)(self.scope["url_route"]["kwargs"]["room"])
        if self.room is None:
            await self.refuse(NOT_FOUND, "There is no such room.")
            return
        refusal = await database_sync_to_async(read_refusal)(self.room, self.user)
        if refusal:
            await self.refuse(REFUSED, refusal)
            return
        self.connection_key = connection_key(self.scope, self.user)
        if too_many := connection_refusal(self.connection_key):
            await self.refuse(TOO_MANY, too_many)
            return
        _connections[self.connection_key] += 1
        self.counted = True
        self.moderator = await database_sync_to_async(chat.is_moderator)(self.room, self.user)
        self.frames: list[float] = []
        if self.signed_in:  # how a suspension reaches every connection of the member
            await self.channel_layer.group_add(live.member_group(self.user.pk), self.channel_name)
        await self.accept()
        self.joined = True
        await hubs.join(self.room.pk, self)

    @property
    def presence_id(self) -> int | None:
        return self.user.pk if self.signed_in else None

    async def refuse(self, code: int, sentence: str) -> None:
        await self.accept()
        await self.send_frame({"type": "error", "client_id": None, "error": sentence})
        await self.close(code=code)

    async def disconnect(self, code) -> None:
        if self.counted:
            _connections[self.connection_key] -= 1
            if _connections[self.connection_key] <= 0:
                del _connections[self.connection_key]
            self.counted = False
        if self.room is None or not self.joined:
            return
        self.joined = False
        if self.signed_in:
            await self.channel_layer.group_discard(live.member_group(self.user.pk), self.channel_name)
        await hubs.leave(self.room.pk, self)
        if self.signed_in and self.last_shown:  # what the page showed live counts as read, as on a reload
            await database_sync_to_async(chat.mark_read)(self.room, self.user, self.last_shown)

    # --- Frames from the client -------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if text_data is None:
            await self.error(None, "Send JSON text frames; binary frames are not understood.")
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.error(
                None,
                f"That frame is too large: a message can be at most {chat.MAX_MESSAGE_CHARS:,} characters.",
            )
            return
        if not self.within_frame_rate():
            await self.error(None, "Too many requests at once: wait a few seconds, then try again.")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.error(None, "That frame is not JSON.")
            return
        if not isinstance(frame, dict):
            await self.error(None, 'A frame is a JSON object with a "type".')
            return
        client_id = frame.get("client_id")
        client_id = client_id[:CLIENT_ID_CHARS] if isinstance(client_id, str) else None
        handler = FRAME_HANDLERS.get(frame.get("type"))
        if handler is None:
            await self.error(client_id, "Unknown frame type: use send, resume, edit, delete or vote.")
            return
        await handler(self, frame, client_id)

    def within_frame_rate(self) -> bool:
        now = asyncio.get_running_loop().time()
        self.frames = [stamp for stamp in self.frames if now - stamp < FRAME_WINDOW]
        if len(self.frames) >= FRAMES_PER_WINDOW:
            return False
        self.frames.append(now)
        return True

    async def on_send(self, frame: dict, client_id: str | None) -> None:
        text = frame.get("text")
        if not isinstance(text, str):
            await self.error(client_id, "Write something first: the message is empty.")
            return
        await self.write(
            client_id, post, text, frame.get("reply_to"), bool(frame.get("question")), client_id or ""
        )

    async def on_edit(self, frame: dict, client_id: str | None) -> None:
        text = frame.get("text")
        if not isinstance(text, str):
            await self.error(client_id, "Write something first: the message is empty.")
            return
        await self.write(client_id, edit, frame.get("id"), text)

    async def on_delete(self, frame: dict, client_id: str | None) -> None:
        await self.write(client_id, delete, frame.get("id"))

    async def on_vote(self, frame: dict, client_id: str | None) -> None:
        await self.write(client_id, vote, frame.get("id"))

    async def write(self, client_id: str | None, action, *arguments) -> None:
        """Run a chat action for this member in a worker thread: an ack with the stored message, or the
        action's sentence (nothing stored). A member suspended meanwhile is disconnected instead."""
        try:
            payload = await database_sync_to_async(action)(self.room, self.user.pk, *arguments)
        except Suspended:
            await self.member_suspended({})
            return
        except chat.ChatError as refusal:
            await self.error(client_id, str(refusal))
            return
        self.last_shown = max(self.last_shown, payload["id"])
        await self.send_frame({"type": "ack", "client_id": client_id, "message": payload})

    async def on_resume(self, frame: dict, client_id: str | None) -> None:
        after = frame.get("after", 0)
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            await self.error(client_id, '"after" must be the id of the last message you saw (0 for none).')
            return
        try:
            payloads = await database_sync_to_async(catch_up)(self.room, self.user, after)
        except chat.ChatError as refusal:
            await self.error(client_id, str(refusal))
            return
        for payload in payloads:
            await self.send_frame({"type": "message", "message": payload})
        last = payloads[-1]["id"] if payloads else after
        self.last_shown = max(self.last_shown, last)
        await self.send_frame({"type": "resumed", "last": last, "more": len(payloads) == RESUME_PAGE})

    async def error(self, client_id: str | None, sentence: str) -> None:
        await self.send_frame({"type": "error", "client_id": client_id, "error": sentence})

    async def send_frame(self, frame: dict) -> None:
        await self.send(text_data=encode(frame))

    # --- Events from the channel layer ------------------------------------------------------------------

    async def room_changed(self, event: dict) -> None:
        if event.get("member") not in (None, self.user.pk if self.signed_in else None):
            return  # a mute is news only to the member muted
        await self.send_frame({"type": "room", "change": event["kind"]})

    async def presence_changed(self, event: dict) -> None:
        members = event["members"]
        missing = presence.missing_members(members)
        if missing:
            await database_sync_to_async(presence.load_members)(missing)
        names = presence.names_for(members, self.user)
        await self.send_frame({"type": "presence", "names": names, "anonymous": event["anonymous"]})

    async def member_suspended(self, event: dict) -> None:
        await self.error(None, "Your account has been suspended: you have been disconnected.")
        await self.close(code=REFUSED)


FRAME_HANDLERS = {
    "send": RoomConsumer.on_send,
    "resume": RoomConsumer.on_resume,
    "edit": RoomConsumer.on_edit,
    "delete": RoomConsumer.on_delete,
    "vote": RoomConsumer.on_vote,
}


# --- Database work, each run in a worker thread ---------------------------------------------------------


class Suspended(Exception):
    """The member's account was suspended (made inactive) since they connected."""


def find_room(key: str) -> Room | None:
    match = Q(slug=key) | Q(pk=int(key)) if key.isdigit() else Q(slug=key)
    return Room.objects.filter(match).first()


def read_refusal(room: Room, user) -> str:
    """Why this reader may not read the room, or "" (the page's rule: chat.check_read)."""
    try:
        chat.check_read(room, user)
    except chat.ChatError as refusal:
        return str(refusal)
    return ""


def current_member(user_id: int):
    """The member as the database has them now: the audience rule is applied to every frame, not only to
    the handshake, so a change of role, state or standing counts at once."""
    member = get_user_model().objects.filter(pk=user_id).first()
    if member is None or not member.is_active:
        raise Suspended
    return member


def posting_member(room: Room, user_id: int | None):
    if user_id is None:
        raise chat.NotAllowed("Sign in to take part in the conversation.")
    member = current_member(user_id)
    if not chat.can_post(room, member):
        raise chat.NotAllowed(access.posting_refusal(room, member))
    return member


def room_message(room: Room, raw_id) -> ChatMessage:
    message_id = chat.parse_message_id(raw_id if raw_id is not None else "", "id")
    message = ChatMessage.objects.select_related("room").filter(pk=message_id, room=room).first()
    if message is None:
        raise chat.NotFound(f"There is no message number {message_id} in this room.")
    return message


def post(room: Room, user_id, text: str, reply_to, question: bool, client_id: str) -> dict:
    member = posting_member(room, user_id)
    message = chat.post_message(
        room, member, text, reply_to_id=reply_to, is_question=question, client_id=client_id
    )
    return chat.message_payload(message, member)


def edit(room: Room, user_id, message_id, text: str) -> dict:
    member = posting_member(room, user_id)
    message = chat.edit_message(room_message(room, message_id), member, text)
    return chat.message_payload(message, member)


def delete(room: Room, user_id, message_id) -> dict:
    member = posting_member(room, user_id)
    message = chat.delete_message(room_message(room, message_id), member)
    return chat.message_payload(message, member)


def vote(room: Room, user_id, message_id) -> dict:
    member = posting_member(room, user_id)
    message = room_message(room, message_id)
    chat.upvote(message, member)
    return chat.message_payload(message, member)


def catch_up(room: Room, user, after: int) -> list[dict]:
    viewer = current_member(user.pk) if user.is_authenticated else user
    return chat.payloads(chat.messages_after(room, viewer, after, limit=RESUME_PAGE), viewer)


# --- The frames a room's hub sends to its connections (hubs.py) ------------------------------------------


def viewer_class(consumer: RoomConsumer, event: dict) -> str:
    """Readers who see a message the same way share one payload: signed-out readers, and signed-in members
    who are neither its author nor a moderator of the room. The others get their own."""
    if not consumer.signed_in:
        return "anonymous"
    if consumer.moderator or consumer.user.pk == event.get("author"):
        return f"own:{consumer.user.pk}"
    return "member"


def change_frame(kind: str, payload: dict) -> dict:
    if kind == "created":
        return {"type": "message", "message": payload}
    return {"type": "update", "change": kind, "message": payload}


def encode(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"))


def load_payload(message_id: int, viewer) -> dict | None:
    message = ChatMessage.objects.select_related("room", "author").filter(pk=message_id).first()
    return None if message is None else chat.message_payload(message, viewer)
