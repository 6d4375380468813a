"""Programs, yearly amounts and status changes: who may make them, and every bad input refused with its
status and sentence, nothing stored."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from districtwiki.advocacy import funding_actions
from districtwiki.advocacy.models import FundingProgram, ProgramAmount, ProgramStatusChange
from districtwiki.advocacy.models.funding import MAX_AMOUNT

from .program_world import SOURCE, make_program

pytestmark = pytest.mark.django_db

AMOUNT = {
    "year": "2025",
    "year_label": "2024–25",
    "amount": "320,000",
    "source_url": SOURCE,
    "source_title": "Budget",
}


def test_trusted_member_creates_a_state_program(bob):
    program = make_program(bob)
    assert (program.slug, program.level, program.state, program.status) == (
        "prairie-grant",
        "state",
        "IA",
        "active",
    )
    assert program.created_by == bob


def test_member_cannot_create_a_program(alice):
    with pytest.raises(PermissionDenied, match="Only trusted members and admins"):
        make_program(alice)
    assert not FundingProgram.objects.exists()


def test_description_is_rendered_and_sanitised(bob):
    program = make_program(bob)
    details = funding_actions.clean_program(
        {
            "name": program.name,
            "level": "state",
            "state": "IA",
            "description": "**Grants** <script>x()</script>",
        },
        program,
    )
    funding_actions.update_program(program, bob, details)
    program.refresh_from_db()
    assert "<strong>Grants</strong>" in program.description_html
    assert "<script" not in program.description_html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "level": "state", "state": "IA"}, "Give the program's name"),
        ({"name": "X", "level": "county", "state": "IA"}, "federal or state"),
        ({"name": "X", "level": "state", "state": ""}, "needs its state"),
        ({"name": "X", "level": "state", "state": "ZZ"}, "is not a state"),
        ({"name": "X", "level": "federal", "state": "IA"}, "A federal program has no state"),
        ({"name": "X" * 201, "level": "federal"}, "at most 200 characters"),
        ({"name": "X", "level": "federal", "slug": "Not a slug!"}, "cannot be the program's address"),
        ({"name": "X", "level": "federal", "slug": "new"}, "reserved"),
    ],
)
def test_bad_program_refused(data, message):
    with pytest.raises(funding_actions.FundingError, match=message) as refusal:
        funding_actions.clean_program(data)
    assert refusal.value.status == 400


def test_second_program_with_the_same_address_refused(bob):
    make_program(bob)
    with pytest.raises(funding_actions.Duplicate, match="already has the address") as refusal:
        make_program(bob, name="Another")
    assert refusal.value.status == 409
    assert FundingProgram.objects.count() == 1


def test_amount_added_with_its_source(bob):
    program = make_program(bob)
    row = funding_actions.add_amount(program, bob, AMOUNT)
    assert (row.year, row.year_label, row.amount, row.source_url) == (2025, "2024–25", 320000, SOURCE)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-5"}, "cannot be negative"),
        ({"amount": str(MAX_AMOUNT + 1)}, "more than any one program gives"),
        ({"amount": "9" * 40}, "whole dollars"),
        ({"amount": "lots"}, "whole dollars"),
        ({"amount": ""}, "Give the amount"),
        ({"year": "1850"}, "between 1990 and 2100"),
        ({"year": "2200"}, "between 1990 and 2100"),
        ({"year": "twenty"}, "a number such as 2025"),
        ({"source_url": ""}, "Give the source's address"),
        ({"source_url": "javascript:alert(1)"}, "is not a web address"),
        ({"source_title": ""}, "Give the source's title"),
    ],
)
def test_bad_amount_refused_and_nothing_stored(bob, changes, message):
    program = make_program(bob)
    with pytest.raises(funding_actions.FundingError, match=message) as refusal:
        funding_actions.add_amount(program, bob, AMOUNT | changes)
    assert refusal.value.status == 400
    assert not ProgramAmount.objects.exists()


def test_second_amount_for_a_year_refused(bob):
    program = make_program(bob)
    funding_actions.add_amount(program, bob, AMOUNT)
    with pytest.raises(funding_actions.Duplicate, match="already has a figure for 2025"):
        funding_actions.add_amount(program, bob, AMOUNT | {"amount": "1"})
    assert ProgramAmount.objects.get().amount == 320000


def test_member_cannot_add_an_amount(bob, alice):
    program = make_program(bob)
    with pytest.raises(PermissionDenied):
        funding_actions.add_amount(program, alice, AMOUNT)
    assert not ProgramAmount.objects.exists()


def test_status_change_recorded_in_history(bob):
    program = make_program(bob)
    change = funding_actions.change_status(
        program, bob, {"status": "proposed-cut", "source_url": SOURCE, "note": "In the governor's budget"}
    )
    program.refresh_from_db()
    assert program.status == "proposed-cut"
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "active",
        "proposed-cut",
        bob,
        "In the governor's budget",
    )


def test_status_change_without_source_refused(bob):
    program = make_program(bob)
    with pytest.raises(funding_actions.FundingError, match="Give the source's address") as refusal:
        funding_actions.change_status(program, bob, {"status": "cut", "source_url": ""})
    assert refusal.value.status == 400
    program.refresh_from_db()
    assert program.status == "active"
    assert not ProgramStatusChange.objects.exists()


@pytest.mark.parametrize(
    ("status", "message"), [("abolished", "Choose the new status"), ("active", "already")]
)
def test_bad_status_refused(bob, status, message):
    program = make_program(bob)
    with pytest.raises(funding_actions.FundingError, match=message):
        funding_actions.change_status(program, bob, {"status": status, "source_url": SOURCE})
    assert not ProgramStatusChange.objects.exists()


def test_member_cannot_change_status(bob, alice):
    program = make_program(bob)
    with pytest.raises(PermissionDenied):
        funding_actions.change_status(program, alice, {"status": "cut", "source_url": SOURCE})
    assert FundingProgram.objects.get().status == "active"


def test_unknown_program_is_not_found():
    with pytest.raises(Http404, match="no funding program “nothing”"):
        funding_actions.get_program("nothing")


def test_removing_an_unknown_figure_is_not_found(bob):
    program = make_program(bob)
    with pytest.raises(funding_actions.ProgramNotFound, match="has no figure number 99") as refusal:
        funding_actions.remove_amount(program, bob, "99")
    assert refusal.value.status == 404
