"""Every profile field × every visibility × every kind of viewer, on the profile page and in the directory.

The owner's other fields are all hidden, so each case sees exactly one field change. A field is "shown" when
the card carries its data-field marker and its value; a hidden one must leave neither, and free text (names,
tags, bio) must not appear anywhere on the page.
"""

import pytest

from districtwiki.community.models import Visibility
from districtwiki.community.visibility import PROFILE_FIELDS

from .conftest import card_html

VALUES = {
    "display_name": "Zephyrine Quill",
    "role": "director",
    "district_name": "Maplebrook Unified",
    "district_size": "1000-2500",
    "state": "VT",
    "years_in_role": 17,
    "happy_to_answer": True,
    "bio": "Fond of **quokkas**.",
}
SHOWN_AS = {
    "display_name": "Zephyrine Quill",
    "role": "Technology director",
    "district_name": "Maplebrook Unified",
    "district_size": "1,000–2,500 students",
    "state": "Vermont",
    "years_in_role": "17",
    "expertise": "wireless mesh",
    "happy_to_answer": "Happy to answer questions",
    "bio": "<strong>quokkas</strong>",
}
FREE_TEXT = {"display_name", "district_name", "expertise", "bio"}
VIEWERS = ("anonymous", "other member", "owner", "admin")
SEES = {
    Visibility.PUBLIC: {"anonymous", "other member", "owner", "admin"},
    Visibility.MEMBERS: {"other member", "owner", "admin"},
    Visibility.HIDDEN: {"owner", "admin"},
}


@pytest.fixture
def owner_with(member):
    def make(field: str, visibility: str):
        visibilities = {f"{name}_visibility": Visibility.HIDDEN for name in PROFILE_FIELDS}
        visibilities[f"{field}_visibility"] = visibility
        return member("olivia", expertise=["wireless mesh"], **VALUES, **visibilities)

    return make


@pytest.fixture
def viewer_client(member, client_for):
    def make(viewer: str, owner):
        user = {
            "anonymous": None,
            "other member": member("mallory"),
            "owner": owner,
            "admin": member("ada", role_name="admin"),
        }[viewer]
        return client_for(user)

    return make


def assert_shown(html: str, field: str) -> None:
    card = card_html(html, "olivia")
    assert card, "the member's card is missing"
    assert f'data-field="{field}"' in card
    assert SHOWN_AS[field] in card


def assert_not_shown(html: str, field: str) -> None:
    card = card_html(html, "olivia")
    assert f'data-field="{field}"' not in card
    assert SHOWN_AS[field] not in card
    if field in FREE_TEXT:
        assert SHOWN_AS[field] not in html


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("visibility", Visibility.values)
@pytest.mark.parametrize("field", PROFILE_FIELDS)
def test_profile_page_shows_field_only_to_viewers_its_visibility_allows(
    owner_with, viewer_client, field, visibility, viewer
):
    owner = owner_with(field, visibility)
    response = viewer_client(viewer, owner).get("/members/olivia")
    assert response.status_code == 200
    html = response.content.decode()
    if viewer in SEES[visibility]:
        assert_shown(html, field)
    else:
        assert_not_shown(html, field)


# The directory is a summary: its cards never carry the bio (the profile page does), whoever looks.
DIRECTORY_FIELDS = [name for name in PROFILE_FIELDS if name != "bio"]


@pytest.mark.parametrize("viewer", ["other member", "owner", "admin"])
@pytest.mark.parametrize("visibility", Visibility.values)
@pytest.mark.parametrize("field", DIRECTORY_FIELDS)
def test_directory_shows_field_only_to_viewers_its_visibility_allows(
    owner_with, viewer_client, field, visibility, viewer
):
    owner = owner_with(field, visibility)
    response = viewer_client(viewer, owner).get("/members/")
    assert response.status_code == 200
    html = response.content.decode()
    if viewer in SEES[visibility]:
        assert_shown(html, field)
    else:
        assert_not_shown(html, field)


@pytest.mark.parametrize("visibility", Visibility.values)
@pytest.mark.parametrize("field", PROFILE_FIELDS)
def test_directory_shows_no_field_to_anonymous_visitors(owner_with, client, field, visibility):
    owner_with(field, visibility)
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SHOWN_AS[field] not in response.content.decode()


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("visibility", Visibility.values)
def test_directory_never_shows_the_bio(owner_with, viewer_client, visibility, viewer):
    owner = owner_with("bio", visibility)
    response = viewer_client(viewer, owner).get("/members/")
    assert "quokkas" not in response.content.decode()
