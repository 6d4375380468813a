"""`{% live_rooms_meta %}`: tells room.js where the live rooms' WebSockets are (settings.WEBSOCKET_PORT:
0 is the page's own address, behind a proxy that routes /ws/; else that port of the page's host; nothing
when no server serves them, and the room stays a plain page)."""

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def live_rooms_meta() -> str:
    if settings.WEBSOCKET_PORT is None:
        return ""
    return format_html('<meta name="live-rooms-port" content="{}">', settings.WEBSOCKET_PORT)
