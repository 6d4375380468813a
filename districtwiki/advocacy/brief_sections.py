"""The sections the hub's parts contribute to the one-page brief (briefs.SECTION_BUILDERS): the survey's key
figures for the brief's state and size band, the linked program's history, and three impact stories.

Each builder returns a briefs.BriefSection or None when it has nothing true to say. Every text a section
shows is bounded here (a label, a note, an excerpt), so that a section at its largest has a known size and
the brief still fits one page whatever members wrote (tests/test_brief_pdf.py renders the largest).
"""

import re
from urllib.parse import urlsplit

import yaml
from django.conf import settings

from districtwiki.community.states import state_name
from districtwiki.wiki import frontmatter
from districtwiki.wiki.search.text import plain_text

from . import survey_figures
from .briefs import BriefSection, BriefSubject
from .impact_reports import TITLE_PREFIX, InvalidReport, block_source
from .models import ImpactReport, ProgramAmount, ProgramStatusChange
from .survey_figures import clip

HISTORY_SHOWN = 3  # the newest status changes
AMOUNTS_SHOWN = 3  # the latest yearly amounts
STORIES = 3
MAX_NAME = 70  # a program's or a district's name
MAX_SOURCE = 60  # a source's title (its site is shown beside it)
MAX_NOTE = 100  # a status change's note
MAX_FUNDED = 130  # the first sentence or two of what a report says the program paid for
MAX_ENDED = 90  # and of what happened when it ended
NOT_REPORTED = "Not reported yet."


# --- Key figures of the survey -------------------------------------------------------------------------


def key_figures(subject: BriefSubject) -> BriefSection | None:
    figures = survey_figures.key_figures(subject.state, subject.district_size)
    if figures is None:
        return None
    # Heading, the group and period line, a possible note, and the figures three to a row (three lines each).
    rows = -(-len(figures.figures) // 3)
    lines = 3 + (2 if figures.wider_note else 0) + 3 * rows
    context = {"key": figures, "results_url": settings.SITE_URL + figures.results_url}
    return BriefSection("advocacy/brief_key_figures.html", context, lines=lines)


# --- The program's history -----------------------------------------------------------------------------


def program_history(subject: BriefSubject) -> BriefSection | None:
    program = subject.program
    if program is None:
        return None
    changes = list(
        ProgramStatusChange.objects.filter(program=program).order_by("-changed_at", "-id")[:HISTORY_SHOWN]
    )
    amounts = list(ProgramAmount.objects.filter(program=program).order_by("-year")[:AMOUNTS_SHOWN])[::-1]
    if not changes and not amounts:
        return None  # the brief's own facts already give the status; there is no history to add
    context = {
        "program_name": clip(program.name, MAX_NAME),
        "status": program.get_status_display(),
        "changes": [
            {
                "date": change.changed_at,
                "from": change.get_from_status_display(),
                "to": change.get_to_status_display(),
                "note": clip(change.note, MAX_NOTE),
                "source_url": change.source_url,
                "source_host": host_of(change.source_url),
            }
            for change in changes
        ],
        "amounts": [
            {
                "year": amount.year_label,
                "amount": amount.amount,
                "source_title": clip(amount.source_title, MAX_SOURCE),
                "source_url": amount.source_url,
                "source_host": host_of(amount.source_url),
            }
            for amount in amounts
        ],
    }
    # Heading and status line; a change a line or two; a table of a caption, a head and a row an amount.
    lines = 3 + 2 * len(changes) + (len(amounts) + 2 if amounts else 0)
    return BriefSection("advocacy/brief_program_history.html", context, lines=lines)


def host_of(url: str) -> str:
    """The site a source is on, which a printed page can show where a link cannot be followed."""
    host = urlsplit(url).hostname or ""
    return clip(host.removeprefix("www."), 40)


# --- Impact stories ------------------------------------------------------------------------------------


def impact_stories(subject: BriefSubject) -> BriefSection | None:
    reports = ImpactReport.objects.live().select_related("page__latest", "program")
    if subject.program is not None:
        reports = reports.filter(program=subject.program)
        about = "program"
    elif subject.state:
        reports = reports.filter(state=subject.state)
        about = "state"
    else:
        return None
    stories = [story(report) for report in reports.order_by("-year", "-updated_at", "-id")[:STORIES]]
    if not stories:
        return None
    context = {"stories": stories, "about": about, "state_name": state_name(subject.state)}
    # Heading; a story is a paragraph of up to four lines.
    return BriefSection("advocacy/brief_impact_stories.html", context, lines=2 + 4 * len(stories))


def story(report: ImpactReport) -> dict:
    revision = report.page.latest
    html = revision.html if revision else ""
    sections = html_sections(html)
    funded = first_sentences(sections.get("what it paid for") or lead_text(sections), MAX_FUNDED)
    ended = first_sentences(sections.get("when the funding ended", ""), MAX_ENDED)
    return {
        "district": district_of(report),
        "state_name": state_name(report.state) or report.state,
        "year": report.year,
        "amount": report.amount,
        "program_name": clip(report.program.name, MAX_NAME),
        "funded": funded,
        "ended": "" if ended.strip(" .") == NOT_REPORTED.strip(" .") else ended,
        # In full: the PDF's links must lead to the site, not to the document's own address.
        "url": settings.SITE_URL + report.page.get_absolute_url(),
    }


HEADING = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.DOTALL | re.IGNORECASE)
PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)


def html_sections(html: str) -> dict[str, str]:
    """The page's plain text under each second-level heading, by lower-cased heading ("" before the first);
    code blocks (the report's figures) left out."""
    parts = HEADING.split(PRE.sub("", html))
    sections = {"": plain_text(parts[0])}
    for index in range(1, len(parts) - 1, 2):
        name = " ".join(plain_text(parts[index]).split()).lower()
        sections.setdefault(name, plain_text(parts[index + 1]))
    return sections


def lead_text(sections: dict[str, str]) -> str:
    """A page not written from the form: its opening text, else its first section's."""
    return sections.get("") or next((text for text in sections.values() if text), "")


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def first_sentences(text: str, limit: int) -> str:
    """The first sentence, and the second when both fit in `limit` characters; clipped when the first does
    not."""
    text = " ".join(text.split())
    if not text:
        return ""
    sentences = SENTENCE_END.split(text)
    kept = sentences[0]
    if len(sentences) > 1 and len(kept) + 1 + len(sentences[1]) <= limit:
        kept += " " + sentences[1]
    return clip(kept, limit)


def district_of(report: ImpactReport) -> str:
    """The district's name as the page's figures give it; else the page's title."""
    revision = report.page.latest
    try:
        source = block_source(revision.text) if revision else None
        data = yaml.load(source, Loader=frontmatter.BoundedLoader) if source else None
    except (InvalidReport, frontmatter.InvalidFrontMatter, yaml.YAMLError):  # the title still names it
        data = None
    name = data.get("district") if isinstance(data, dict) else None
    if isinstance(name, str) and name.strip():
        return clip(name, MAX_NAME)
    return clip(report.page.title.removeprefix(TITLE_PREFIX), MAX_NAME)
