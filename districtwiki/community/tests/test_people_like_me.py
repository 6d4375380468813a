"""The "people like me" order: role 3, size band 2, state 2, each shared tag 1 (at most 3); ties by name."""

import re

from districtwiki.community.models import Visibility


def listed(response) -> list[str]:
    return re.findall(r'<article class="member-card" data-member="([^"]+)">', response.content.decode())


def others(response, viewer: str) -> list[str]:
    return [name for name in listed(response) if name != viewer]


def test_people_like_me_is_the_default_for_a_viewer_with_a_profile(member, client_for):
    viewer = member("viv", role="technician")
    member("adam", role="director")
    member("zoe", role="technician")
    response = client_for(viewer).get("/members/")
    assert others(response, "viv") == ["zoe", "adam"]
    assert "People like you first" in response.content.decode()


def test_viewer_without_profile_sees_alphabetical_order(member, client_for):
    viewer = member("viv")
    member("zoe", role="technician")
    member("adam", role="director")
    response = client_for(viewer).get("/members/")
    assert listed(response) == ["adam", "zoe"]
    assert "Fill in your profile" in response.content.decode()


def test_same_role_outranks_same_state(member, client_for):
    viewer = member("viv", role="technician", state="VT")
    member("adam", state="VT")
    member("zoe", role="technician")
    assert others(client_for(viewer).get("/members/"), "viv") == ["zoe", "adam"]


def test_same_state_and_size_outrank_same_role(member, client_for):
    viewer = member("viv", role="technician", state="VT", district_size="under-1000")
    member("adam", role="technician")
    member("zoe", state="VT", district_size="under-1000")
    assert others(client_for(viewer).get("/members/"), "viv") == ["zoe", "adam"]


def test_shared_expertise_counts_one_point_each(member, client_for):
    viewer = member("viv", state="VT", expertise=["wifi", "e-rate", "cipa"])
    member("adam", state="VT")  # 2 points
    member("zoe", expertise=["wifi", "e-rate", "cipa"])  # 3 points
    member("bea", expertise=["wifi"])  # 1 point
    assert others(client_for(viewer).get("/members/"), "viv") == ["zoe", "adam", "bea"]


def test_shared_expertise_points_are_capped_below_role_plus_size(member, client_for):
    tags = ["a1", "a2", "a3", "a4", "a5"]
    viewer = member("viv", role="technician", district_size="under-1000", expertise=tags)
    member("adam", expertise=tags)  # capped at 3
    member("zoe", role="technician", district_size="under-1000")  # 5
    assert others(client_for(viewer).get("/members/"), "viv") == ["zoe", "adam"]


def test_ties_are_ordered_by_visible_name(member, client_for):
    viewer = member("viv", role="technician")
    member("carl", role="technician", display_name="Aaron")
    member("bert", role="technician")
    assert others(client_for(viewer).get("/members/"), "viv") == ["carl", "bert"]


def test_hidden_display_name_does_not_decide_the_order(member, client_for):
    viewer = member("viv", role="technician")
    member("zed", role="technician", display_name="Aaron", display_name_visibility=Visibility.HIDDEN)
    member("bert", role="technician")
    assert others(client_for(viewer).get("/members/"), "viv") == ["bert", "zed"]


def test_hidden_state_earns_no_points(member, client_for):
    viewer = member("viv", state="VT")
    member("adam", state="VT", state_visibility=Visibility.HIDDEN)
    member("bert", role="other")
    # Both score 0 for the viewer, so the order is by name: a hidden match must not lift adam.
    response = client_for(viewer).get("/members/")
    assert others(response, "viv") == ["adam", "bert"]
    member("aaron", state="NH")
    assert others(client_for(viewer).get("/members/"), "viv") == ["aaron", "adam", "bert"]


def test_hidden_role_earns_no_points(member, client_for):
    viewer = member("viv", role="technician")
    member("zoe", role="technician", role_visibility=Visibility.HIDDEN)
    member("adam", district_size="under-1000")
    assert others(client_for(viewer).get("/members/"), "viv") == ["adam", "zoe"]


def test_hidden_expertise_earns_no_points(member, client_for):
    viewer = member("viv", expertise=["wifi"])
    member("zoe", expertise=["wifi"], expertise_visibility=Visibility.HIDDEN)
    member("adam", role="other")
    assert others(client_for(viewer).get("/members/"), "viv") == ["adam", "zoe"]


def test_order_by_name_can_be_chosen(member, client_for):
    viewer = member("viv", role="technician")
    member("zoe", role="technician")
    member("adam", role="director")
    assert listed(client_for(viewer).get("/members/?order=name")) == ["adam", "viv", "zoe"]


def test_admin_ranking_counts_hidden_fields_they_can_see(member, client_for):
    admin = member("ada", role_name="admin", state="VT")
    member("zoe", state="VT", state_visibility=Visibility.HIDDEN)
    member("bert", role="other")
    assert others(client_for(admin).get("/members/"), "ada") == ["zoe", "bert"]
