from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "districtwiki.advocacy"
    label = "advocacy"
    verbose_name = "Advocacy: surveys, funding programs, impact reports and campaigns"
