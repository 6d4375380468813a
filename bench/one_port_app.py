"""The one-port set-up bench/serving.py measures (not shipped): granian's ASGI interface for pages and
WebSockets alike, HTTP handed to the WSGI application through a2wsgi (which runs it in a thread pool)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")

from a2wsgi import WSGIMiddleware  # after the settings module is named

from districtwiki.asgi import application as live_rooms
from districtwiki.wsgi import application as wsgi_application

pages = WSGIMiddleware(wsgi_application, workers=8)  # the 8 request threads `serve` gives each worker


async def application(scope, receive, send):
    if scope["type"] == "websocket":
        return await live_rooms(scope, receive, send)
    return await pages(scope, receive, send)
