"""Creating notifications. Every other app notifies through `notify`."""

from .models import Notification


def notify(user, kind: str, text: str, url: str, actor=None) -> Notification | None:
    """Tell `user` about something; nothing when the user is the one who did it or is inactive."""
    if user is None or not user.is_active or (actor is not None and actor.pk == user.pk):
        return None
    return Notification.objects.create(user=user, kind=kind, text=text[:300], url=url[:500], actor=actor)
