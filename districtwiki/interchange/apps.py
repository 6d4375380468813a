from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "districtwiki.interchange"
    label = "interchange"
    verbose_name = "Interchange: MediaWiki API and dumps, Markdown folders, offline copies"
