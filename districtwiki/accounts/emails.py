"""The e-mails accounts send. Links must be absolute, so callers pass the site's base URL (request)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)


def send_confirmation(user, base_url: str, token: str, valid_days: int) -> bool:
    """True if the mail backend accepted the message. A refusal is logged, not raised: the account exists
    either way, and the member can ask for another link from their settings."""
    context = {
        "user": user,
        "link": base_url.rstrip("/") + reverse("accounts:confirm", args=[token]),
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
