from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "districtwiki.events"
    label = "events"
    verbose_name = "Live events and chat rooms"

    def ready(self) -> None:
        from districtwiki.notifications import worker

        from . import actions, live

        # Every worker pass (each minute) ends the events past their end and grace period.
        worker.register_pass_task(actions.end_due_now)
        live.connect_signals()  # changes reach the live rooms once committed; suspensions disconnect
