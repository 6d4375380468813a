from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "districtwiki.community"
    label = "community"
    verbose_name = "Community"
