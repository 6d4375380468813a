"""Response headers that Django's SecurityMiddleware does not set (a Content-Security-Policy without inline
script, and a Permissions-Policy), and the refusal of addresses holding a NUL character."""

from django.http import HttpResponseBadRequest

from districtwiki.accounts.middleware import MACHINE_PREFIXES
from districtwiki.api.errors import error

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def content_security_policy(websocket_port: int | None, hosts: list[str]) -> str:
    """The policy, letting pages open the live rooms' WebSocket when it is on a port of its own
    (settings.WEBSOCKET_PORT): 'self' covers only the page's own scheme, host and port."""
    if not websocket_port:
        return CONTENT_SECURITY_POLICY
    sources = []
    for host in hosts:
        host = "*" + host if host.startswith(".") else host  # Django's ".example.org": any subdomain
        sources += [f"ws://{host}:{websocket_port}", f"wss://{host}:{websocket_port}"]
    return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", " ".join(["connect-src 'self'", *sources]))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = content_security_policy(settings.WEBSOCKET_PORT, settings.ALLOWED_HOSTS)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


NUL_REFUSED = "Addresses cannot contain the NUL character (%00)."


class RefuseNulMiddleware:
    """A NUL in the path or the query string is refused with a 400 before any view sees it: PostgreSQL
    cannot compare text holding one (it fails the query), and no title, name or search can contain one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            if request.path_info.startswith(MACHINE_PREFIXES):
                return error(400, NUL_REFUSED)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
