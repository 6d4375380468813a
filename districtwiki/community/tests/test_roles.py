"""The roles a member picks in their profile and the role pathways (content/pathways.yaml) match one to one:
every pathway has a role that leads to it (content.pathways.pathway_for_role), and every role but "other"
leads to a pathway."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from districtwiki.community.models import Profile
from districtwiki.content import pathways

Role = Profile.Role


def pathway_slug(role: str) -> str | None:
    pathway = pathways.pathway_for_role(role)
    return pathway.slug if pathway else None


def test_every_pathway_has_a_role_that_leads_to_it():
    led_to = {pathway_slug(role) for role in Role}
    assert {pathway.slug for pathway in pathways.all_pathways()} <= led_to


def test_every_role_but_other_leads_to_a_pathway():
    for role in Role:
        assert (pathway_slug(role) is None) == (role == Role.OTHER), role


def test_no_two_working_roles_share_a_pathway():
    # A student or recent graduate starts in the technician's job and its pathway; the others are one to one.
    slugs = [pathway_slug(role) for role in Role if role not in (Role.GRADUATE, Role.OTHER)]
    assert len(slugs) == len(set(slugs))


def test_a_role_reads_its_own_pathways_pages_first():
    for role in Role:
        pathway = pathways.pathway_for_role(role)
        audiences = Profile(role=role).audiences
        assert (audiences[0] if audiences else None) == (pathway.audience if pathway else None), role


@pytest.mark.parametrize("role", ["coordinator", "director", "superintendent"])
def test_a_coordinator_a_director_and_a_superintendent_can_each_say_so(alice_client, alice, role):
    response = alice_client.post("/accounts/profile/", {"role": role, "district_size": "under-1000"})
    assert response.status_code == 302
    assert Profile.objects.get(user=alice).role == role


def test_the_home_page_offers_a_coordinator_the_coordinator_pathway(alice_client, alice):
    alice_client.post("/accounts/profile/", {"role": "coordinator", "district_size": "under-1000"})
    html = alice_client.get("/").content.decode()
    own = html[html.index("home-pathway-own") :]
    assert 'href="/pathways/coordinator"' in own[: own.index("</li>")]


@pytest.mark.django_db(transaction=True)
def test_migration_gives_existing_profiles_a_role_with_a_pathway(alice, bob, ada):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = ("community", "0002_profile_fields_and_messages")
    executor.migrate([before])
    try:
        old_profile = executor.loader.project_state([before]).apps.get_model("community", "Profile")
        old_profile.objects.create(user_id=alice.pk, role="administrator")
        old_profile.objects.create(user_id=bob.pk, role="director")
        old_profile.objects.create(user_id=ada.pk, role="teacher")
        MigrationExecutor(connection).migrate([("community", "0003_roles_match_pathways")])
    finally:
        MigrationExecutor(connection).migrate(latest)
    roles = dict(Profile.objects.values_list("user_id", "role"))
    assert roles == {alice.pk: "coordinator", bob.pk: "director", ada.pk: "teacher"}


def test_the_directory_tells_coordinators_from_directors(member, client_for):
    viewer = member("viv")
    member("dana", role="coordinator")
    member("erin", role="director")
    html = client_for(viewer).get("/members/?role=coordinator").content.decode()
    assert re.findall(r'<article class="member-card" data-member="([^"]+)">', html) == ["dana"]
