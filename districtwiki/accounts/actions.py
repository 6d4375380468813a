"""Every account write: sign-up, sign-in checks, e-mail confirmation and changes, personal API tokens.

Views, the admin and the `token` command call these. Errors are typed exceptions whose message is for the
person who made the request; `status` is the HTTP status a view answers with.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core import signing
from django.db import transaction

from . import emails, throttling
from .models import APIToken, User
from .retired import username_retired

CONFIRMATION_SALT = "districtwiki.accounts.confirm-email"
CONFIRMATION_MAX_AGE = timedelta(days=3)
MAX_TOKENS_PER_USER = 50
TOKEN_NAME_LENGTH = 100  # APIToken.name


class AccountError(Exception):
    status = 400


class AccountTaken(AccountError):
    pass


class InvalidLogin(AccountError):
    pass


class InvalidConfirmation(AccountError):
    pass


class ConfirmationExpired(InvalidConfirmation):
    pass


class InvalidTokenName(AccountError):
    pass


class TooManyTokens(AccountError):
    pass


class TokenNotFound(AccountError):
    status = 404


class TooSoon(AccountError):
    status = 429


# --- Sign-up and sign-in


def username_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


def email_taken(email: str, exclude: User | None = None) -> bool:
    others = User.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


def create_account(username: str, email: str, password: str) -> User:
    """A new member. The caller has validated the fields (SignupForm); the checks here close the race
    between two sign-ups with the same name in different processes."""
    email = User.objects.normalize_email(email)
    with transaction.atomic():
        if username_taken(username) or username_retired(username):
            raise AccountTaken(f'The username "{username}" is already taken. Choose another.')
        if email_taken(email):
            raise AccountTaken("That e-mail address is already used by another account.")
        return User.objects.create_user(
            username=username,
            email=email,
            password=password,
            role=User.Role.MEMBER,
            email_confirmed=not settings.REQUIRE_EMAIL_CONFIRMATION,
        )


def find_username(login: str) -> str:
    """The username a sign-in name refers to: the username itself (in any case) or a unique e-mail address.
    An unknown name comes back unchanged, so that the password check still costs the same time."""
    login = login.strip()
    candidates = list(
        User.objects.filter(username__iexact=login).order_by("pk").values_list("username", flat=True)
    )
    if login in candidates:
        return login
    if candidates:
        return candidates[0]
    by_email = list(User.objects.filter(email__iexact=login).values_list("username", flat=True)[:2])
    return by_email[0] if len(by_email) == 1 else login


def authenticate_login(login: str, password: str, address: str, request=None) -> User:
    """The account for these credentials, or LoginLocked / InvalidLogin. Every failure is recorded."""
    throttling.check_login_allowed(login, address)
    user = authenticate(request, username=find_username(login), password=password)
    if user is None:
        throttling.record_failure(login, address)
        raise InvalidLogin(
            "That username or e-mail address and password do not match an account. "
            "Check them, or reset your password by e-mail."
        )
    throttling.clear_failures(user, login)
    return user


# --- E-mail confirmation


def must_confirm_email(user) -> bool:
    """Whether this person must still confirm their address before editing (see access.check_can_edit)."""
    return bool(
        settings.REQUIRE_EMAIL_CONFIRMATION
        and user.is_authenticated
        and not user.email_confirmed
        and not user.is_wiki_admin
    )


def confirmation_token(user: User) -> str:
    """A signed, timestamped token for this account *and* address: changing the address voids old links."""
    return signing.dumps([user.pk, user.email], salt=CONFIRMATION_SALT)


def confirm_email(token: str) -> User:
    try:
        user_id, email = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationExpired(
            f"This confirmation link has expired: links work for {CONFIRMATION_MAX_AGE.days} days. "
            "Ask for a new one below."
        ) from None
    except signing.BadSignature:
        raise InvalidConfirmation(
            "This confirmation link is not valid. It may have been cut short when it was copied: "
            "try the whole link from the e-mail, or ask for a new one below."
        ) from None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email.lower() != email.lower():
        raise InvalidConfirmation(
            "This confirmation link is for an e-mail address the account no longer uses. "
            "Ask for a new one below."
        )
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
    return user


def send_confirmation(user: User, base_url: str) -> bool:
    """Mail a confirmation link; False if the mail server refused (the member can ask again)."""
    return emails.send_confirmation(user, base_url, confirmation_token(user), CONFIRMATION_MAX_AGE.days)


def resend_confirmation(user: User, base_url: str) -> bool:
    if not throttling.allow_confirmation_mail(user):
        raise TooSoon(
            "We sent you a confirmation e-mail less than a minute ago. "
            "Check your inbox and spam folder before asking again."
        )
    return send_confirmation(user, base_url)


def change_email(user: User, new_email: str) -> None:
    """A new address must be confirmed again (when confirmation is required)."""
    email = User.objects.normalize_email(new_email)
    if email.lower() == user.email.lower():
        raise AccountError("That is already your e-mail address.")
    with transaction.atomic():
        if email_taken(email, exclude=user):
            raise AccountTaken("That e-mail address is already used by another account.")
        user.email = email
        user.email_confirmed = not settings.REQUIRE_EMAIL_CONFIRMATION
        user.save(update_fields=["email", "email_confirmed"])


def password_was_reset(user: User) -> None:
    """Following the reset link proved the member reads this address, and ends any sign-in lock."""
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
    throttling.clear_failures(user)


# --- Personal API tokens


def create_api_token(user: User, name: str) -> tuple[APIToken, str]:
    """The token and its key; only a hash is kept, so the key must be shown to the member now."""
    name = name.strip()
    if not name:
        raise InvalidTokenName("Give the token a name, such as the bot or script that will use it.")
    if len(name) > TOKEN_NAME_LENGTH:
        raise InvalidTokenName(f"A token name can be at most {TOKEN_NAME_LENGTH} characters long.")
    if user.api_tokens.count() >= MAX_TOKENS_PER_USER:
        raise TooManyTokens(f"You already have {MAX_TOKENS_PER_USER} tokens. Revoke one you no longer use.")
    return APIToken.issue(user, name)


def revoke_api_token(user: User, token_id: int) -> APIToken:
    token = user.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise TokenNotFound("You have no API token with that number; it may already be revoked.")
    token.delete()
    return token


def revoke_api_token_by_hint(user: User, hint: str) -> APIToken:
    tokens = list(user.api_tokens.filter(hint=hint.strip())[:2])
    if not tokens:
        raise TokenNotFound(f'{user.username} has no API token starting with "{hint}".')
    if len(tokens) > 1:
        raise AccountError(
            f'{user.username} has several tokens starting with "{hint}"; revoke them in settings.'
        )
    return revoke_api_token(user, tokens[0].pk)
