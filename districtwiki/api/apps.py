from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "districtwiki.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self):
        # Before any URLconf is loaded: the API's routes use it for titles ("{anypath:title}").
        from django.urls import register_converter

        from .converters import AnyPathConverter

        register_converter(AnyPathConverter, "anypath")
