"""Impact reports: a page's data block → its index row → the program's totals; edits, removal of the
block, deletion and restoring of the page keep the totals right; a wrong block refuses the save."""

import time

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_user
from districtwiki.advocacy import funding_actions, impact_reports
from districtwiki.advocacy.models import ImpactReport
from districtwiki.wiki import actions as wiki_actions
from districtwiki.wiki.models import Page

from .program_world import make_program, place, report_block, write_report

pytestmark = pytest.mark.django_db

FORM = {
    "district": "Plainview Community Schools",
    "state": "IA",
    "district_size": "under-1000",
    "year": "2023",
    "amount": "32000",
    "funded": "A wireless refresh in both buildings.",
    "outcomes": "Every classroom online.",
    "consequences": "The refresh stopped halfway.",
    "source_url": "https://example.org/board-minutes",
}


@pytest.fixture
def program(bob):
    return make_program(bob)


def totals(program):
    return impact_reports.totals_for(program)


def test_saving_a_report_page_indexes_it(program, alice):
    page = write_report(alice, amount=32000, district_size="under-1000").page
    row = ImpactReport.objects.get()
    assert (row.page, row.program, row.year, row.amount, row.state, row.district_size) == (
        page,
        program,
        2024,
        32000,
        "IA",
        "under-1000",
    )


def test_totals_count_districts_states_and_dollars(program, alice):
    write_report(alice, "Impact reports/A 2023", year=2023, amount=30000, district="Plainview")
    write_report(alice, "Impact reports/A 2024", year=2024, amount=20000, district="plainview")
    write_report(alice, "Impact reports/B", amount=1_350_000, state="NE", district="Riverside")
    result = totals(program)
    assert (result.reports, result.districts, result.states, result.amount) == (3, 2, 2, 1_400_000)
    assert result.sentence == "2 districts in 2 states report $1.4 M from this program."


def test_totals_by_state(program, alice):
    write_report(alice, "Impact reports/A", amount=30000, district="A")
    write_report(alice, "Impact reports/B", amount=5000, district="B")
    write_report(alice, "Impact reports/C", amount=90000, state="NE", district="C")
    rows = [
        (row["state"], row["reports"], row["districts"], row["amount"])
        for row in impact_reports.totals_by_state(program)
    ]
    assert rows == [("NE", 1, 1, 90000), ("IA", 2, 2, 35000)]


def test_no_reports_says_so(program):
    assert totals(program).sentence == "No district has reported on this program yet."


def test_editing_the_page_updates_its_row(program, alice):
    first = write_report(alice, amount=32000)
    wiki_actions.save_revision(
        first.page.title, report_block(amount=45000), alice, base_revision=first.revision.pk
    )
    assert ImpactReport.objects.get().amount == 45000
    assert totals(program).amount == 45000


def test_removing_the_block_removes_the_row(program, alice):
    first = write_report(alice)
    wiki_actions.save_revision(
        first.page.title, "No longer a report.", alice, base_revision=first.revision.pk
    )
    assert not ImpactReport.objects.exists()
    assert totals(program).reports == 0


def test_deleting_the_page_leaves_it_out_and_restoring_brings_it_back(program, alice, ada):
    page = write_report(alice).page
    wiki_actions.delete_page(page, ada)
    assert totals(program).reports == 0
    page.refresh_from_db()
    wiki_actions.undelete_page(page, ada)
    assert totals(program).reports == 1


def test_reverting_to_an_older_revision_restores_its_figures(program, alice, bob):
    first = write_report(alice, amount=32000)
    second = wiki_actions.save_revision(
        first.page.title, report_block(amount=99000), alice, base_revision=first.revision.pk
    )
    wiki_actions.revert_to(second.page, first.revision, bob)
    assert ImpactReport.objects.get().amount == 32000


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"program": "no-such-grant"}, "names the program “no-such-grant”, which is not one we track"),
        ({"year": 1850}, "field `year`: The year must be between 1990 and 2100"),
        ({"amount": -10}, "field `amount`: The amount cannot be negative"),
        ({"amount": 10**13}, "more than any one program gives"),
        ({"state": "ZZ"}, "field `state` must be a two-letter state"),
        ({"district_size": "huge"}, "field `district_size` must be one of"),
        ({"colour": "blue"}, "field `colour` is not known"),
    ],
)
def test_bad_block_refuses_the_save_and_stores_nothing(program, alice, block, message):
    with pytest.raises(wiki_actions.WikiError, match=message) as refusal:
        write_report(alice, **block)
    assert refusal.value.status == 400
    assert not Page.objects.filter(title="Impact reports/Plainview 2024").exists()
    assert not ImpactReport.objects.exists()


def test_block_without_a_required_field_refused(program, alice):
    text = "```impact-report\nprogram: prairie-grant\nyear: 2024\nstate: IA\n```\n"
    with pytest.raises(wiki_actions.WikiError, match="needs `amount`"):
        wiki_actions.save_revision("Impact reports/X", text, alice)
    assert not Page.objects.filter(title="Impact reports/X").exists()


def test_block_that_is_not_yaml_refused(program, alice):
    with pytest.raises(wiki_actions.WikiError, match="not valid YAML"):
        wiki_actions.save_revision("Impact reports/X", "```impact-report\nyear: [2024\n```\n", alice)
    assert not ImpactReport.objects.exists()


def test_bad_edit_keeps_the_previous_figures(program, alice):
    first = write_report(alice, amount=32000)
    with pytest.raises(wiki_actions.WikiError):
        wiki_actions.save_revision(
            first.page.title, report_block(amount="lots"), alice, base_revision=first.revision.pk
        )
    assert ImpactReport.objects.get().amount == 32000
    assert Page.objects.get(title=first.page.title).latest_id == first.revision.pk


def test_pages_without_a_block_are_not_indexed(program, alice):
    wiki_actions.save_revision("Budget notes", "Some `impact-report` words but no block.", alice)
    assert not ImpactReport.objects.exists()


# --- The form ---------------------------------------------------------------------------------------------


def test_form_writes_the_page_from_the_template(program, alice):
    page = impact_reports.file_report(program, alice, FORM)
    assert page.title == "Impact reports/Prairie State Technology Grant – Plainview Community Schools 2023"
    text = page.latest.text
    assert "```impact-report\nprogram: prairie-grant\nyear: 2023\namount: 32000\nstate: IA\n" in text
    assert text.startswith(
        "In 2023, [Prairie State Technology Grant](/advocacy/programs/prairie-grant) paid **$32,000**"
    )
    for heading in (
        "## What it paid for",
        "## Measurable outcomes",
        "## When the funding ended",
        "## Source",
    ):
        assert heading in text
    assert "[[Category:Impact reports]]" in text
    assert page.latest.author == alice
    row = ImpactReport.objects.get()
    assert (row.page, row.amount, row.year, row.district_key) == (
        page,
        32000,
        2023,
        "plainview community schools",
    )


def test_form_refuses_a_report_with_a_taken_title(program, alice):
    impact_reports.file_report(program, alice, FORM)
    with pytest.raises(funding_actions.Duplicate, match="There is already a report called") as refusal:
        impact_reports.file_report(program, make_user("carla"), FORM | {"amount": "1"})
    assert refusal.value.status == 409
    assert ImpactReport.objects.get().amount == 32000


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"district": ""}, "Give the district's name"),
        ({"state": ""}, "Choose your district's state"),
        ({"state": "ZZ"}, "is not a state"),
        ({"district_size": "huge"}, "Choose one of the district sizes"),
        ({"year": "1492"}, "between 1990 and 2100"),
        ({"amount": "-1"}, "cannot be negative"),
        ({"amount": "100000000001"}, "more than any one program gives"),
        ({"funded": ""}, "Tell what the program paid for"),
        ({"funded": "x" * 5001}, "5,000 characters"),
        ({"source_url": "not a link"}, "is not a web address"),
    ],
)
def test_bad_form_refused_and_nothing_stored(program, alice, changes, message):
    with pytest.raises(funding_actions.FundingError, match=message) as refusal:
        impact_reports.file_report(program, alice, FORM | changes)
    assert refusal.value.status == 400
    assert not Page.objects.filter(title__startswith="Impact reports/").exists()
    assert not ImpactReport.objects.exists()


def test_signed_out_visitor_cannot_file(program):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        impact_reports.file_report(program, AnonymousUser(), FORM)
    assert not ImpactReport.objects.exists()


def test_form_defaults_come_from_the_profile(alice):
    place(alice, "NE")
    assert impact_reports.profile_defaults(alice)["state"] == "NE"


@pytest.mark.parametrize(
    ("amount", "said"),
    [(950, "$950"), (320_000, "$320 K"), (1_400_000, "$1.4 M"), (2_000_000_000, "$2 B")],
)
def test_short_dollars(amount, said):
    assert impact_reports.short_dollars(amount) == said


def test_editor_explains_a_bad_block_and_keeps_the_text(program, alice_client):
    text = report_block(year=1850)
    response = alice_client.post(
        "/edit/Impact_reports/Plainview", {"text": text, "summary": "", "base_revision": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The impact report field `year`: The year must be between 1990 and 2100" in page
    assert "It paid for a network refresh." in page
    assert not Page.objects.filter(title="Impact reports/Plainview").exists()
    assert not ImpactReport.objects.exists()


def test_unclosed_block_refused(program, alice):
    with pytest.raises(wiki_actions.WikiError, match="needs a closing ``` line"):
        wiki_actions.save_revision("Impact reports/X", "```impact-report\nprogram: prairie-grant\n", alice)
    assert not Page.objects.filter(title="Impact reports/X").exists()


def test_page_of_many_opening_lines_is_read_in_one_pass():
    text = "```impact-report\n" * 15_000  # about 250 KB, the size limit of a page
    started = time.perf_counter()
    with pytest.raises(impact_reports.InvalidReport):
        impact_reports.block_source(text)
    assert time.perf_counter() - started < 0.5
