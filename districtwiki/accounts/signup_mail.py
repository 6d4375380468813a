"""The e-mails of invitation and approval: rendered from accounts/emails/<name>_subject.txt and _body.txt.

Their links are built from DISTRICTWIKI_SITE_URL, never from a request's Host header: a request can name any
host, and a link to someone else's site in a mail from this one is a phishing kit.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)


def site_link(route: str, *args) -> str:
    return settings.SITE_URL + reverse(route, args=args)


def send(name: str, to: str, context: dict) -> bool:
    """True if the mail backend accepted the message. A refusal is logged, not raised: what the mail tells
    has happened either way, and the caller says so to the person who acted."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"accounts/emails/{name}_subject.txt", context).strip()
    body = render_to_string(f"accounts/emails/{name}_body.txt", context)
    try:
        send_mail(subject, body, None, [to])
    except OSError:  # smtplib's errors are OSErrors
        logger.exception("Could not send the %s e-mail", name)
        return False
    return True
