"""/api/v1/campaigns: the advocacy hub's campaigns, read-only (signing is done on the campaign's page).

A campaign's `status` is `open` until its organizers close it or its deadline day ends (in the site's time
zone); `signatures` counts every signature, named or counted only. No endpoint names a signer.
"""

from datetime import date

from django.db.models import Case, Count, DateField, F, IntegerField, Q, Value, When
from ninja import Field, Query, Router, Schema

from districtwiki.advocacy import campaign_actions
from districtwiki.advocacy.models import Campaign, Signature
from districtwiki.community.states import OUTSIDE_US, STATES

from ..schemas import COMMON_ERRORS, MAX_OFFSET, Error

router = Router(tags=["advocacy"])


class Source(Schema):
    title: str
    url: str


class CampaignSummary(Schema):
    slug: str
    title: str
    url: str = Field(description="The campaign's page, where members sign on")
    deadline: date
    status: str = Field(description="open or closed")
    state: str | None = Field(description="Two-letter state code, or null")
    program: str | None = Field(description="The linked funding program's slug, or null")
    signatures: int = Field(description="Every signature, named or counted only")


class CampaignOut(CampaignSummary):
    audience: str = Field(description="legislature, state-board, district-board or other")
    audience_name: str = Field(description="Who the ask is for, by name")
    district_size: str | None = Field(description="The district size band the ask speaks for, or null")
    body: str = Field(description="The ask, in Markdown")
    body_html: str = Field(description="The ask as sanitised HTML")
    sources: list[Source]
    brief_url: str
    brief_pdf_url: str


class CampaignList(Schema):
    campaigns: list[CampaignSummary]
    total: int = Field(description="How many campaigns match the filters")


def summary(campaign: Campaign, count: int, today) -> dict:
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "url": campaign.get_absolute_url(),
        "deadline": campaign.deadline,
        "status": "open" if campaign.is_open(today) else "closed",
        "state": campaign.state or None,
        "program": campaign.program.slug if campaign.program_id else None,
        "signatures": count,
    }


def clean_state(state: str) -> str:
    state = state.strip().upper()
    if state and (state not in STATES or state == OUTSIDE_US):
        raise campaign_actions.CampaignError(
            f"“{state[:10]}” is not a US state: use a two-letter code such as KS."
        )
    return state


@router.get("", response={200: CampaignList, **COMMON_ERRORS})
def list_campaigns(
    request,
    status: str = Query("", description="open or closed; both when empty", max_length=10),
    state: str = Query("", description="Two-letter state code", max_length=10),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Campaigns, open ones by nearest deadline first, then closed ones by latest deadline first."""
    today, chosen = campaign_actions.today(), clean_state(state)
    campaigns = Campaign.objects.select_related("program")
    if chosen:
        campaigns = campaigns.in_state(chosen)
    if status not in ("", "open", "closed"):
        raise campaign_actions.CampaignError(f"status must be open or closed, not “{status}”.")
    if status:
        campaigns = campaigns.open(today) if status == "open" else campaigns.closed(today)
    ordered = sorted_campaigns(campaigns, today)
    page = ordered[offset : offset + limit]
    counts = signature_counts([campaign.pk for campaign in page])
    return {
        "campaigns": [summary(campaign, counts.get(campaign.pk, 0), today) for campaign in page],
        "total": ordered.count(),
    }


def sorted_campaigns(campaigns, today):
    """Open ones soonest deadline first, then closed ones latest deadline first, stable for paging."""
    is_open = Q(status=Campaign.Status.OPEN, deadline__gte=today)
    return campaigns.annotate(
        closed_rank=Case(When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField()),
        open_deadline=Case(When(is_open, then=F("deadline")), output_field=DateField()),
        closed_deadline=Case(When(~is_open, then=F("deadline")), output_field=DateField()),
    ).order_by(
        "closed_rank",
        F("open_deadline").asc(nulls_last=True),
        F("closed_deadline").desc(nulls_last=True),
        "id",
    )


def signature_counts(campaign_ids: list[int]) -> dict[int, int]:
    rows = (
        Signature.objects.filter(campaign_id__in=campaign_ids).values("campaign_id").annotate(n=Count("id"))
    )
    return {row["campaign_id"]: row["n"] for row in rows.order_by()}


@router.get("/{slug}", response={200: CampaignOut, **COMMON_ERRORS, 404: Error})
def get_campaign(request, slug: str):
    campaign = campaign_actions.get_campaign(slug)
    today = campaign_actions.today()
    count = Signature.objects.filter(campaign=campaign).count()
    return summary(campaign, count, today) | {
        "audience": campaign.audience,
        "audience_name": campaign.audience_name,
        "district_size": campaign.district_size or None,
        "body": campaign.body,
        "body_html": campaign.body_html,
        "sources": campaign.sources,
        "brief_url": f"{campaign.get_absolute_url()}/brief",
        "brief_pdf_url": f"{campaign.get_absolute_url()}/brief.pdf",
    }
