"""The one-page brief as a PDF (WeasyPrint): one US Letter page, with the ask and the count, even for the
longest ask the form allows and every contributed section at its largest; nothing fetched but our own
static files."""

import io

import pytest
from pypdf import PdfReader

from conftest import make_user
from districtwiki.advocacy import campaign_actions as actions
from districtwiki.advocacy import funding_actions, impact_reports, pdf
from districtwiki.advocacy.funding_actions import MAX_NOTE
from districtwiki.advocacy.models import PublishedResults
from districtwiki.advocacy.models.funding import MAX_AMOUNT
from districtwiki.advocacy.survey_definitions import MAX_LABEL as MAX_SURVEY_LABEL
from districtwiki.wiki import actions as wiki_actions

from . import hub_world
from .campaign_helpers import campaign_form, make_campaign, make_program, signs

pytestmark = pytest.mark.django_db

LETTER = (612, 792)  # points


def pdf_of(client, url: str) -> PdfReader:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')  # "Download the PDF"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


WORDS = "Our districts lost the grant that paid for the network and the technician we share. " * 40


def longest_body(lines: int, prefix: str) -> str:
    """An ask of exactly MAX_BODY characters in `lines` lines, each starting with `prefix` ("- " makes each
    line a list item, the tallest shape: no line shares a printed line with another)."""
    length = (actions.MAX_BODY - (lines - 1)) // lines
    body = "\n".join(prefix + WORDS[: length - len(prefix) - 1].strip() + "." for _ in range(lines))
    return body + "x" * (actions.MAX_BODY - len(body))


def longest_ask(body: str) -> dict:
    """Every text at its limit: the longest title and audience name, the most sources with the longest
    titles and addresses."""
    url = "https://example.org/" + "budget/" * 40
    sources = "\n".join(
        f"{WORDS[: actions.MAX_SOURCE_TITLE - 2]}{index} {url[: actions.MAX_SOURCE_URL]}"
        for index in range(5)
    )
    return campaign_form(
        title=WORDS[: actions.MAX_TITLE],
        body=body,
        audience_name=WORDS[: actions.MAX_AUDIENCE_NAME],
        program="state-technology-grant",
        sources=sources,
    )


def test_brief_pdf_is_one_letter_page_with_the_ask_and_the_count(client, bob, alice):
    make_program()
    campaign = make_campaign(bob, program="state-technology-grant")
    signs(campaign, alice, "counted")
    signs(campaign, make_user("erin"), "public")
    reader = pdf_of(client, f"/advocacy/campaigns/{campaign.slug}/brief.pdf")
    assert len(reader.pages) == 1
    assert tuple(round(float(side)) for side in reader.pages[0].mediabox[2:]) == LETTER
    text = text_of(reader)
    assert "Put the technology grant back in next year's budget." in text
    assert "2 members signed so far" in text
    assert "State technology grant: proposed cut" in text
    assert "Administered by State Department of Education" in text


LONGEST_SHAPES = {
    "one paragraph": longest_body(actions.MAX_BODY_LINES, ""),
    "a list item a line": longest_body(actions.MAX_BODY_LINES, "- "),
    "list items that wrap": longest_body(actions.MAX_BODY_LINES // 2, "- "),
    "unbroken text": "x" * actions.MAX_BODY,
}


@pytest.mark.parametrize("shape", list(LONGEST_SHAPES))
def test_longest_allowed_ask_still_fits_one_page(client, bob, shape):
    make_program()
    form = longest_ask(LONGEST_SHAPES[shape])
    campaign = actions.create_campaign(bob, actions.clean_details(form))
    assert len(campaign.body) == actions.MAX_BODY
    assert len(campaign.sources) == actions.MAX_SOURCES
    reader = pdf_of(client, f"/advocacy/campaigns/{campaign.slug}/brief.pdf")
    assert len(reader.pages) == 1
    assert "0 members signed so far" in text_of(reader)


def test_state_brief_pdf_says_what_it_contains_when_empty(client, db):
    reader = pdf_of(client, "/advocacy/briefs/KS.pdf")
    assert len(reader.pages) == 1
    assert "No such figures are published on this site yet" in text_of(reader)


def test_fetcher_serves_our_static_files_only():
    assert pdf.static_path(pdf.BASE_URL + "static/advocacy/brief.css").endswith("advocacy/brief.css")
    assert pdf.static_path("https://example.org/static/advocacy/brief.css") is None
    assert pdf.static_path(pdf.BASE_URL + "static/../settings.py") is None
    assert pdf.static_path("file:///etc/passwd") is None


def test_image_in_the_ask_is_not_fetched(bob, monkeypatch):
    fetched = []
    real = pdf.static_path
    monkeypatch.setattr(pdf, "static_path", lambda url: fetched.append(url) or real(url))
    html = '<link rel="stylesheet" href="/static/advocacy/brief.css"><img src="https://example.org/x.png">'
    _, pages = pdf.render_pdf(html)
    assert pages == 1
    assert fetched == [pdf.BASE_URL + "static/advocacy/brief.css", "https://example.org/x.png"]


def test_same_brief_is_rendered_once_and_a_new_signature_renders_again(client, bob, alice, monkeypatch):
    campaign = make_campaign(bob)
    renders = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html: renders.append(html) or real(html))
    url = f"/advocacy/campaigns/{campaign.slug}/brief.pdf"
    first, again = client.get(url).content, client.get(url).content
    signs(campaign, alice)
    after = pdf_of(client, url)
    assert first == again
    assert len(renders) == 2
    assert "1 member signed so far" in text_of(after)


# --- Every section at its largest -----------------------------------------------------------------------

LONG = "Our districts lost the grant that paid for the network and the technician we share " * 10


def largest_sections(ada, bob):
    """A program, survey figures and reports whose every text is at the longest the hub allows, so that each
    contributed section is as large as it can be: the survey's figures for a size band that is not
    published (so the brief says which group it shows instead), three status changes with the longest notes,
    four yearly amounts with the longest labels, titles, addresses and amounts, three impact stories with
    the longest district names and texts."""
    program = hub_world.state_program(
        ada,
        name=LONG[: funding_actions.MAX_NAME],
        slug="state-technology-grant",
        agency=LONG[: funding_actions.MAX_AGENCY],
    )
    url = "https://www.example.org/" + "budget/" * 60
    for year in range(2022, 2026):
        funding_actions.add_amount(
            program,
            ada,
            {
                "year": str(year),
                "year_label": f"FY{year}" + "x" * (funding_actions.MAX_YEAR_LABEL - 6),
                "amount": str(MAX_AMOUNT),
                "source_url": url[:500],
                "source_title": LONG[: funding_actions.MAX_SOURCE_TITLE],
            },
        )
    for status in ("cut", "restored", "proposed-cut"):
        funding_actions.change_status(
            program,
            ada,
            {"status": status, "source_url": url[:500], "note": LONG[:MAX_NOTE]},
        )
    period = hub_world.published_survey()
    period.definition["title"] = LONG[:MAX_SURVEY_LABEL]
    period.save()
    snapshot = PublishedResults.objects.get(period=period)
    for group in snapshot.figures["groups"].values():
        for question in group["questions"]:
            for choice in question.get("choices") or ():
                choice["label"] = LONG[:MAX_SURVEY_LABEL]
    snapshot.save()
    sentences = "A sentence of exactly the kind a member writes about what the money did. " * 60
    for number in range(3):
        # Written as the form writes it, under a shorter title: the form's title (program and district in
        # full) would be longer than a page title may be with both names at their longest.
        form = impact_reports.clean_form(
            program,
            {
                "district": LONG[: impact_reports.MAX_DISTRICT - 1] + str(number),
                "year": str(2020 + number),
                "amount": str(MAX_AMOUNT),
                "state": "KS",
                "funded": sentences[: impact_reports.MAX_SECTION],
                "outcomes": sentences[: impact_reports.MAX_SECTION],
                "consequences": sentences[: impact_reports.MAX_SECTION],
            },
        )
        title = f"Impact reports/Story {number}"
        wiki_actions.save_revision(title, impact_reports.report_text(form), make_user(f"writer{number}"))
    return program


@pytest.mark.parametrize("shape", list(LONGEST_SHAPES))
def test_longest_ask_with_every_section_at_its_largest_fits_one_page(client, ada, bob, shape):
    largest_sections(ada, bob)
    form = longest_ask(LONGEST_SHAPES[shape]) | {"district_size": "2500-10000"}
    campaign = actions.create_campaign(bob, actions.clean_details(form))
    page = client.get(f"/advocacy/campaigns/{campaign.slug}/brief").content.decode()
    for heading in ("What members report", "The program’s history", "What it paid for in districts"):
        assert heading in page
    reader = pdf_of(client, f"/advocacy/campaigns/{campaign.slug}/brief.pdf")
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert "Kansas, all district sizes: 12 respondents" in text
    assert "41 hours" in text and "60%" in text and "1.5 FTE" in text and "$180" in text
    assert "0 members signed so far" in text
    assert "$100,000,000,000 in 2022" in text


def test_state_brief_with_every_section_at_its_largest_fits_one_page(client, ada, bob):
    largest_sections(ada, bob)
    reader = pdf_of(client, "/advocacy/briefs/KS.pdf?size=2500-10000")
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert "Kansas, all district sizes: 12 respondents" in text and "41 hours" in text
    assert "$100,000,000,000 in 2022" in text
