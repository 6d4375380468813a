"""WebSocket addresses of the live rooms: /ws/rooms/<room id or slug>/ (nginx routes /ws/ to the ASGI
processes, docs/deploy.md)."""

from django.urls import re_path

from .consumers import RoomConsumer

websocket_urlpatterns = [
    re_path(r"^ws/rooms/(?P<room>[0-9]{1,18}|[-a-zA-Z0-9_]{1,80})/$", RoomConsumer.as_asgi()),
]
