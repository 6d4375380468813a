from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "districtwiki.advocacy"
    label = "advocacy"
    verbose_name = "Advocacy: surveys, funding programs, impact reports and campaigns"

    def ready(self):
        from districtwiki.content import home

        from .compare import home_card

        home.register_member_card(home_card)  # "how you compare" on the member's home page
