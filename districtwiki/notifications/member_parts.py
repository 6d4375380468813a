"""What the notifications add to a signed-in member's page view (wiki/memberviews.py): the bell's count."""

from django.db import connections

from ..wiki import memberviews
from .models import Notification


def register() -> None:
    quote = connections["default"].ops.quote_name
    table = quote(Notification._meta.db_table)
    # The same rows as Notification.objects.unread() for the member: the bell's count (index user, read_at).
    unread = f"SELECT COUNT(*) FROM {table} n WHERE n.user_id = u.id AND n.read_at IS NULL"
    # Saved rows announce the change; the writers of many rows at once (notify_users, mark_all_read, erasing
    # an account's notifications) announce it themselves, so that a delete need not load every row.
    rows = ((Notification, "user_id"),)
    memberviews.register_fact(memberviews.Fact("unread", unread, rows=rows, deleted=False))
