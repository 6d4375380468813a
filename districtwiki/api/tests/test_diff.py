from .helpers import view_url
from .openapi import documented_json, error_detail


def test_diff_between_two_revisions_is_unified(client, make_page):
    old = make_page("Plan", "one\ntwo").revision
    new = make_page("Plan", "one\nTWO", base_revision=old.pk).revision
    response = client.get(view_url("diff", "Plan"), {"from": old.pk, "to": new.pk})
    body = documented_json(response)
    assert body["from"] == old.pk
    assert body["to"] == new.pk
    assert body["diff"] == (
        f"--- Plan (revision {old.pk})\n+++ Plan (revision {new.pk})\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
    )


def test_diff_of_a_revision_with_itself_is_empty(client, make_page):
    old = make_page("Plan", "one").revision
    body = documented_json(client.get(view_url("diff", "Plan"), {"from": old.pk, "to": old.pk}))
    assert body["diff"] == ""


def test_diff_with_a_revision_of_another_page_is_404(client, make_page):
    other = make_page("Other", "x").revision
    mine = make_page("Plan", "one").revision
    response = client.get(view_url("diff", "Plan"), {"from": other.pk, "to": mine.pk})
    assert error_detail(response, 404) == f"Revision {other.pk} is not a revision of “Plan”."


def test_diff_without_from_is_400(client, make_page):
    mine = make_page("Plan", "one").revision
    response = client.get(view_url("diff", "Plan"), {"to": mine.pk})
    assert error_detail(response, 400) == "The request is not valid: from: Field required."


def test_diff_of_missing_page_is_404(client, db):
    response = client.get(view_url("diff", "Nowhere"), {"from": 1, "to": 2})
    assert error_detail(response, 404) == 'There is no page called "Nowhere".'
