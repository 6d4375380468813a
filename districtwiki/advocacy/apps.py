from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "districtwiki.advocacy"
    label = "advocacy"
    verbose_name = "Advocacy: surveys, funding programs, impact reports and campaigns"

    def ready(self) -> None:
        from districtwiki.content import home

        from ..wiki.signals import revision_saved
        from .compare import home_card
        from .impact_reports import index_revision

        # Impact report pages are indexed on every save (impact_reports.py).
        revision_saved.connect(index_revision, dispatch_uid="advocacy.index_impact_report")
        home.register_member_card(home_card)  # "how you compare" on the member's home page
