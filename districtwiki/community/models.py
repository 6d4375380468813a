"""Member profiles (who a member is at work, and who may see each part of it), expertise tags, private
messages between two members, blocks, and reports of messages.

Visibility rules live in visibility.py; every view that shows a profile goes through it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from .states import STATE_CHOICES

BIO_MAX_LENGTH = 4000
MESSAGE_MAX_LENGTH = 10_000
MAX_YEARS_IN_ROLE = 60


class Visibility(models.TextChoices):
    PUBLIC = "public", "Everyone"
    MEMBERS = "members", "Signed-in members"
    HIDDEN = "hidden", "Only me"


class ExpertiseTag(models.Model):
    """An area of expertise, lower-cased so that "E-Rate" and "e-rate" are one tag."""

    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def visibility_field() -> models.CharField:
    # Every field defaults to members-only: see visibility.py for why nothing is public by default.
    return models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS)


class Profile(models.Model):
    class Role(models.TextChoices):
        # One per role pathway, in pathways.yaml's order (content.pathways.pathway_for_role), then two more.
        TECHNICIAN = "technician", "Technician"
        COORDINATOR = "coordinator", "Technology coordinator, often with a second job title"
        DIRECTOR = "director", "Technology director"
        TEACHER = "teacher", "Teacher with technology duties"
        SUPERINTENDENT = "superintendent", "Superintendent or business official"
        GRADUATE = "graduate", "Student or recent graduate"
        OTHER = "other", "Other"

    class DistrictSize(models.TextChoices):
        UNDER_1000 = "under-1000", "Under 1,000 students"
        UP_TO_2500 = "1000-2500", "1,000–2,500 students"
        UP_TO_10000 = "2500-10000", "2,500–10,000 students"
        OVER_10000 = "over-10000", "Over 10,000 students"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    district_name = models.CharField(max_length=200, blank=True)
    district_size = models.CharField(max_length=20, choices=DistrictSize.choices, blank=True)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True, db_index=True)
    years_in_role = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_YEARS_IN_ROLE)]
    )
    expertise = models.ManyToManyField(ExpertiseTag, blank=True, related_name="profiles")
    happy_to_answer = models.BooleanField(default=False)
    bio = models.TextField(max_length=BIO_MAX_LENGTH, blank=True)
    bio_html = models.TextField(blank=True)  # rendered and sanitised on save, like a revision's html
    list_on_state_page = models.BooleanField(default=False)
    # An IANA zone name ("America/Chicago") that event times are shown and entered in; blank follows the
    # browser (events/forms.py viewer_zone). Private: shown to no one, so it has no visibility.
    time_zone = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    display_name_visibility = visibility_field()
    role_visibility = visibility_field()
    district_name_visibility = visibility_field()
    district_size_visibility = visibility_field()
    state_visibility = visibility_field()
    years_in_role_visibility = visibility_field()
    expertise_visibility = visibility_field()
    happy_to_answer_visibility = visibility_field()
    bio_visibility = visibility_field()

    def __str__(self) -> str:
        return f"profile of {self.user_id}"

    @property
    def audiences(self) -> list[str]:
        """The page audiences (front matter `audience`) this member's role reads, its own pathway's first."""
        return ROLE_AUDIENCES.get(self.role, [])


# What each role reads: its own pathway's audience (content.pathways.pathway_for_role), then related ones.
ROLE_AUDIENCES = {
    Profile.Role.TECHNICIAN: ["technician"],
    Profile.Role.COORDINATOR: ["coordinator", "director"],
    Profile.Role.DIRECTOR: ["director", "coordinator"],
    Profile.Role.TEACHER: ["teacher-leader"],
    Profile.Role.SUPERINTENDENT: ["superintendent", "director"],
    Profile.Role.GRADUATE: ["technician"],
}


class ConversationQuerySet(models.QuerySet):
    def involving(self, user):
        return self.filter(models.Q(member_a=user) | models.Q(member_b=user))


class Conversation(models.Model):
    """The one private conversation between two members; member_a is always the one with the lower id, so
    that the pair is unique whichever of them wrote first."""

    member_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    member_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField(db_index=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member_a", "member_b"], name="unique_conversation_pair"),
            models.CheckConstraint(
                condition=models.Q(member_a__lt=models.F("member_b")), name="conversation_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"conversation {self.member_a_id}–{self.member_b_id}"

    def get_absolute_url(self) -> str:
        return f"/members/messages/{self.pk}"

    def other_party(self, user):
        return self.member_b if user.pk == self.member_a_id else self.member_a

    def involves(self, user) -> bool:
        return user.pk in (self.member_a_id, self.member_b_id)


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    html = models.TextField()  # rendered and sanitised once, when sent
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)  # when the recipient first saw it

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["conversation", "id"]),
            models.Index(fields=["sender", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"


class Block(models.Model):
    """`blocker` no longer receives messages from `blocked` (nor can message them: see messaging.py)."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="unique_block")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class MessageReport(models.Model):
    """A member's report of a message they received. Reporting shares that one message with moderators
    (trusted members and admins), who can read it at /members/messages/reports/<id>; nothing else of the
    conversation is shown to them."""

    message = models.ForeignKey(Message, null=True, on_delete=models.SET_NULL, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=1000)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"report {self.pk} of message {self.message_id}"

    def get_absolute_url(self) -> str:
        return f"/members/messages/reports/{self.pk}"
