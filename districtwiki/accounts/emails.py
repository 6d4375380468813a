"""The e-mails accounts send. Their links start with DISTRICTWIKI_SITE_URL, never with the Host header of the
request that caused them: a forged Host would otherwise put someone else's site in a password-reset link."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)


def site_link(path: str) -> str:
    return settings.SITE_URL + path


def send_confirmation(user, token: str, valid_days: int) -> bool:
    """True if the mail backend accepted the message. A refusal is logged, not raised: the account exists
    either way, and the member can ask for another link from their settings."""
    context = {"link": site_link(reverse("accounts:confirm", args=[token])), "valid_days": valid_days}
    return send(user, "confirm", context)


def send_signup_attempt(user) -> bool:
    """To the owner of an address someone tried to sign up with: no new account was made (the person
    signing up was answered as if it had been), and here is how to get back in if it was them."""
    return send(user, "signup_attempt", {"reset_link": site_link(reverse("accounts:password_reset"))})


def send(user, kind: str, context: dict) -> bool:
    """Render accounts/emails/<kind>_subject.txt and _body.txt for this member and mail them; False, logged,
    if the mail server refused."""
    context = {"user": user, "site_name": settings.SITE_NAME, **context}
    subject = render_to_string(f"accounts/emails/{kind}_subject.txt", context).strip()
    body = render_to_string(f"accounts/emails/{kind}_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:  # smtplib's errors are OSErrors
        logger.exception("Could not send the %s e-mail to user %s", kind, user.pk)
        return False
    return True
