"""The ASGI application of the live rooms' server process (`districtwiki serve` runs it beside the WSGI
workers; DESIGN.md, Serving). WebSockets go to the events app's consumers; the only HTTP address is the
relay through which the WSGI workers publish to the in-memory channel layer (events/live.py)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
django.setup(set_prefix=False)

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs the settings above)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from districtwiki.events import live, routing  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": live.relay_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(routing.websocket_urlpatterns))
        ),
    }
)
