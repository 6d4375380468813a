"""Request-level account handling: personal API tokens and the private-wiki switch."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils import timezone

from .models import APIToken

# The unsubscribe link and the watchlist feed carry their own secret and must work signed out.
PUBLIC_PREFIXES_WHEN_PRIVATE = (
    "/accounts/",
    "/static/",
    "/healthz",
    "/admin/login/",
    "/notifications/unsubscribe/",
    "/feeds/watchlist/",
)
MACHINE_PREFIXES = ("/api/", "/w/")
# The MediaWiki Action API answers a private wiki's signed-out clients itself, as MediaWiki does: they must
# be able to log in there (action=login), and every other request gets its own error code (readapidenied).
SELF_GUARDED_PATHS = ("/w/api.php",)
LAST_USED_RESOLUTION = timedelta(minutes=5)


def unauthorized(detail: str, error: str | None = None) -> JsonResponse:
    """A 401 that says what is wrong, with the challenge RFC 6750 asks for."""
    response = JsonResponse({"detail": detail}, status=401)
    response["WWW-Authenticate"] = f'Bearer error="{error}"' if error else "Bearer"
    return response


class BearerTokenMiddleware:
    """`Authorization: Bearer <token>` signs the request in as the token's owner (no session, no CSRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            token = APIToken.objects.find(key.strip()) if key.strip() else None
            if token is None:
                return unauthorized("The API token is not valid (revoked or mistyped).", "invalid_token")
            request.user = token.user
            request.api_token = token
            request._dont_enforce_csrf_checks = True  # a bearer token cannot be sent by a forged form
            self.note_use(token)
        return self.get_response(request)

    @staticmethod
    def note_use(token: APIToken) -> None:
        # Written at most every few minutes, so that a busy bot does not turn every read into a write.
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            APIToken.objects.filter(pk=token.pk).update(last_used_at=now)


class PrivateWikiMiddleware:
    """With DISTRICTWIKI_PRIVATE_WIKI, reading anything but the sign-in pages requires an account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PRIVATE_WIKI and not request.user.is_authenticated:
            path = request.path_info
            if not path.startswith(PUBLIC_PREFIXES_WHEN_PRIVATE) and path not in SELF_GUARDED_PATHS:
                if path.startswith(MACHINE_PREFIXES):
                    return unauthorized("This wiki is private: sign in or send an API token.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
