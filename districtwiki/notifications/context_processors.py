"""The header's notification bell. The unread count is counted only when a template shows it, and at most
once per page: one query for a signed-in member, none for a visitor."""

from functools import cached_property

from .models import Notification


class Bell:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return Notification.objects.filter(user=self.user).unread().count()


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": Bell(user)}
