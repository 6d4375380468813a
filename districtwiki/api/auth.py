"""Who may write through the API: a bearer token, a browser session (with CSRF), or anyone when the wiki
allows anonymous edits. Reads need no authentication (PrivateWikiMiddleware guards a private wiki).

BearerTokenMiddleware has already checked the token and set request.user, so these only decide which way
the request was authenticated. Ninja tries them in order; the first that returns a user wins.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from districtwiki.wiki import access


class CsrfFailed(PermissionDenied):
    pass


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token."""

    def authenticate(self, request, token):
        return request.user if access.is_signed_in(request.user) else None


class SessionCookie(APIKeyCookie):
    """The browser session; unsafe methods need the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        # Ninja's own check would also run for anonymous requests; ours runs only for a signed-in session.
        super().__init__(csrf=False)

    def authenticate(self, request, key):
        if not access.is_signed_in(request.user):
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed(
                "The CSRF check failed: reload the page and try again, or send an API token instead."
            )
        return request.user


def anonymous_editor(request):
    """Signed-out writers, only when the wiki allows anonymous edits (AnonymousUser is truthy)."""
    if not access.is_signed_in(request.user) and access.can_edit(request.user, None):
        return request.user
    return None


WRITERS = [BearerToken(), SessionCookie(), anonymous_editor]
