from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "districtwiki.discussions"
    label = "discussions"
    verbose_name = "Discussions and moderation"
