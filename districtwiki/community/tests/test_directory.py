import re

import pytest

from districtwiki.community.models import Visibility

HIDDEN = Visibility.HIDDEN


def listed(response) -> list[str]:
    """Usernames in the order the directory lists them."""
    return re.findall(r'<article class="member-card" data-member="([^"]+)">', response.content.decode())


def test_directory_requires_sign_in(client):
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/members/"


def test_directory_lists_members_with_profiles(member, client_for):
    viewer = member("viv")
    member("dana", state="VT")
    member("erin", role="technician")
    assert listed(client_for(viewer).get("/members/")) == ["dana", "erin"]


def test_directory_leaves_out_inactive_members(member, client_for):
    viewer = member("viv")
    gone = member("dana", state="VT")
    gone.is_active = False
    gone.save()
    assert listed(client_for(viewer).get("/members/")) == []


def test_state_filter_finds_members_of_that_state(member, client_for):
    viewer = member("viv")
    member("dana", state="VT")
    member("erin", state="NH")
    assert listed(client_for(viewer).get("/members/?state=VT")) == ["dana"]


def test_state_filter_leaves_out_members_whose_state_is_hidden(member, client_for):
    viewer = member("viv")
    member("dana", state="VT", state_visibility=HIDDEN)
    member("erin", state="VT")
    assert listed(client_for(viewer).get("/members/?state=VT")) == ["erin"]


def test_admin_state_filter_includes_hidden_states(member, client_for):
    admin = member("ada", role_name="admin")
    member("dana", state="VT", state_visibility=HIDDEN)
    assert listed(client_for(admin).get("/members/?state=VT")) == ["dana"]


def test_owner_finds_themself_by_their_hidden_state(member, client_for):
    dana = member("dana", state="VT", state_visibility=HIDDEN)
    assert listed(client_for(dana).get("/members/?state=VT")) == ["dana"]


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("district_size", "under-1000", "district_size=under-1000"),
        ("role", "technician", "role=technician"),
    ],
)
def test_filters_leave_out_members_whose_field_is_hidden(member, client_for, field, value, query):
    viewer = member("viv")
    member("dana", **{field: value, f"{field}_visibility": HIDDEN})
    member("erin", **{field: value})
    assert listed(client_for(viewer).get(f"/members/?{query}")) == ["erin"]


def test_expertise_filter_matches_tags_in_any_case(member, client_for):
    viewer = member("viv")
    member("dana", expertise=["e-rate"])
    member("erin", expertise=["networking"])
    assert listed(client_for(viewer).get("/members/?expertise=E-Rate")) == ["dana"]


def test_expertise_filter_leaves_out_hidden_expertise(member, client_for):
    viewer = member("viv")
    member("dana", expertise=["e-rate"], expertise_visibility=HIDDEN)
    assert listed(client_for(viewer).get("/members/?expertise=e-rate")) == []


def test_expertise_suggestions_leave_out_tags_only_on_hidden_expertise(member, client_for):
    viewer = member("viv")
    member("dana", expertise=["secret tag"], expertise_visibility=HIDDEN)
    member("erin", expertise=["open tag"])
    html = client_for(viewer).get("/members/").content.decode()
    assert '<option value="open tag">' in html
    assert "secret tag" not in html


def test_filters_combine(member, client_for):
    viewer = member("viv")
    member("dana", state="VT", district_size="under-1000")
    member("erin", state="VT", district_size="over-10000")
    member("finn", state="NH", district_size="under-1000")
    response = client_for(viewer).get("/members/?state=VT&district_size=under-1000")
    assert listed(response) == ["dana"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("state=ZZ", "Select a valid choice"),
        ("district_size=huge", "Select a valid choice"),
        ("role=astronaut", "Select a valid choice"),
        ("order=random", "Select a valid choice"),
        ("expertise=" + "x" * 41, "at most 40 characters"),
    ],
)
def test_bad_filter_is_refused_with_message(member, client_for, query, message):
    viewer = member("viv")
    member("dana", state="VT")
    response = client_for(viewer).get(f"/members/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert listed(response) == []


def test_page_that_is_not_a_number_is_refused(member, client_for):
    response = client_for(member("viv")).get("/members/?page=two")
    assert response.status_code == 400
    assert "must be a page number" in response.content.decode()


def test_page_past_the_end_is_not_found(member, client_for):
    viewer = member("viv", state="VT")
    response = client_for(viewer).get("/members/?page=9")
    assert response.status_code == 404
    assert "There is no page 9" in response.content.decode()


def test_directory_is_paged(member, client_for):
    viewer = member("aaa-viewer", state="VT")
    for number in range(30):
        member(f"m{number:02d}", state="VT")
    first = client_for(viewer).get("/members/?order=name")
    second = client_for(viewer).get("/members/?order=name&page=2")
    assert len(listed(first)) == 25
    assert listed(second) == [f"m{n:02d}" for n in range(24, 30)]
    assert 'href="?order=name&amp;page=2"' in first.content.decode()


def test_directory_query_count_does_not_grow_with_members(member, client_for, django_assert_max_num_queries):
    viewer = member("viv", state="VT", role="technician", expertise=["wifi"])
    for number in range(20):
        member(f"m{number:02d}", state="VT", expertise=["wifi", "e-rate"])
    client = client_for(viewer)
    with django_assert_max_num_queries(10):
        response = client.get("/members/")
    assert len(listed(response)) == 21
