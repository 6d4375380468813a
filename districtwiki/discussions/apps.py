from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DiscussionsConfig(AppConfig):
    name = "districtwiki.discussions"
    label = "discussions"
    verbose_name = "Discussions and moderation"

    def ready(self):
        from districtwiki.wiki.pagecache import watch_fields
        from districtwiki.wiki.tabs import PageTab, register_page_tab

        from .models import Thread
        from .queries import open_thread_count

        # Every page gets a Discussion tab, which counts the page's open threads; the page view caches the
        # count with the page, so saving or deleting a thread moves the page's view stamp on.
        tab = PageTab("talk", "Discussion", "talk", count=open_thread_count, count_label="{} open")
        register_page_tab(tab)
        touch = watch_fields("status", "page")
        post_save.connect(touch, sender=Thread, weak=False, dispatch_uid="pagecache.thread_saved")
        post_delete.connect(touch, sender=Thread, weak=False, dispatch_uid="pagecache.thread_deleted")
