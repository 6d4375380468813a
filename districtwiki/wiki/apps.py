from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "districtwiki.wiki"
    label = "wiki"
    verbose_name = "Wiki"
