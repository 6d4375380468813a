from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "districtwiki.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from ..wiki import bulk
        from ..wiki.signals import revision_saved
        from . import member_parts
        from .receivers import on_revision_saved, watches_added_together

        revision_saved.connect(on_revision_saved, dispatch_uid="notifications.on_revision_saved")
        bulk.once_per_chunk(watches_added_together)
        member_parts.register()
