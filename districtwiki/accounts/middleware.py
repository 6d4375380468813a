"""Request-level account handling: personal API tokens and the private-wiki switch."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils import timezone

from .models import APIToken

PUBLIC_PREFIXES_WHEN_PRIVATE = ("/accounts/", "/static/", "/healthz", "/admin/login/")


class BearerTokenMiddleware:
    """`Authorization: Bearer <token>` signs the request in as the token's owner (no session, no CSRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            token = APIToken.objects.find(header[7:].strip())
            if token is None:
                return JsonResponse({"detail": "The API token is not valid (revoked or mistyped)."}, status=401)
            request.user = token.user
            request._dont_enforce_csrf_checks = True  # a bearer token cannot be sent by a forged form
            now = timezone.now()
            if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
                APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return self.get_response(request)


class PrivateWikiMiddleware:
    """With DISTRICTWIKI_PRIVATE_WIKI, reading anything but the sign-in pages requires an account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PRIVATE_WIKI and not request.user.is_authenticated:
            if not request.path.startswith(PUBLIC_PREFIXES_WHEN_PRIVATE):
                if request.path.startswith(("/api/", "/w/")):
                    return JsonResponse({"detail": "This wiki is private: sign in or send an API token."}, status=401)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
