from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DiscussionsConfig(AppConfig):
    name = "districtwiki.discussions"
    label = "discussions"
    verbose_name = "Discussions and moderation"

    def ready(self):
        from districtwiki.wiki.pagecache import watch_fields

        from .models import Thread

        # The page view counts a page's open threads.
        touch = watch_fields("status", "page")
        post_save.connect(touch, sender=Thread, weak=False, dispatch_uid="pagecache.thread_saved")
        post_delete.connect(touch, sender=Thread, weak=False, dispatch_uid="pagecache.thread_deleted")
