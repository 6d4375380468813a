from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "districtwiki.events"
    label = "events"
    verbose_name = "Live events and chat rooms"

    def ready(self) -> None:
        from . import live

        live.connect_signals()
