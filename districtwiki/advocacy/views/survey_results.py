"""A survey's published results (anyone), their CSV files, and "how you compare" (the member only)."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from districtwiki.community.states import state_name
from districtwiki.errors import error_page

from .. import compare as comparing
from .. import results_access, results_tables
from ..survey_results import definition_of, min_group

MAX_PARAMETER = 100


def _state_filter(request, periods, breakdown) -> tuple[str, str | None]:
    """The ?state= filter, checked: (state code or "", a sentence for a 400 or None)."""
    state = request.GET.get("state", "")[:MAX_PARAMETER].strip()
    if not state:
        return "", None
    try:
        results_access.parse_group(definition_of(periods[-1]), {"state": state})
    except results_access.UnknownGroup as refusal:
        return "", str(refusal)
    if not breakdown.by_state:
        return "", "The state filter shows a state's rows of a breakdown by state: choose one of those."
    return state, None


@require_GET
def results(request, slug):
    periods = results_access.get_periods(slug)
    default = "state" if request.GET.get("state") else "overall"
    breakdown = results_tables.breakdown_named(request.GET.get("by", default)[:MAX_PARAMETER])
    if breakdown is None:
        return error_page(request, 400, _unknown_breakdown())
    state, refusal = _state_filter(request, periods, breakdown)
    if refusal:
        return error_page(request, 400, refusal)
    shown_list = results_access.shown_periods(periods)
    shown = results_access.pick(shown_list, request.GET.get("period", "")[:MAX_PARAMETER] or None)
    context = {
        "survey_title": definition_of(periods[-1]).title,
        "slug": periods[-1].survey,
        "periods": periods,
        "shown_list": shown_list,
        "shown": shown,
        "breakdowns": [b for b in results_tables.BREAKDOWNS if b.by_state or not state],
        "breakdown": breakdown,
        "state": state,
        "state_label": state_name(state) if state else "",
        "tables": results_tables.tables_for(shown, breakdown, state) if shown else [],
        "not_published": results_tables.unpublished_levels(shown, breakdown) if shown and not state else [],
        "years": results_tables.year_over_year(shown_list) if breakdown.slug == "overall" else [],
        "open_period": next((period for period in periods if period.is_open), None),
        "min_group": shown.min_group if shown else min_group(),
    }
    return render(request, "advocacy/results.html", context)


@require_GET
def results_csv(request, slug):
    periods = results_access.get_periods(slug)
    breakdown = results_tables.breakdown_named(request.GET.get("by", "overall")[:MAX_PARAMETER])
    if breakdown is None:
        return error_page(request, 400, _unknown_breakdown())
    state, refusal = _state_filter(request, periods, breakdown)
    if refusal:
        return error_page(request, 400, refusal)
    shown_list = results_access.shown_periods(periods)
    shown = results_access.pick(shown_list, request.GET.get("period", "")[:MAX_PARAMETER] or None)
    if shown is None:
        return error_page(request, 404, "This survey has no published figures yet.")
    wanted = request.GET.get("table", "")[:MAX_PARAMETER]
    tables = results_tables.tables_for(shown, breakdown, state)
    if breakdown.slug == "overall":
        tables += results_tables.year_over_year(shown_list)
    table = next((t for t in tables if t.id == wanted), None)
    if table is None:
        names = ", ".join(t.id for t in tables)
        return error_page(request, 400, f"There is no table “{wanted[:80]}” here. The tables are: {names}.")
    return _csv_response(table, f"{shown.period.survey}-{shown.period.label}-{breakdown.slug}-{table.id}.csv")


def _unknown_breakdown() -> str:
    names = ", ".join(b.slug for b in results_tables.BREAKDOWNS)
    return f"There is no such breakdown. Choose one of: {names}."


def _csv_response(table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    safe_name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in filename)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    writer = csv.writer(response)
    writer.writerow([table.caption])
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if cell is None else _no_formula(cell) for cell in row])
    return response


def _no_formula(cell):
    # A spreadsheet runs a cell starting with = + - @ as a formula; labels come from the survey file, but
    # the rule costs nothing.
    if isinstance(cell, str) and cell[:1] in {"=", "+", "-", "@"}:
        return "'" + cell
    return cell


@require_GET
@login_required
def compare(request, slug):
    periods = results_access.get_periods(slug)
    context = comparing.comparison(request.user, periods)
    context.update(survey_title=definition_of(periods[-1]).title, slug=periods[-1].survey)
    return render(request, "advocacy/compare.html", context)
