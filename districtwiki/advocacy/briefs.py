"""The one-page brief: what a campaign (or a state, from the survey alone) hands to a legislator or a board.

A campaign's brief always has the ask, who it is for, the deadline, the linked program's current status and
agency, the signature count and the sources. Other parts of the hub add their own sections through the
registry below (`SECTION_BUILDERS`): the survey's key figures for the state and size band, the program's
history, three impact stories. Each builder takes the BriefSubject and returns a BriefSection (a template
and its context, and roughly how many printed lines it takes) or None when it has nothing true to say
about that subject; sections print in the registry's order, between the ask and the sources. A state's
brief is made of the registered sections alone (its subject has no campaign and no program).

One page: the campaign's own text is bounded (campaign_actions' limits), and the page is laid out at one of
a few densities (`density_for` estimates which; pdf.render_brief steps down until the PDF is one page).
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from districtwiki.community.models import Profile
from districtwiki.community.rendering import resolved_html
from districtwiki.community.states import OUTSIDE_US, STATES, state_name

from . import campaign_actions
from .models import Campaign, FundingProgram, Signature

DENSITIES = ("regular", "compact", "tight", "dense")
REGULAR_LINES = 34
COMPACT_LINES = 46
TIGHT_LINES = 60


@dataclass(frozen=True)
class BriefSubject:
    """What a brief is about. A campaign's brief has its campaign; a state's brief has only the state."""

    state: str = ""
    district_size: str = ""
    program: FundingProgram | None = None
    campaign: Campaign | None = None


@dataclass(frozen=True)
class BriefSection:
    """One contributed part of a brief: `template` is rendered with `context` (plus `subject`). It renders
    a <section> headed by an <h2>, which brief.css styles like the brief's own parts; sizes in em, so that
    the densities scale it."""

    template: str
    context: dict = field(default_factory=dict)
    # A rough size in printed lines, so that the page can choose a denser layout before rendering.
    lines: int = 6


# The registry, in print order: the dotted paths of the builders other parts of the hub contribute, e.g.
# "districtwiki.advocacy.survey_briefs.key_figures". Each is a function (BriefSubject) -> BriefSection | None;
# they are imported when a brief is made, so this module imports none of the parts that plug into it.
SECTION_BUILDERS: list[str] = [
    "districtwiki.advocacy.brief_sections.key_figures",
    "districtwiki.advocacy.brief_sections.program_history",
    "districtwiki.advocacy.brief_sections.impact_stories",
]


def section_builders() -> list:
    return [import_string(path) for path in SECTION_BUILDERS]


def sections_for(subject: BriefSubject) -> list[BriefSection]:
    return [section for builder in section_builders() if (section := builder(subject)) is not None]


def rendered_sections(subject: BriefSubject, sections: list[BriefSection]) -> list[str]:
    # Each section's own template, autoescaped like every page.
    return [
        mark_safe(render_to_string(section.template, {**section.context, "subject": subject}))
        for section in sections
    ]


# --- A campaign's brief ---------------------------------------------------------------------------------


def subject_of(campaign: Campaign) -> BriefSubject:
    return BriefSubject(
        state=campaign.state,
        district_size=campaign.district_size,
        program=campaign.program,
        campaign=campaign,
    )


def campaign_brief(campaign: Campaign, page_url: str) -> dict:
    """The context of advocacy/brief_sheet.html for a campaign; `page_url` is the campaign's address, which
    the printed page names so that a reader can find it."""
    subject = subject_of(campaign)
    sections = sections_for(subject)
    today = campaign_actions.today()
    return {
        "kind": "campaign",
        "campaign": campaign,
        "title": campaign.title,
        "body_html": mark_safe(resolved_html(campaign.body_html)),  # sanitised when saved
        "audience": f"{campaign.audience_name} ({campaign.get_audience_display().lower()})",
        "state_name": state_name(campaign.state),
        "size_label": Profile.DistrictSize(campaign.district_size).label if campaign.district_size else "",
        "program": campaign.program,
        "signatures": Signature.objects.filter(campaign=campaign).count(),
        "is_open": campaign.is_open(today),
        "sources": campaign.sources,
        "sections": rendered_sections(subject, sections),
        "page_url": page_url,
        "today": today,
        "density": density_for(campaign_lines(campaign) + sum(section.lines for section in sections)),
    }


def campaign_lines(campaign: Campaign) -> int:
    """Printed lines the campaign's own variable text takes at the regular density, roughly: about 95
    characters a line of the ask, 50 of the title (larger type, counted twice), 40 of the audience's
    box and 120 of the (smaller) sources."""
    body = sum(len(line) // 95 + 1 for line in campaign.body.splitlines())
    title = 2 * (len(campaign.title) // 50 + 1)
    audience = len(campaign.audience_name) // 40 + 1
    sources = sum((len(source["title"]) + len(source["url"])) // 120 + 1 for source in campaign.sources)
    return body + title + audience + sources


def density_for(lines: int) -> str:
    """The density at which this many variable lines fit beside the brief's fixed parts (calibrated on the
    longest asks test_brief_pdf.py renders)."""
    if lines <= REGULAR_LINES:
        return "regular"
    if lines <= COMPACT_LINES:
        return "compact"
    if lines <= TIGHT_LINES:
        return "tight"
    return "dense"


# --- A state's brief ------------------------------------------------------------------------------------


def clean_state(code: str) -> str:
    code = (code or "").upper()
    if code not in STATES or code == OUTSIDE_US:
        raise campaign_actions.CampaignError(
            f"“{code[:10]}” is not a US state: use a two-letter code such as KS."
        )
    return code


def clean_size(size: str) -> str:
    return campaign_actions.clean_district_size(size)


def state_brief(state: str, district_size: str, page_url: str) -> dict:
    subject = BriefSubject(state=state, district_size=district_size)
    sections = sections_for(subject)
    return {
        "kind": "state",
        "title": f"Small-district technology in {state_name(state)}",
        "state": state,
        "state_name": state_name(state),
        "size_label": Profile.DistrictSize(district_size).label if district_size else "",
        "district_size": district_size,
        "sections": rendered_sections(subject, sections),
        "page_url": page_url,
        "today": campaign_actions.today(),
        "density": density_for(sum(section.lines for section in sections)),
    }
