from django.apps import AppConfig
from django.db.models.signals import post_save


class WikiConfig(AppConfig):
    name = "districtwiki.wiki"
    label = "wiki"
    verbose_name = "Wiki"

    def ready(self):
        from . import pagecache
        from .models import Page

        post_save.connect(pagecache.page_saved, sender=Page, dispatch_uid="pagecache.page_saved")
