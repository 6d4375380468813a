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
    context = {
        "user": user,
        "link": site_link(reverse("accounts:confirm", args=[token])),
        "site_name": settings.SITE_NAME,
        "valid_days": valid_days,
    }
    subject = render_to_string("accounts/emails/confirm_subject.txt", context).strip()
    body = render_to_string("accounts/emails/confirm_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:  # smtplib's errors are OSErrors
        logger.exception("Could not send the confirmation e-mail to user %s", user.pk)
        return False
    return True
