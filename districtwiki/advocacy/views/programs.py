"""/advocacy/programs/: the funding tracker's pages. The list (filtered by level, state and status), a
program's public page, the program form (new, edit), and the forms for a year's amount, a status change,
an "at risk" alert, watching and an impact report.

The program page is put together from its own parts and from sections other parts of the hub register
(`register_program_section`): the survey's figures for the program's state and the open campaigns that link
the program add themselves there without this module knowing them.
"""

from collections.abc import Callable

from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.community.models import Profile
from districtwiki.community.states import OUTSIDE_US, STATES, state_name
from districtwiki.paging import answer_bad_pages, paginate
from districtwiki.wiki.actions import WikiError
from districtwiki.wiki.views.errors import translate_errors

from .. import charts, funding_actions, impact_reports
from ..models import FundingProgram, ProgramAlert, ProgramAmount, ProgramStatusChange

PROGRAMS_PER_PAGE = 25
REPORTS_PER_PAGE = 20
RECENT_ALERTS = 5
HISTORY_SHOWN = 50  # the newest status changes; a program changes status a few times a year

# --- Sections other parts add to a program's page -------------------------------------------------------

# Each provider takes (request, program) and returns None (nothing to show) or a dict with a `heading` (the
# page gives it an <h2>), a `template` to include under it and whatever that template reads; `order` places
# it among the others. `name` is a slug: it names the section's heading id.
ProgramSectionProvider = Callable[..., dict | None]
_section_providers: list[tuple[int, str, ProgramSectionProvider]] = []


def register_program_section(name: str, provider: ProgramSectionProvider, order: int = 100) -> None:
    """Add a section to every program page (registering the same name again replaces it). Call from an app's
    ready()."""
    unregister_program_section(name)
    _section_providers.append((order, name, provider))
    _section_providers.sort(key=lambda entry: (entry[0], entry[1]))


def unregister_program_section(name: str) -> None:
    _section_providers[:] = [entry for entry in _section_providers if entry[1] != name]


def sections_for(request, program: FundingProgram) -> list[dict]:
    sections = []
    for _order, name, provider in _section_providers:
        section = provider(request, program)
        if section:
            sections.append({"name": name, **section})
    return sections


# --- The list -------------------------------------------------------------------------------------------


def state_choices() -> list[tuple[str, str]]:
    return sorted((code, name) for code, name in STATES.items() if code != OUTSIDE_US)


def list_filters(request) -> dict:
    return funding_actions.clean_filters(
        request.GET.get("level"), request.GET.get("state"), request.GET.get("status")
    )


@require_GET
@answer_bad_pages
@translate_errors
def program_list(request):
    chosen = list_filters(request)
    programs = FundingProgram.objects.filtered(**chosen).order_by("name", "id")
    context = {
        "programs": paginate(request, programs, PROGRAMS_PER_PAGE),
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "levels": FundingProgram.Level.choices,
        "statuses": FundingProgram.Status.choices,
        "states": state_choices(),
        "can_manage": funding_actions.can_manage_programs(request.user),
    }
    return render(request, "advocacy/program_list.html", context)


# --- A program's page -----------------------------------------------------------------------------------


@require_GET
@answer_bad_pages
@translate_errors
def program_page(request, slug):
    program = funding_actions.get_program(slug)
    amounts = list(ProgramAmount.objects.filter(program=program).order_by("year"))
    context = {
        "program": program,
        "amounts": amounts,
        "amounts_chart": amounts_chart(program, amounts),
        "amounts_unit": chart_unit(max((a.amount for a in amounts), default=0))[1],
        "history": list(ProgramStatusChange.objects.filter(program=program)[:HISTORY_SHOWN]),
        "alerts": list(ProgramAlert.objects.filter(program=program)[:RECENT_ALERTS]),
        "totals": impact_reports.totals_for(program),
        "state_totals": impact_reports.totals_by_state(program),
        "reports": paginate(request, impact_reports.reports_for(program), REPORTS_PER_PAGE),
        "state_name": state_name(program.state) if program.state else "",
        "sections": sections_for(request, program),
        "can_manage": funding_actions.can_manage_programs(request.user),
        "watching": funding_actions.is_watching(program, request.user),
        "signed_in": request.user.is_authenticated,
    }
    return render(request, "advocacy/program.html", context)


def amounts_chart(program: FundingProgram, amounts: list[ProgramAmount]):
    if len(amounts) < 2:
        return None  # one figure is a sentence, not a chart: the table says it
    first, last = amounts[0], amounts[-1]
    description = (
        f"{program.name} by year, from ${first.amount:,} in {first.year_label} "
        f"to ${last.amount:,} in {last.year_label}. The table beside the chart gives every figure."
    )
    divisor, unit = chart_unit(max(amount.amount for amount in amounts))
    # Bars, one a year: the figures are yearly totals, not points on a continuous line.
    return charts.bar_chart(
        f"amounts-{program.slug}",
        f"{program.name}: amounts by year ({unit})",
        description,
        [amount.year_label for amount in amounts],
        {unit.capitalize(): [round(amount.amount / divisor, 2) for amount in amounts]},
    )


def chart_unit(largest: int) -> tuple[int, str]:
    """The unit the chart's axis counts in, so that its labels read 400 rather than 400000."""
    if largest >= 10_000_000:
        return 1_000_000, "millions of dollars"
    if largest >= 10_000:
        return 1_000, "thousands of dollars"
    return 1, "dollars"


# --- The program form -----------------------------------------------------------------------------------


def program_values(program: FundingProgram) -> dict:
    return {
        "name": program.name,
        "slug": program.slug,
        "level": program.level,
        "state": program.state,
        "agency": program.agency,
        "description": program.description,
    }


def render_program_form(request, values, program=None, error: str = "", status: int = 200):
    context = {
        "values": values,
        "program": program,
        "error": error,
        "levels": FundingProgram.Level.choices,
        "states": state_choices(),
    }
    return render(request, "advocacy/program_form.html", context, status=status)


def signed_in_or_login(request):
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


@require_http_methods(["GET", "POST"])
@translate_errors
def create_program(request):
    if (login := signed_in_or_login(request)) is not None:
        return login
    funding_actions.check_can_manage_programs(request.user)
    if request.method == "POST":
        try:
            details = funding_actions.clean_program(request.POST)
            program = funding_actions.create_program(request.user, details)
        except funding_actions.FundingError as refusal:
            return render_program_form(request, request.POST, None, str(refusal), refusal.status)
        flash.success(request, f"“{program.name}” is added: give its yearly amounts below.")
        return redirect(program.get_absolute_url())
    return render_program_form(request, {"level": FundingProgram.Level.STATE})


@require_http_methods(["GET", "POST"])
@translate_errors
def edit_program(request, slug):
    if (login := signed_in_or_login(request)) is not None:
        return login
    program = funding_actions.get_program(slug)
    funding_actions.check_can_manage_programs(request.user)
    if request.method == "POST":
        try:
            details = funding_actions.clean_program(request.POST, program)
            funding_actions.update_program(program, request.user, details)
        except funding_actions.FundingError as refusal:
            return render_program_form(request, request.POST, program, str(refusal), refusal.status)
        flash.success(request, "The program is updated.")
        return redirect(program.get_absolute_url())
    return render_program_form(request, program_values(program), program)


# --- Amounts and status ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@translate_errors
def add_amount(request, slug):
    if (login := signed_in_or_login(request)) is not None:
        return login
    program = funding_actions.get_program(slug)
    funding_actions.check_can_manage_programs(request.user)
    return program_form(
        request,
        program,
        funding_actions.add_amount,
        "advocacy/program_amount_form.html",
        lambda row: f"The figure for {row.year_label} is added.",
    )


@require_POST
@translate_errors
def remove_amount(request, slug, amount_id):
    if (login := signed_in_or_login(request)) is not None:
        return login
    program = funding_actions.get_program(slug)
    funding_actions.remove_amount(program, request.user, amount_id)
    flash.success(request, "The figure is removed.")
    return redirect(program.get_absolute_url())


@require_http_methods(["GET", "POST"])
@translate_errors
def change_status(request, slug):
    if (login := signed_in_or_login(request)) is not None:
        return login
    program = funding_actions.get_program(slug)
    funding_actions.check_can_manage_programs(request.user)
    return program_form(
        request,
        program,
        funding_actions.change_status,
        "advocacy/program_status_form.html",
        lambda change: (
            f"{program.name} is now {change.get_to_status_display().lower()}; "
            "its watchers and state have been told."
        ),
        statuses=FundingProgram.Status.choices,
    )


def program_form(request, program: FundingProgram, write, template: str, said, **extra) -> HttpResponse:
    """A program's small form: GET shows it; POST runs the action `write` and returns to the program with
    `said(result)`, or shows the action's refusal beside what was typed."""
    error, status = "", 200
    if request.method == "POST":
        try:
            done = write(program, request.user, request.POST)
        except funding_actions.FundingError as refusal:
            error, status = str(refusal), refusal.status
        else:
            flash.success(request, said(done))
            return redirect(program.get_absolute_url())
    context = {"program": program, "values": request.POST, "error": error, **extra}
    return render(request, template, context, status=status)


# --- Watching, alerts and impact reports ----------------------------------------------------------------


@require_POST
@translate_errors
def watch(request, slug):
    return set_watch(request, slug, True)


@require_POST
@translate_errors
def unwatch(request, slug):
    return set_watch(request, slug, False)


def set_watch(request, slug, watching: bool):
    if (login := signed_in_or_login(request)) is not None:
        return login
    program = funding_actions.get_program(slug)
    funding_actions.set_watch(program, request.user, watching)
    if watching:
        flash.success(
            request, f"You will hear when {program.name} changes status or someone warns it is at risk."
        )
    else:
        flash.success(request, f"You no longer watch {program.name}.")
    return redirect(program.get_absolute_url())


@require_http_methods(["GET", "POST"])
@translate_errors
def raise_alert(request, slug):
    if (login := signed_in_or_login(request)) is not None:
        return login
    program = funding_actions.get_program(slug)
    error, status = "", 200
    if request.method == "POST":
        try:
            funding_actions.raise_alert(program, request.user, request.POST)
        except funding_actions.FundingError as refusal:
            error, status = str(refusal), refusal.status
        else:
            flash.success(
                request, "Thank you: the program's watchers and its state's members have been told."
            )
            return redirect(program.get_absolute_url())
    context = {"program": program, "values": request.POST, "error": error}
    return render(request, "advocacy/program_alert_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@translate_errors
def file_report(request, slug):
    if (login := signed_in_or_login(request)) is not None:
        return login
    program = funding_actions.get_program(slug)
    values, error, status = impact_reports.profile_defaults(request.user), "", 200
    if request.method == "POST":
        values = request.POST
        try:
            page = impact_reports.file_report(program, request.user, request.POST)
        except WikiError as refusal:  # the report's own refusals, and the wiki's (rate limit, size)
            error, status = str(refusal), refusal.status
        else:
            flash.success(
                request, "Your report is published as a wiki page: anyone can add to it and discuss it."
            )
            return redirect(page.get_absolute_url())
    context = {
        "program": program,
        "values": values,
        "error": error,
        "states": state_choices(),
        "sizes": Profile.DistrictSize.choices,
    }
    return render(request, "advocacy/impact_report_form.html", context, status=status)
