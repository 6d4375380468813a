import pytest

from districtwiki.community.models import ExpertiseTag, Profile, Visibility
from districtwiki.community.visibility import PROFILE_FIELDS

FULL = {
    "display_name": "Dana Reyes",
    "role": "technician",
    "district_name": "Maplebrook Unified",
    "district_size": "under-1000",
    "state": "VT",
    "years_in_role": "4",
    "expertise": "E-Rate, networking, e-rate",
    "happy_to_answer": "on",
    "bio": "I run **everything**.",
    "list_on_state_page": "on",
    "time_zone": "America/Chicago",
    **{f"{name}_visibility": "members" for name in PROFILE_FIELDS},
    "state_visibility": "public",
}


def test_profile_form_requires_sign_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_form_saves_every_field(alice_client, alice):
    response = alice_client.post("/accounts/profile/", FULL)
    assert response.status_code == 302
    assert response["Location"] == "/members/alice"
    profile = Profile.objects.get(user=alice)
    assert (profile.display_name, profile.state, profile.years_in_role) == ("Dana Reyes", "VT", 4)
    assert profile.happy_to_answer and profile.list_on_state_page
    assert profile.state_visibility == Visibility.PUBLIC
    assert profile.time_zone == "America/Chicago"


def test_time_zone_may_be_left_to_the_browser(alice_client, alice):
    alice_client.post("/accounts/profile/", {**FULL, "time_zone": ""})
    assert Profile.objects.get(user=alice).time_zone == ""


def test_time_zone_is_never_shown_on_the_profile_page(alice_client, alice, client):
    alice_client.post(
        "/accounts/profile/", {**FULL, **{f"{name}_visibility": "public" for name in PROFILE_FIELDS}}
    )
    assert "America/Chicago" not in client.get("/members/alice").content.decode()
    assert "America/Chicago" not in alice_client.get("/members/alice").content.decode()


def test_expertise_tags_are_lower_cased_and_deduplicated(alice_client, alice):
    alice_client.post("/accounts/profile/", FULL)
    tags = [tag.name for tag in Profile.objects.get(user=alice).expertise.all()]
    assert tags == ["e-rate", "networking"]


def test_members_share_one_tag_row(alice_client, alice, bob_client, bob):
    alice_client.post("/accounts/profile/", FULL)
    bob_client.post("/accounts/profile/", {**FULL, "expertise": "Networking"})
    assert ExpertiseTag.objects.filter(name="networking").count() == 1


def test_bio_is_rendered_and_sanitised(alice_client, alice):
    alice_client.post("/accounts/profile/", {**FULL, "bio": "Hi <script>alert(1)</script> **there**"})
    html = Profile.objects.get(user=alice).bio_html
    assert "<strong>there</strong>" in html
    assert "<script>" not in html


def test_new_profile_defaults_every_visibility_to_members(alice_client, alice):
    alice_client.post("/accounts/profile/", {"role": "technician", "district_size": "under-1000"})
    profile = Profile.objects.get(user=alice)
    assert {getattr(profile, f"{name}_visibility") for name in PROFILE_FIELDS} == {Visibility.MEMBERS}
    assert profile.list_on_state_page is False


def test_visibility_left_out_of_the_form_keeps_its_value(alice_client, alice):
    Profile.objects.create(user=alice, bio_visibility=Visibility.HIDDEN)
    alice_client.post("/accounts/profile/", {"role": "technician", "district_size": "under-1000"})
    assert Profile.objects.get(user=alice).bio_visibility == Visibility.HIDDEN


def test_viewing_the_form_creates_no_profile(alice_client, alice):
    assert alice_client.get("/accounts/profile/").status_code == 200
    assert not Profile.objects.filter(user=alice).exists()


def test_form_shows_current_expertise(alice_client, alice):
    alice_client.post("/accounts/profile/", FULL)
    assert 'value="e-rate, networking"' in alice_client.get("/accounts/profile/").content.decode()


def test_form_labels_every_visibility_select(alice_client):
    html = alice_client.get("/accounts/profile/").content.decode()
    for name in PROFILE_FIELDS:
        assert f'<label for="id_{name}_visibility">' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"years_in_role": "61"}, "less than or equal to 60"),
        ({"years_in_role": "-1"}, "greater than or equal to 0"),
        ({"years_in_role": "many"}, "Enter a whole number"),
        ({"state": "ZZ"}, "Select a valid choice"),
        ({"time_zone": "Nowhere/Land"}, "Select a valid choice"),
        ({"time_zone": "../../etc/passwd"}, "Select a valid choice"),
        ({"role": "astronaut"}, "Select a valid choice"),
        ({"district_size": "huge"}, "Select a valid choice"),
        ({"bio_visibility": "friends"}, "Select a valid choice"),
        ({"bio": "x" * 4001}, "at most 4000 characters"),
        ({"display_name": "x" * 101}, "at most 100 characters"),
        ({"expertise": ", ".join(f"tag{n}" for n in range(16))}, "at most 15 areas"),
        ({"expertise": "x" * 41}, "2 to 40 characters"),
        ({"expertise": "a"}, "2 to 40 characters"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_saved(alice_client, alice, changes, message):
    response = alice_client.post("/accounts/profile/", {**FULL, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Profile.objects.filter(user=alice).exists()
    assert not ExpertiseTag.objects.exists()
