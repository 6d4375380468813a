"""Funding programs (federal and state) that pay for technology in small districts: their yearly amounts
with sources, their status and its history, who watches them, members' "at risk" alerts, and the index of
impact reports (wiki pages, indexed from their data block by advocacy/impact_reports.py)."""

from django.conf import settings
from django.db import models

from districtwiki.community.states import STATE_CHOICES

FEDERAL_WITHOUT_STATE = models.Q(level="federal", state="")
STATE_WITH_STATE = models.Q(level="state") & ~models.Q(state="")
# Years a figure may be given for: school and fiscal years of programs that exist or existed (E-Rate began
# in 1998), with room for a budget proposal a few years ahead.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# The largest amount one figure may state, in dollars: above any federal education program's yearly total.
MAX_AMOUNT = 100_000_000_000


class FundingProgramQuerySet(models.QuerySet):
    def at_risk(self):
        """Programs proposed for a cut or cut: what the hub and alerts are about."""
        return self.filter(status__in=[FundingProgram.Status.PROPOSED_CUT, FundingProgram.Status.CUT])

    def filtered(self, level: str = "", state: str = "", status: str = ""):
        programs = self
        if level:
            programs = programs.filter(level=level)
        if state:
            programs = programs.filter(state=state)
        if status:
            programs = programs.filter(status=status)
        return programs


class FundingProgram(models.Model):
    class Level(models.TextChoices):
        FEDERAL = "federal", "Federal"
        STATE = "state", "State"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PROPOSED_CUT = "proposed-cut", "Proposed cut"
        CUT = "cut", "Cut"
        RESTORED = "restored", "Restored"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    # Blank for a federal program; the two-letter code of the state for a state one.
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)
    agency = models.CharField("administering agency", max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(max_length=20_000, blank=True)  # Markdown, the wiki's renderer
    description_html = models.TextField(blank=True)  # rendered and sanitised on save
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = FundingProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=FEDERAL_WITHOUT_STATE | STATE_WITH_STATE,
                name="advocacy_program_state_matches_level",
            )
        ]
        indexes = [models.Index(fields=["status", "name"], name="advocacy_program_status")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/advocacy/programs/{self.slug}"


class ProgramAmount(models.Model):
    """What a program gave out (or was budgeted) in one year, with the source that says so."""

    program = models.ForeignKey(FundingProgram, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(
        help_text="The year the figure is sorted by (a fiscal year's end)"
    )
    year_label = models.CharField(max_length=20, help_text="As the source names it: 2024–25, FY2025")
    amount = models.PositiveBigIntegerField(help_text="Whole dollars")
    source_url = models.URLField(max_length=500)
    source_title = models.CharField(max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["program", "year"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="advocacy_amount_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(amount__lte=MAX_AMOUNT, year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="advocacy_amount_in_bounds",
            ),
            models.CheckConstraint(condition=~models.Q(source_url=""), name="advocacy_amount_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.year_label}: ${self.amount:,}"


class ProgramStatusChange(models.Model):
    """One step of a program's status history; every step names the source that reports it."""

    program = models.ForeignKey(FundingProgram, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=FundingProgram.Status.choices)
    to_status = models.CharField(max_length=20, choices=FundingProgram.Status.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source_url=""), name="advocacy_status_change_has_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.from_status} → {self.to_status}"


class ProgramWatch(models.Model):
    program = models.ForeignKey(FundingProgram, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="advocacy_one_watch")]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.program_id}"


class ProgramAlert(models.Model):
    """A member's warning that a program is at risk, with the source that says so."""

    program = models.ForeignKey(FundingProgram, on_delete=models.CASCADE, related_name="alerts")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"alert on {self.program_id} by {self.member_id}"


class ImpactReportQuerySet(models.QuerySet):
    def live(self):
        """Reports whose page is not deleted (deleting a page is reversible, so its row stays)."""
        return self.filter(page__deleted_at__isnull=True)


class ImpactReport(models.Model):
    """The index row of one impact report page: written from the page's data block on every save, so that
    listings and totals are queries on this table, never a parse of pages."""

    page = models.OneToOneField("wiki.Page", on_delete=models.CASCADE, related_name="impact_report")
    program = models.ForeignKey(FundingProgram, on_delete=models.CASCADE, related_name="impact_reports")
    year = models.PositiveSmallIntegerField()
    amount = models.PositiveBigIntegerField()
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    district_size = models.CharField(max_length=20, blank=True)
    # Who reports: the district's name as the page gives it, lower-cased, so that one district's reports
    # for several years count as one district in the totals; "page:<id>" when the page names none.
    district_key = models.CharField(max_length=200)
    updated_at = models.DateTimeField()

    objects = ImpactReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["program", "state"], name="advocacy_report_program_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__lte=MAX_AMOUNT, year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="advocacy_report_in_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"impact report {self.page_id} on {self.program_id}"
