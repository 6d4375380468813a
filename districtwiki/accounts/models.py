"""Members, their roles, personal API tokens and the record of failed sign-ins."""

import hashlib
import secrets

from django.contrib.auth import models as auth_models
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .. import plainsql
from . import usernames

FORMER_MEMBER = "former member"  # how a deleted account's edits, uploads, posts and messages are attributed
FORMER_USERNAME_PREFIX = usernames.FORMER_MEMBER_PREFIX  # the username a deleted account's row is given


class UserManager(auth_models.UserManager):
    """create_user and create_superuser (and so `createsuperuser`) refuse a name that is taken in any
    spelling or kept back; `createsuperuser` shows the sentence of the ValidationError."""

    def _create_user_object(self, username, email, password, **extra_fields):
        user = super()._create_user_object(username, email, password, **extra_fields)
        problem = usernames.problem_with(user.username, self.model)
        if problem is not None:
            raise ValidationError(problem, code="username")
        return user


class MemberManager(UserManager):
    """The manager Django's own code reaches for (sign-in, the session's user, createsuperuser, the admin):
    it loads the member's profile in the same query, so the header can name a signed-in member by their
    display name on every page without a query of its own. Our code's `User.objects` stays plain."""

    def get_queryset(self):
        return super().get_queryset().select_related("profile")


class User(auth_models.AbstractUser):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        TRUSTED = "trusted", "Trusted member"
        ADMIN = "admin", "Admin"

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    email_confirmed = models.BooleanField(default=False)
    # See usernames.py: one key for every spelling and look-alike of a name, so that each is taken once.
    username_key = models.CharField(max_length=64, unique=True, editable=False)

    objects = UserManager()
    members = MemberManager()

    class Meta(auth_models.AbstractUser.Meta):
        default_manager_name = "members"

    @property
    def is_trusted(self) -> bool:
        """Trusted members move, protect and roll back; admins may do all of that too."""
        return self.role in (self.Role.TRUSTED, self.Role.ADMIN) or self.is_superuser

    @property
    def is_wiki_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def is_former_member(self) -> bool:
        """An account its member deleted (community.account_data.delete_account): inactive, renamed."""
        return not self.is_active and self.username.startswith(FORMER_USERNAME_PREFIX)

    @property
    def public_name(self) -> str:
        """The name shown beside what the member did: "former member" once the account is deleted."""
        return FORMER_MEMBER if self.is_former_member else self.get_username()

    @property
    def own_name(self) -> str:
        """How the header names the signed-in member to themselves: display name, else username."""
        profile = getattr(self, "profile", None)  # no profile: Django raises DoesNotExist, an AttributeError
        return (profile.display_name if profile is not None else "") or self.get_username()

    def save(self, *args, **kwargs):
        # The admin role is what opens the Django admin; a superuser is always an admin.
        if self.is_superuser:
            self.role = self.Role.ADMIN
        self.is_staff = self.role == self.Role.ADMIN
        if self.username_changed():
            self.username_key = usernames.username_key(self.username)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "username" in update_fields:
                kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)
        self._saved_username = self.username

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._saved_username = user.__dict__.get("username")
        return user

    def username_changed(self) -> bool:
        """Whether the name differs from the stored one. The key is recomputed only then: an account
        that shared a key with an older one when keys were introduced keeps the distinct key the
        migration gave it for as long as it keeps its name."""
        return self._state.adding or self.username != getattr(self, "_saved_username", None)

    def validate_unique(self, exclude=None):
        """Model forms (sign-up, the admin) also refuse a name that another account has in another
        spelling, or that is kept back, with the same sentence as for the very same name."""
        errors = {}
        try:
            super().validate_unique(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        checks_name = "username" not in (exclude or ()) and "username" not in errors
        if checks_name and self.username_changed():
            problem = usernames.problem_with(self.username, type(self), exclude_pk=self.pk)
            if problem is not None:
                errors["username"] = [ValidationError(problem, code="unique")]
        if errors:
            raise ValidationError(errors)


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class APITokenQuerySet(models.QuerySet):
    def find(self, key: str):
        """The token of `key` with its active member and their profile, as
        select_related("user__profile").filter(key_hash=..., user__is_active=True).first() gives them (the
        profile comes with the member, as MemberManager loads it for a session), by one plain statement:
        it runs on every API request, and the ORM's building of it cost five times what it takes to run."""
        tokens, members = self.model, self.model.user.field.related_model
        profiles = members._meta.get_field("profile").related_model
        connection = plainsql.db(tokens)
        columns = [plainsql.reader(model, connection)[0] for model in (tokens, members, profiles)]
        token_table, member_table, profile_table = (
            connection.ops.quote_name(model._meta.db_table) for model in (tokens, members, profiles)
        )
        row = plainsql.fetch_one(
            connection,
            f"SELECT {', '.join(columns)} FROM {token_table} "
            f"JOIN {member_table} ON {member_table}.id = {token_table}.user_id "
            f"LEFT JOIN {profile_table} ON {profile_table}.user_id = {member_table}.id "
            f"WHERE {token_table}.key_hash = %s AND {member_table}.is_active",
            [hash_token(key)],
        )
        if row is None:
            return None
        first_member, first_profile = len(tokens._meta.concrete_fields), -len(profiles._meta.concrete_fields)
        token = plainsql.instance(connection, tokens, row[:first_member])
        member = plainsql.instance(connection, members, row[first_member:first_profile])
        profile_row = row[first_profile:]
        profile = plainsql.instance(connection, profiles, profile_row) if profile_row[0] is not None else None
        tokens.user.field.set_cached_value(token, member)
        members.profile.related.set_cached_value(member, profile)
        if profile is not None:
            profiles.user.field.set_cached_value(profile, member)
        return token


class APIToken(models.Model):
    """A personal token for `Authorization: Bearer`. Only its hash is stored; the key is shown once."""

    PREFIX = "dw_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = APITokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["APIToken", str]:
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(key), hint=key[:8])
        return token, key


class LoginFailure(models.Model):
    """One failed sign-in; recent rows per account (its username) or unknown name, and per address, drive the
    lock-out."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(db_index=True)
    timestamp = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.timestamp:%Y-%m-%d %H:%M}"


class RetiredUsername(models.Model):
    """A username that can never be taken again: that of a deleted account (accounts/retired.py). Kept as a
    digest of the name, so the table says whether a name was used without listing who left."""

    digest = models.CharField(max_length=64, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"retired username {self.digest[:8]}…"


class InvitationQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Neither used, revoked nor expired."""
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)

    def find(self, key: str):
        return self.select_related("invited_by").filter(token_hash=hash_token(key)).first()


class Invitation(models.Model):
    """An e-mailed, single-use link to create an account. Only a hash of its key is stored."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        USED = "used", "Used"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation_used"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["invited_by", "created_at"], name="invitation_inviter_day"),
            models.Index(fields=["email"], name="invitation_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.USED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class SignupRequestQuerySet(models.QuerySet):
    def pending(self):
        # An admin who activates the account in /admin/ has decided too: it leaves the queue.
        return self.filter(decided_at__isnull=True, user__is_active=False)


class SignupRequest(models.Model):
    """An application to join a wiki whose sign-up needs approval. The account exists, inactive, until an
    admin or trusted member approves it; a declined application is deleted with its account."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="signup_request")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="signup_requests_decided"
    )

    objects = SignupRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} ({'approved' if self.decided_at else 'waiting'})"
