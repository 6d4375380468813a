from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "districtwiki.events"
    label = "events"
    verbose_name = "Live events and chat rooms"
