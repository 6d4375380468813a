"""The claims ledger: every figure on a starter page is quoted by a sourced claim, and reviewers see them."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from districtwiki.content import checks, claims, loader

URL = "https://www.usac.org/e-rate/applicant-process/"
PAGE = """---
audience: [coordinator]
district_size: [any]
reviewed: 2026-11-01
review_every: 12
time_sensitive: true
sources:
  - {{title: "Applicant process", publisher: "USAC", date: "2026", url: "{url}"}}
---
{body}

## Sources

- USAC, Applicant process, 2026 (a figure here such as 2026 is not a claim).
"""
BODY = (
    "Wait at least 28 days after the Form 470 is posted. The floor is $30,175 per school for FY2026–2030. "
    "See [[FY2099 page]] and [the notice](https://example.org/2031)."
)


def ledger(*claim_items, sources=None) -> str:
    sources = (
        sources or f'usac: {{title: "Applicant process", publisher: "USAC", date: "2026", url: "{URL}"}}'
    )
    lines = ["sources:", f"  {sources}", "claims:"]
    for text, status in claim_items:
        lines += [
            f'  - claim: "{text}"',
            "    source: usac",
            "    checked: 2026-12-01",
            f"    status: {status}",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A throw-away content folder with one page, "Deadlines", and its (absent) ledger."""
    pages, ledgers = tmp_path / "pages", tmp_path / "claims"
    pages.mkdir()
    ledgers.mkdir()
    monkeypatch.setattr(loader, "PAGES_DIR", pages)
    monkeypatch.setattr(claims, "CLAIMS_DIR", ledgers)
    (pages / "Deadlines.md").write_text(PAGE.format(url=URL, body=BODY), encoding="utf-8")

    def problems(ledger_text: str | None = None) -> list[str]:
        if ledger_text is not None:
            (ledgers / "Deadlines.yaml").write_text(ledger_text, encoding="utf-8")
        return claims.check(loader.shipped_pages())

    return problems


def test_figures_are_amounts_dates_durations_and_citations_not_link_targets_or_sources():
    text = claims.claimable_text(
        PAGE.format(url=URL, body=BODY + " Under 34 CFR 99.31(a)(1). On June 4, 2025.")
    )
    assert sorted(claims.figures(text)) == sorted(
        ["28day", "$30,175", "fy2026-2030", "34cfr99.31(a)(1)", "june4,2025"]
    )
    assert claims.figure_key("28-day") == claims.figure_key("28 days")


def test_a_page_without_a_ledger_fails(site):
    assert site() == ["Deadlines.md: no claims ledger (Deadlines.yaml)"]


def test_every_figure_needs_a_claim_that_quotes_it(site):
    problems = site(ledger(("Wait at least 28 days after the Form 470 is posted.", "confirmed")))
    assert problems == ["Deadlines.md: figures with no claim in Deadlines.yaml: $30,175, FY2026–2030"]
    complete = ledger(
        ("Wait at least 28 days after the Form 470 is posted.", "confirmed"),
        ("The floor is $30,175 per school for FY2026–2030.", "corrected"),
    )
    assert site(complete) == []


def test_a_claim_must_still_be_on_the_page_and_cite_a_page_source(site):
    other = 'usac: {title: "Other", publisher: "USAC", date: "2026", url: "https://www.usac.org/other/"}'
    problems = site(
        ledger(
            ("Wait at least   28 days after the Form 470 is posted.", "confirmed"),
            ("The floor is $25,000 per school for FY2026–2030.", "confirmed"),
            sources=other,
        )
    )
    assert (
        "Deadlines.yaml: claim 2 is not on the page: “The floor is $25,000 per school for FY2026–2030.”"
        in problems
    )
    assert (
        "Deadlines.yaml: claim 1's source https://www.usac.org/other/ is not in the page's sources"
        in problems
    )
    assert "Deadlines.md: figures with no claim in Deadlines.yaml: $30,175, FY2026–2030" in problems


@pytest.mark.parametrize(
    "text, message",
    [
        ("claims: [", "Deadlines.yaml: not valid YAML"),
        ("- a list\n", "needs exactly two keys, `sources` and `claims`"),
        (
            ledger(("28 days", "confirmed")).replace("status: confirmed", "status: probably"),
            "has status `probably`",
        ),
        (ledger(("28 days", "confirmed")).replace("source: usac", "source: fcc"), "names source `fcc`"),
        (
            ledger(("28 days", "confirmed")).replace("checked: 2026-12-01", "checked: soon"),
            "`checked` as a date",
        ),
        (ledger(("28 days", "confirmed")).replace(f', url: "{URL}"', ""), "source `usac` lacks url"),
        (ledger(("28 days", "confirmed")).replace("https://", "ftp://"), "`url` that is not http(s)"),
        (ledger(("28 days", "confirmed")) + "extra: 1\n", "needs exactly two keys"),
        ("sources: {usac: {}}\nclaims: []\n", "source `usac` lacks title, publisher, date, url"),
    ],
)
def test_a_broken_ledger_is_one_clear_problem(site, text, message):
    problems = site(text)
    assert len(problems) == 1 and message in problems[0], problems


def test_a_claim_checked_in_the_future_is_refused(site):
    later = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    text = ledger(("Wait at least 28 days", "confirmed"), ("$30,175 per school for FY2026–2030", "confirmed"))
    problems = site(text.replace("checked: 2026-12-01", f"checked: {later}", 1))
    assert problems == [f"Deadlines.yaml: claim 1 was checked in the future ({later})"]


def test_a_ledger_must_belong_to_a_page(site):
    (claims.CLAIMS_DIR / "Gone.yaml").write_text("claims: []\n", encoding="utf-8")
    assert "claims/Gone.yaml belongs to no starter page" in site()


def test_content_check_runs_the_ledger_check(site, monkeypatch):
    monkeypatch.setattr(loader, "FILES_DIR", claims.CLAIMS_DIR)
    problems, _ = checks.check()
    assert "Deadlines.md: no claims ledger (Deadlines.yaml)" in problems


def test_every_shipped_page_has_a_checked_ledger():
    pages = loader.shipped_pages()
    assert claims.check(pages) == []
    shipped = claims.all_claims(pages)
    assert {claim.page for claim in shipped} == {page.title for page in pages}
    assert all(claim.source["url"].startswith(("https://", "http://")) for claim in shipped)


@pytest.fixture
def shown_ledger(site, make_page):
    """The ledger of "Deadlines" as /special/claims shows it, with the page on the wiki."""
    site(
        ledger(
            ("Wait at least 28 days after the Form 470 is posted.", "confirmed"),
            ("The floor is $30,175 per school for FY2026–2030.", "uncertain"),
        )
    )
    claims.shipped_claims.cache_clear()
    make_page("Deadlines", PAGE.format(url=URL, body=BODY.replace("$30,175", "$31,000")))
    yield
    claims.shipped_claims.cache_clear()


@pytest.mark.django_db
def test_reviewers_see_claims_oldest_first_and_which_the_wiki_changed(shown_ledger, bob_client):
    page = bob_client.get("/special/claims").content.decode()
    assert page.index("Wait at least 28 days") < page.index("The floor is $30,175")
    assert page.count("Changed on the wiki") == 1, "the $31,000 edit changed only the second claim"
    assert f'href="{URL}"' in page and 'href="/wiki/Deadlines"' in page
    only = bob_client.get("/special/claims?status=uncertain").content.decode()
    assert "The floor is $30,175" in only and "Wait at least 28 days" not in only


@pytest.mark.django_db
def test_claims_ledger_refuses_bad_filters_and_other_members(shown_ledger, bob_client, alice):
    response = bob_client.get("/special/claims?status=probably")
    assert response.status_code == 400 and "is not a claim status" in response.content.decode()
    assert bob_client.get("/special/claims?page=9").status_code == 400
    assert "No claims match" in bob_client.get("/special/claims?page_title=Nothing").content.decode()
    member = Client()
    member.force_login(alice)
    refused = member.get("/special/claims")
    assert (
        refused.status_code == 403
        and "Only trusted members can see the claims ledger" in refused.content.decode()
    )
