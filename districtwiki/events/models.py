"""Live events and chat rooms: scheduled chats with hosts, standing rooms, their messages and moderation.

One Room model serves every conversation: each event has its own room, each state chapter has one, and
admins open topic rooms. Times are stored in UTC; an event keeps the time zone it was entered in, so a
weekly office hour stays at 4 pm local time across a change of daylight saving time (RRULE expansion in
that zone). Messages are never deleted by the site: a hidden message keeps its text (moderators see it),
an edited one keeps every earlier version, an author's own deletion within the edit window blanks the text
but keeps the row, so a reconnecting client can be told.
"""

from django.conf import settings
from django.db import models

from districtwiki.community.states import STATE_CHOICES
from districtwiki.wiki.models import Page

USER = settings.AUTH_USER_MODEL


class Room(models.Model):
    class Kind(models.TextChoices):
        EVENT = "event", "Event room"
        STATE = "state", "State chapter room"
        TOPIC = "topic", "Topic room"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    slug = models.SlugField(max_length=80, unique=True)  # the room's address: /events/rooms/<slug>
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=1000, blank=True)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)  # a state chapter's room
    locked_at = models.DateTimeField(null=True, blank=True)  # nobody may post while set
    slow_mode_seconds = models.PositiveIntegerField(default=0)  # 0: off; else one message per member per N s
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(kind="state"), name="events_one_room_per_state"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class EventQuerySet(models.QuerySet):
    def upcoming(self, now):
        return self.filter(status=Event.Status.SCHEDULED, ends_at__gt=now).order_by("starts_at", "id")

    def past(self, now):
        return self.filter(models.Q(ends_at__lte=now) | models.Q(status=Event.Status.ENDED)).order_by(
            "-starts_at", "-id"
        )


class Event(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        MEMBERS = "members", "Signed-in members"
        STATE = "state", "One state chapter"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        ENDED = "ended", "Ended"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)  # Markdown, the wiki's renderer and sanitiser
    description_html = models.TextField(blank=True)
    starts_at = models.DateTimeField(db_index=True)  # UTC; of the first occurrence when recurring
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)  # IANA name the times were entered in
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)  # when audience is STATE
    category = models.CharField(max_length=100, blank=True)
    rrule = models.CharField(max_length=500, blank=True)  # iCalendar RRULE (no "RRULE:" prefix), or ""
    cancelled_dates = models.JSONField(default=list, blank=True)  # ISO dates of cancelled occurrences
    pages = models.ManyToManyField(Page, blank=True, related_name="events")
    hosts = models.ManyToManyField(USER, related_name="events_hosted")
    moderators = models.ManyToManyField(USER, blank=True, related_name="events_moderated")
    room = models.OneToOneField(Room, on_delete=models.PROTECT, related_name="event")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    ended_at = models.DateTimeField(null=True, blank=True)
    transcript = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = EventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "ends_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/events/{self.pk}"


class RSVP(models.Model):
    class Answer(models.TextChoices):
        GOING = "going", "Going"
        MAYBE = "maybe", "Maybe"
        NOT_GOING = "not_going", "Not going"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="events_one_rsvp_per_member")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.answer} to event {self.event_id}"


class SessionTranscript(models.Model):
    """One session of a recurring series, once it is over: the transcript page of the conversation since the
    session before it (none when nobody posted), and the newest message it took in, where the next begins."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()  # the occurrence's start, UTC
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_message_id = models.BigIntegerField(default=0)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["event", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="events_one_transcript_per_session")
        ]

    def __str__(self) -> str:
        return f"session of event {self.event_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class ChatMessage(models.Model):
    """One message in a room. Ids only grow, so `after=<id>` is how a client catches up without gaps."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=150)  # kept when the account is erased
    text = models.TextField()
    html = models.TextField()
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_question = models.BooleanField(default=False)
    answer = models.ForeignKey(  # the message that answered this question, once the host marks it
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)  # by its author, within the edit window
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hidden_reason = models.CharField(max_length=1000, blank=True)
    # The sending page's own name for the message ("c1k2…"): sending it again after a dropped connection
    # finds this message instead of storing a second one (chat.post_message).
    client_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["room", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="events_one_message_per_client_id",
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in room {self.room_id}"


class ChatMessageRevision(models.Model):
    """An earlier text of an edited message, for moderators."""

    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"earlier text of message {self.message_id}"


class QuestionVote(models.Model):
    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="events_one_vote_per_member")]

    def __str__(self) -> str:
        return f"vote by {self.user_id} on message {self.message_id}"


class RoomMute(models.Model):
    """A member muted in one room until a time, by a host or moderator, with the reason."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    muted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} muted in room {self.room_id} until {self.until:%Y-%m-%d %H:%M}"


class RoomMembership(models.Model):
    """A member's place in a standing room: they opted in, and how far they have read."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="room_memberships")
    last_read_id = models.PositiveBigIntegerField(default=0)
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="events_one_membership")]

    def __str__(self) -> str:
        return f"{self.user_id} in room {self.room_id}"


class RoomLog(models.Model):
    """Every moderation action in a room: hide, unhide, mute, slow mode, lock, unlock, end."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.action} in room {self.room_id}"


class Reminder(models.Model):
    """A reminder sent for one occurrence of an event, so that none is sent twice."""

    class Kind(models.TextChoices):
        DAY = "day", "One day before"
        SOON = "soon", "15 minutes before"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reminders")
    occurrence = models.DateTimeField()  # the occurrence's start, UTC
    kind = models.CharField(max_length=5, choices=Kind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "occurrence", "kind"], name="events_one_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for event {self.event_id} at {self.occurrence:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A member's private calendar address (the events they said they would attend): only a hash of the
    token is kept, as for the watchlist feed; a new token revokes the old."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(max_length=8)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
