from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "districtwiki.api"
    label = "api"
    verbose_name = "REST API"
