from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "districtwiki.content"
    label = "content"
    verbose_name = "Starter knowledge base"
