"""Cross-site scripting through the funding tracker's inputs: the wiki's corpus (wiki/tests/xss_vectors.py)
goes into a program's name, agency and Markdown description, a year's label and source title, status notes,
members' alerts and impact report pages, and every page that shows them is loaded in Chromium by the wiki's
probe (test_security_xss.py), which fails on anything a payload could make happen or lies in wait for."""

from urllib.parse import quote

import pytest

from districtwiki.advocacy import funding_actions
from districtwiki.advocacy.models import FundingProgram, ProgramAlert, ProgramAmount, ProgramStatusChange
from districtwiki.wiki.tests import xss_vectors as corpus
from districtwiki.wiki.tests.test_security_xss import (  # noqa: F401 - fixtures, by name
    anonymous_probe,
    browser_context,
    browser_test,
    lines_packed,
    payloads,
    probe,
    roomy_limits,
)
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from .program_world import SOURCE, write_report

pytestmark = [pytest.mark.browser]


def report_titles(limit: int) -> list[str]:
    """Title vectors that are valid page titles, as impact report pages."""
    titles = []
    for text in corpus.title_vectors():
        try:
            titles.append(normalize_title("Impact reports/" + text[:200]))
        except InvalidTitle:
            continue
    return list(dict.fromkeys(titles))[:limit]


@browser_test
def test_program_inputs_never_run(probe, ada):  # noqa: F811 - the imported fixture
    names = corpus.packed(corpus.title_vectors(), 200)
    program = FundingProgram.objects.create(name="x", slug="xss", level="state", state="IA")
    data = {"name": names[0], "level": "state", "state": "IA", "agency": names[1][:200]}
    data["description"] = "\n\n".join(payloads())[: funding_actions.MAX_DESCRIPTION]
    funding_actions.update_program(program, ada, funding_actions.clean_program(data, program))
    for number, title in enumerate(names[2:12]):
        row = {"year": 2000 + number, "year_label": title[:20], "amount": number * 1000}
        funding_actions.add_amount(program, ada, row | {"source_url": SOURCE, "source_title": title[:200]})
    notes = lines_packed(payloads(), 300)
    statuses = ["proposed-cut", "cut", "restored", "active"] * 3
    for status, note in zip(statuses, notes[:8], strict=False):
        funding_actions.change_status(program, ada, {"status": status, "source_url": SOURCE, "note": note})
    for note in notes[8:13]:
        ProgramAlert.objects.create(
            program=program, member=ada, note=note, source_url=SOURCE, created_at=program.updated_at
        )
    for number, title in enumerate(report_titles(15)):
        write_report(ada, title, program="xss", amount=1000 + number, district=f"district {number}")
    assert ProgramAmount.objects.count() == 10 and ProgramStatusChange.objects.count() == 8
    for path in ("", "/edit", "/amounts", "/status", "/alert", "/report"):
        probe.visit(f"/advocacy/programs/xss{path}")
    probe.visit("/advocacy/programs/")
    probe.visit("/advocacy/")
    # The amounts chart is the page's own drawing (charts.py), which the wiki's audit reports as it reports
    # any <svg> in <main>; everything inside it (labels made of vectors) is still audited.
    chart = 'forbidden element <svg> <svg xmlns="http://www.w3.org/2000/svg" id="amounts-xss" class="chart"'
    probe.findings = [
        finding for finding in probe.findings if not finding.split(": ", 1)[1].startswith(chart)
    ]
    probe.assert_clean()


@browser_test
def test_reflected_filters_and_form_values_never_run(probe, ada):  # noqa: F811 - the imported fixture
    FundingProgram.objects.create(name="Grant", slug="grant", level="federal", state="")
    for vector in corpus.title_vectors()[:20]:
        probe.visit("/advocacy/programs/?level=" + quote(vector), status=400)
    probe.page.goto("/advocacy/programs/grant/amounts")
    for field, text in (
        ("#amount-year", "2024"),
        ("#amount-amount", "-1"),
        ("#amount-source-title", payloads()[0][:200]),
    ):
        probe.page.fill(field, text)
    probe.page.fill("#amount-source-url", SOURCE)
    probe.page.click("button[type=submit]")
    probe.check()
    probe.assert_clean()
