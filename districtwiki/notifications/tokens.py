"""The two secrets in notification links: the digest's unsubscribe link and the watchlist feed address.

Unsubscribe links are signed (django.core.signing with their own salt) and never expire: a digest read a year
later must still unsubscribe. They carry only the member's id, so changing SECRET_KEY voids them all.
Feed tokens are random; only their hash is stored (see NotificationSettings).
"""

import hashlib
import secrets

from django.core import signing

UNSUBSCRIBE_SALT = "districtwiki.notifications.unsubscribe"
FEED_TOKEN_BYTES = 32
FEED_HINT_LENGTH = 6


class InvalidUnsubscribeLink(Exception):
    status = 400


def unsubscribe_token(user) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_id_from_unsubscribe_token(token: str) -> int:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        raise InvalidUnsubscribeLink(
            "This unsubscribe link is damaged: it may have been cut short or changed. Open the link from the "
            "e-mail again, or sign in and change your notification settings."
        ) from None
    return int(value)


def new_feed_token() -> str:
    return secrets.token_urlsafe(FEED_TOKEN_BYTES)


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
