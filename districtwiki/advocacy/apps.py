from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "districtwiki.advocacy"
    label = "advocacy"
    verbose_name = "Advocacy: surveys, funding programs, impact reports and campaigns"

    def ready(self) -> None:
        from districtwiki.content import home

        from ..wiki.signals import revision_saved
        from . import program_sections
        from .compare import home_card
        from .impact_reports import index_revision
        from .views.programs import register_program_section

        # Impact report pages are indexed on every save (impact_reports.py).
        revision_saved.connect(index_revision, dispatch_uid="advocacy.index_impact_report")
        home.register_member_card(home_card)  # "how you compare" on the member's home page
        # A program's page, after its own amounts, history and impact reports (program_sections.py).
        register_program_section("survey-figures", program_sections.survey_section, order=50)
        register_program_section("open-campaigns", program_sections.campaigns_section, order=60)
