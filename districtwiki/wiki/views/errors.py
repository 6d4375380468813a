"""Turning the wiki's typed errors into pages a person can read (the page itself: districtwiki/errors.py)."""

import functools

from django.core.exceptions import PermissionDenied

from districtwiki.errors import error_page, refusal_page
from districtwiki.paging import BadPage

from ..actions import WikiError
from ..titles import InvalidTitle


def translate_errors(view):
    """Answer InvalidTitle, WikiError and PermissionDenied with their message and status."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except InvalidTitle as error:
            return error_page(request, 400, str(error))
        except PermissionDenied as error:
            return refusal_page(request, error)
        except (WikiError, BadPage) as error:
            return error_page(request, error.status, str(error))

    return wrapped
