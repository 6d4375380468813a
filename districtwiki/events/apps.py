from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "districtwiki.events"
    label = "events"
    verbose_name = "Live events and chat rooms"

    def ready(self) -> None:
        from districtwiki.notifications import sections, worker

        from . import actions, live, reminders
        from .views import calendars

        # Every worker pass (each minute) ends the events past their end and grace period (writing their
        # transcripts), and sends the reminders that are due, before the digests that carry them.
        worker.register_pass_step("end due events", actions.end_due_now)
        worker.register_pass_step("event reminders", reminders.send_due_reminders)
        # The private calendar feed's address is made and turned off in the notification settings.
        sections.register_settings_section(
            sections.SettingsSection(
                "calendar-feed", "events/calendar_feed_settings.html", calendars.settings_section
            )
        )
        live.connect_signals()  # changes reach the live rooms once committed; suspensions disconnect
