"""The refusals of chat actions (chat.py, moderation.py): each carries the HTTP status the page, the API and
the live layer answer with, and a sentence for the person. Nothing is stored when one is raised."""

from districtwiki.wiki.actions import WikiError


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
