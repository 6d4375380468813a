"""/api/v1/programs: the funding tracker, read-only. Programs (paged, filtered by level, state and status),
one program with its yearly amounts, status history and impact report totals, and a program's impact: totals
per state and the reports themselves. Writes go through the site's forms (trusted members and admins)."""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from districtwiki.advocacy import funding_actions, impact_reports
from districtwiki.advocacy.models import FundingProgram, ProgramAmount, ProgramStatusChange

from ..schemas import COMMON_ERRORS, MAX_OFFSET, Error

router = Router(tags=["funding programs"])
HISTORY_LIMIT = 100


class ProgramSummary(Schema):
    slug: str
    name: str
    level: str = Field(description="federal or state")
    state: str | None = Field(
        description="Two-letter code of a state program's state; null for a federal one"
    )
    agency: str
    status: str = Field(description="active, proposed-cut, cut or restored")
    url: str = Field(description="The program's page on the site")


class ProgramList(Schema):
    programs: list[ProgramSummary]
    count: int = Field(description="Programs matching the filters, on every page")
    limit: int
    offset: int


class Amount(Schema):
    year: int = Field(description="The year figures are sorted by")
    year_label: str = Field(description="The year as the source names it, e.g. 2024–25")
    amount: int = Field(description="Whole US dollars")
    source_title: str
    source_url: str


class StatusChange(Schema):
    from_status: str
    to_status: str
    changed_at: datetime
    note: str
    source_url: str


class ReportTotals(Schema):
    reports: int = Field(description="Impact report pages (deleted pages are not counted)")
    districts: int = Field(description="Districts reporting (a district reporting several years counts once)")
    states: int
    amount: int = Field(description="Dollars reported, summed over the reports")
    sentence: str


class ProgramDetail(ProgramSummary):
    description: str = Field(description="Markdown")
    description_html: str = Field(description="The description rendered and sanitised")
    amounts: list[Amount] = Field(description="Yearly amounts, oldest first")
    status_history: list[StatusChange] = Field(description="The newest 100 changes, newest first")
    report_totals: ReportTotals


class StateTotals(Schema):
    state: str
    state_name: str
    reports: int
    districts: int
    amount: int


class Report(Schema):
    title: str = Field(description="The report's wiki page")
    url: str
    year: int
    amount: int
    state: str
    district_size: str | None


class ProgramImpact(Schema):
    program: str = Field(description="The program's slug")
    totals: ReportTotals
    by_state: list[StateTotals] = Field(description="The largest total first")
    reports: list[Report] = Field(description="Newest year first; paged by limit and offset")
    limit: int
    offset: int


def summary(program: FundingProgram) -> dict:
    return {
        "slug": program.slug,
        "name": program.name,
        "level": program.level,
        "state": program.state or None,
        "agency": program.agency,
        "status": program.status,
        "url": program.get_absolute_url(),
    }


def totals_out(program: FundingProgram) -> dict:
    totals = impact_reports.totals_for(program)
    return {
        "reports": totals.reports,
        "districts": totals.districts,
        "states": totals.states,
        "amount": totals.amount,
        "sentence": totals.sentence,
    }


@router.get("", response={200: ProgramList, **COMMON_ERRORS})
def list_programs(
    request,
    level: str = Query("", description="federal or state", max_length=20),
    state: str = Query("", description="Two-letter state code", max_length=10),
    status: str = Query("", description="active, proposed-cut, cut or restored", max_length=20),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Funding programs by name, filtered."""
    chosen = funding_actions.clean_filters(level, state, status)
    programs = FundingProgram.objects.filtered(**chosen).order_by("name", "id")
    return {
        "programs": [summary(program) for program in programs[offset : offset + limit]],
        "count": programs.count(),
        "limit": limit,
        "offset": offset,
    }


@router.get("/{slug}", response={200: ProgramDetail, **COMMON_ERRORS, 404: Error})
def get_program(request, slug: str):
    """A program with its yearly amounts (each with its source), its status history and report totals."""
    program = funding_actions.get_program(slug)
    amounts = ProgramAmount.objects.filter(program=program).order_by("year")
    history = ProgramStatusChange.objects.filter(program=program)[:HISTORY_LIMIT]
    return summary(program) | {
        "description": program.description,
        "description_html": program.description_html,
        "amounts": [
            {
                "year": row.year,
                "year_label": row.year_label,
                "amount": row.amount,
                "source_title": row.source_title,
                "source_url": row.source_url,
            }
            for row in amounts
        ],
        "status_history": [
            {
                "from_status": change.from_status,
                "to_status": change.to_status,
                "changed_at": change.changed_at,
                "note": change.note,
                "source_url": change.source_url,
            }
            for change in history
        ],
        "report_totals": totals_out(program),
    }


@router.get("/{slug}/impact", response={200: ProgramImpact, **COMMON_ERRORS, 404: Error})
def program_impact(
    request, slug: str, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=MAX_OFFSET)
):
    """What districts report this program paid for: totals per state and the reports."""
    program = funding_actions.get_program(slug)
    reports = impact_reports.reports_for(program).order_by("-year", "-id")[offset : offset + limit]
    return {
        "program": program.slug,
        "totals": totals_out(program),
        "by_state": [
            {key: row[key] for key in ("state", "state_name", "reports", "districts", "amount")}
            for row in impact_reports.totals_by_state(program)
        ],
        "reports": [
            {
                "title": report.page.title,
                "url": report.page.get_absolute_url(),
                "year": report.year,
                "amount": report.amount,
                "state": report.state,
                "district_size": report.district_size or None,
            }
            for report in reports
        ],
        "limit": limit,
        "offset": offset,
    }
