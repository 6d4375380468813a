from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "districtwiki.events"
    label = "events"
    verbose_name = "Live events and chat rooms"

    def ready(self) -> None:
        from districtwiki.notifications import sections

        from .views import calendars

        # The private calendar feed's address is made and turned off in the notification settings.
        sections.register_settings_section(
            sections.SettingsSection(
                "calendar-feed", "events/calendar_feed_settings.html", calendars.settings_section
            )
        )
