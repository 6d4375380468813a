"""/advocacy/campaigns/: the list (open and closed), the form (start, edit), a campaign's page with its
sign-on form and public signatures, signing and withdrawing, closing, and the organizers' CSV of public
signatures."""

import csv
import io

from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.community import rendering
from districtwiki.community.models import Profile
from districtwiki.community.states import OUTSIDE_US, STATES
from districtwiki.paging import answer_bad_pages, paginate
from districtwiki.wiki.views.errors import translate_errors

from .. import campaign_actions as actions
from ..models import Campaign, FundingProgram, Signature

CLOSED_PER_PAGE = 20
SIGNATURES_PER_PAGE = 50
MAX_OPEN_LISTED = 200
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def state_filter(request) -> str:
    state = request.GET.get("state", "").strip().upper()[:2]
    if state and (state not in STATES or state == OUTSIDE_US):
        raise actions.CampaignError(f"“{state}” is not a US state: use a two-letter code such as KS.")
    return state


def us_states() -> list[tuple[str, str]]:
    return sorted(((code, name) for code, name in STATES.items() if code != OUTSIDE_US), key=lambda s: s[1])


@require_GET
@answer_bad_pages
@translate_errors
def campaign_list(request):
    state, today = state_filter(request), actions.today()
    campaigns = Campaign.objects.in_state(state) if state else Campaign.objects.all()
    context = {
        "open_campaigns": list(
            campaigns.open(today).with_counts().order_by("deadline", "id")[:MAX_OPEN_LISTED]
        ),
        "closed": paginate(request, campaigns.closed(today).order_by("-deadline", "-id"), CLOSED_PER_PAGE),
        "state": state,
        "states": us_states(),
        "can_create": actions.can_create(request.user),
        "today": today,
    }
    return render(request, "advocacy/campaign_list.html", context)


@require_GET
@answer_bad_pages
@translate_errors
def campaign_page(request, slug):
    campaign = actions.get_campaign(slug)
    today = actions.today()
    signatures = paginate(request, actions.public_signatures(campaign), SIGNATURES_PER_PAGE)
    context = {
        "campaign": campaign,
        "body_html": rendering.resolved_html(campaign.body_html),
        "is_open": campaign.is_open(today),
        "closed_by_deadline": campaign.closed_by_deadline(today),
        "count": Signature.objects.filter(campaign=campaign).count(),
        "signatures": signatures,
        "lines": actions.signature_lines(signatures.object_list, request.user),
        "mine": actions.signature_of(campaign, request.user),
        "visibilities": Signature.Visibility.choices,
        "can_manage": actions.can_manage(campaign, request.user),
        "organizers": list(campaign.organizers.select_related("profile").order_by("username")),
    }
    return render(request, "advocacy/campaign.html", context)


@require_http_methods(["GET", "POST"])
@translate_errors
def create_campaign(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actions.check_can_create(request.user)
    if request.method == "POST":
        try:
            campaign = actions.create_campaign(request.user, actions.clean_details(request.POST))
        except actions.CampaignError as refusal:
            return render_form(request, request.POST, None, str(refusal), refusal.status)
        flash.success(request, "The campaign is open: share its page so that members can sign on.")
        return redirect(campaign.get_absolute_url())
    return render_form(request, {"organizers": request.user.get_username()}, None)


@require_http_methods(["GET", "POST"])
@translate_errors
def edit_campaign(request, slug):
    campaign = actions.get_campaign(slug)
    actions.check_can_manage(campaign, request.user)
    if request.method == "POST":
        try:
            details = actions.clean_details(request.POST, current=campaign)
            campaign = actions.update_campaign(campaign, request.user, details)
        except actions.CampaignError as refusal:
            return render_form(request, request.POST, campaign, str(refusal), refusal.status)
        flash.success(request, "The campaign is updated.")
        return redirect(campaign.get_absolute_url())
    return render_form(request, form_values(campaign), campaign)


def form_values(campaign: Campaign) -> dict:
    return {
        "title": campaign.title,
        "body": campaign.body,
        "audience": campaign.audience,
        "audience_name": campaign.audience_name,
        "deadline": campaign.deadline.isoformat(),
        "state": campaign.state,
        "district_size": campaign.district_size,
        "program": campaign.program.slug if campaign.program else "",
        "sources": "\n".join(f"{source['title']} {source['url']}" for source in campaign.sources),
        "organizers": " ".join(campaign.organizers.order_by("username").values_list("username", flat=True)),
    }


def render_form(request, values, campaign: Campaign | None, error: str = "", status: int = 200):
    context = {
        "values": values,
        "campaign": campaign,
        "error": error,
        "audiences": Campaign.Audience.choices,
        "states": us_states(),
        "sizes": Profile.DistrictSize.choices,
        "programs": list(FundingProgram.objects.order_by("name").values_list("slug", "name")[:500]),
        "limits": {
            "title": actions.MAX_TITLE,
            "body": actions.MAX_BODY,
            "body_lines": actions.MAX_BODY_LINES,
            "audience_name": actions.MAX_AUDIENCE_NAME,
            "sources": actions.MAX_SOURCES,
        },
        "today": actions.today(),
    }
    return render(request, "advocacy/campaign_form.html", context, status=status)


@require_POST
@translate_errors
def close(request, slug):
    campaign = actions.close_campaign(actions.get_campaign(slug), request.user)
    flash.success(request, "The campaign is closed: no more signatures are taken.")
    return redirect(campaign.get_absolute_url())


@require_POST
@translate_errors
def sign(request, slug):
    campaign = actions.get_campaign(slug)
    signature = actions.sign(campaign, request.user, request.POST.get("visibility", ""))
    if signature.visibility == Signature.Visibility.PUBLIC:
        flash.success(request, "You signed on; your name, role and district are listed below.")
    else:
        flash.success(request, "You signed on; your signature is counted and your name is shown nowhere.")
    return redirect(campaign.get_absolute_url())


@require_POST
@translate_errors
def withdraw(request, slug):
    campaign = actions.get_campaign(slug)
    actions.withdraw(campaign, request.user)
    flash.success(request, "Your signature is withdrawn.")
    return redirect(campaign.get_absolute_url())


@require_GET
@translate_errors
def signatures_csv(request, slug):
    """The public signatures for the organizers to hand over: counted-only ones are never in it."""
    campaign = actions.get_campaign(slug)
    actions.check_can_manage(campaign, request.user, "download its signatures")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Role", "District", "Signed on"])
    for line in actions.signature_lines(actions.public_signatures(campaign).iterator(), request.user):
        writer.writerow(
            [safe_cell(line.name), safe_cell(line.role), safe_cell(line.district), line.signed_at.date()]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-signatures.csv"'
    return response


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice: a leading quote)."""
    return "'" + value if value.startswith(CSV_FORMULA_STARTS) else value
