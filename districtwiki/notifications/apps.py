from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "districtwiki.notifications"
    label = "notifications"
    verbose_name = "Notifications"
