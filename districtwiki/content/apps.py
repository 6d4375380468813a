from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ContentConfig(AppConfig):
    name = "districtwiki.content"
    label = "content"
    verbose_name = "Starter knowledge base"

    def ready(self):
        from districtwiki.wiki.pagecache import watch_fields

        from .models import StarterPage

        # The page view offers a waiting starter-page update.
        touch = watch_fields("pending_text", "pending_sha1")
        post_save.connect(touch, sender=StarterPage, weak=False, dispatch_uid="pagecache.starter_saved")
        post_delete.connect(touch, sender=StarterPage, weak=False, dispatch_uid="pagecache.starter_deleted")
