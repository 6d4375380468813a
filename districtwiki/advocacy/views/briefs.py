"""The one-page briefs: a campaign's (/advocacy/campaigns/<slug>/brief, and .pdf) and a state's from the
survey alone (/advocacy/briefs/<state>, and .pdf; ?size= narrows it to a district size band). The page is
the brief in the site's frame with a print stylesheet; the PDF is the same sheet rendered by WeasyPrint."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from districtwiki.wiki.views.errors import translate_errors

from .. import briefs, campaign_actions, pdf


def campaign_context(request, slug: str) -> dict:
    campaign = campaign_actions.get_campaign(slug)
    return briefs.campaign_brief(campaign, request.build_absolute_uri(campaign.get_absolute_url()))


def state_context(request, code: str) -> dict:
    code = briefs.clean_state(code)
    size = briefs.clean_size(request.GET.get("size", "")[:20])
    page = request.build_absolute_uri(f"/advocacy/briefs/{code}")
    return briefs.state_brief(code, size, page + (f"?size={size}" if size else ""))


@require_GET
@translate_errors
def campaign_brief(request, slug):
    context = campaign_context(request, slug)
    return render(
        request, "advocacy/brief.html", context | {"pdf_url": f"/advocacy/campaigns/{slug}/brief.pdf"}
    )


@require_GET
@translate_errors
def campaign_brief_pdf(request, slug):
    context = campaign_context(request, slug)
    return pdf_response(request, context, f"{context['campaign'].slug}-brief.pdf")


@require_GET
@translate_errors
def state_brief(request, code):
    context = state_context(request, code)
    pdf_url = f"/advocacy/briefs/{context['state']}.pdf"
    if context["district_size"]:
        pdf_url += f"?size={context['district_size']}"
    return render(request, "advocacy/brief.html", context | {"pdf_url": pdf_url})


@require_GET
@translate_errors
def state_brief_pdf(request, code):
    context = state_context(request, code)
    return pdf_response(request, context, f"{context['state'].lower()}-brief.pdf")


def pdf_response(request, context: dict, filename: str) -> HttpResponse:
    def html_at(density: str) -> str:
        return render_to_string(
            "advocacy/brief_document.html", context | {"density": density}, request=request
        )

    body = pdf.cached_brief(html_at, context["density"])
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'  # the link says download
    return response
