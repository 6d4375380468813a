import datetime

import time_machine

from districtwiki.community.models import Profile
from districtwiki.content import pathways
from districtwiki.content.models import PathwayStep
from districtwiki.wiki import actions
from districtwiki.wiki.models import Page

NOW = datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC)


def page_text(audience: str, size: str, reviewed: str = "2026-11-01", every: int = 12) -> str:
    return (
        f"---\naudience: [{audience}]\ndistrict_size: [{size}]\nreviewed: {reviewed}\nreview_every: {every}\n"
        "time_sensitive: false\nsources: [{title: A guide}]\n---\nText.\n"
    )


def test_pathway_page_lists_steps_with_reasons(client, db):
    pathway = pathways.get("technician")
    content = client.get("/pathways/technician").content.decode()
    for step in pathway.steps:
        assert step.why.replace("'", "&#x27;") in content


def test_unknown_pathway_is_404(client, db):
    assert client.get("/pathways/astronaut").status_code == 404


def test_member_ticks_a_step_done_and_undone(alice_client, alice):
    title = pathways.get("technician").titles[0]
    alice_client.post("/pathways/technician/step", {"title": title, "done": "1"})
    assert PathwayStep.objects.filter(user=alice, pathway="technician", title=title).exists()
    assert "1 of 14 done" in alice_client.get("/pathways/technician").content.decode()
    alice_client.post("/pathways/technician/step", {"title": title, "done": "0"})
    assert not PathwayStep.objects.exists()


def test_ticking_a_page_not_on_the_pathway_is_400(alice_client):
    response = alice_client.post("/pathways/technician/step", {"title": "Something else", "done": "1"})
    assert response.status_code == 400
    assert b"is not a step of this pathway" in response.content
    assert not PathwayStep.objects.exists()


def test_visitor_cannot_tick_steps(client, db):
    response = client.post("/pathways/technician/step", {"title": "Your first 90 days", "done": "1"})
    assert response.status_code == 302
    assert not PathwayStep.objects.exists()


@time_machine.travel(NOW)
def test_review_due_lists_overdue_pages_oldest_first(client, make_page):
    make_page("Fresh page", page_text("technician", "any"))
    make_page("Older page", page_text("technician", "any", reviewed="2025-06-01", every=6))
    make_page("Oldest page", page_text("technician", "any", reviewed="2024-01-01", every=6))
    content = client.get("/special/review-due").content.decode()
    assert content.index("Oldest page") < content.index("Older page")
    assert "Fresh page" not in content


@time_machine.travel(NOW)
def test_trusted_member_marks_a_page_reviewed(bob_client, make_page):
    make_page("Older", page_text("technician", "any", reviewed="2025-06-01", every=6))
    response = bob_client.post("/reviewed/Older")
    assert response.status_code == 302
    page = Page.objects.get(title="Older")
    assert page.latest.summary == "Reviewed"
    assert "reviewed: 2026-11-28" in page.latest.text
    assert page.properties.reviewed == datetime.date(2026, 11, 28)


@time_machine.travel(NOW)
def test_member_cannot_mark_reviewed(alice_client, make_page):
    make_page("Older", page_text("technician", "any", reviewed="2025-06-01", every=6))
    response = alice_client.post("/reviewed/Older")
    assert response.status_code == 403
    assert Page.objects.get(title="Older").revisions.count() == 1


def test_page_without_front_matter_cannot_be_marked_reviewed(bob_client, make_page):
    make_page("Plain", "No front matter.")
    response = bob_client.post("/reviewed/Plain")
    assert response.status_code == 400
    assert b"has no front matter" in response.content


def test_profile_form_saves_role_and_size(alice_client, alice):
    response = alice_client.post("/accounts/profile/", {"role": "technician", "district_size": "under-1000"})
    assert response.status_code == 302
    assert Profile.objects.get(user=alice).audiences == ["technician"]


def test_profile_form_rejects_unknown_role(alice_client, alice):
    response = alice_client.post("/accounts/profile/", {"role": "astronaut", "district_size": "under-1000"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not Profile.objects.filter(role="astronaut").exists()


def test_make_page_helper_accepts_front_matter(make_page):
    result = make_page("X", page_text("technician", "any"))
    assert actions.frontmatter.parse(result.revision.text).audience == ["technician"]
