import re

import pytest

from districtwiki.community.models import Visibility


def listed(response) -> list[str]:
    return re.findall(r'<article class="member-card" data-member="([^"]+)">', response.content.decode())


@pytest.mark.parametrize("code", ["ZZ", "XX", "NEWYORK", "N"])
def test_unknown_state_is_not_found(db, client, code):
    response = client.get(f"/members/state/{code}")
    assert response.status_code == 404
    assert "There is no state chapter" in response.content.decode()


def test_lower_case_code_redirects_to_the_chapter(db, client):
    response = client.get("/members/state/vt")
    assert response.status_code == 301
    assert response["Location"] == "/members/state/VT"


@pytest.mark.parametrize("code", ["DC", "PR", "GU", "VI", "AS", "MP", "WY"])
def test_dc_and_territories_have_chapters(db, client, code):
    assert client.get(f"/members/state/{code}").status_code == 200


def test_state_list_links_every_chapter(db, client):
    html = client.get("/members/state/").content.decode()
    assert html.count('href="/members/state/') == 56


def test_chapter_lists_opted_in_members_of_the_state(member, client_for):
    member("dana", state="VT", list_on_state_page=True)
    member("erin", state="VT")  # did not opt in
    member("finn", state="NH", list_on_state_page=True)
    assert listed(client_for(member("viv")).get("/members/state/VT")) == ["dana"]


def test_members_only_state_is_listed_for_members_not_visitors(member, client, client_for):
    member("dana", state="VT", list_on_state_page=True)  # state visible to members (the default)
    member("erin", state="VT", list_on_state_page=True, state_visibility=Visibility.PUBLIC)
    assert listed(client.get("/members/state/VT")) == ["erin"]
    assert listed(client_for(member("viv")).get("/members/state/VT")) == ["dana", "erin"]


def test_hidden_state_is_never_listed_even_when_opted_in(member, client_for):
    member("dana", state="VT", list_on_state_page=True, state_visibility=Visibility.HIDDEN)
    assert listed(client_for(member("viv")).get("/members/state/VT")) == []


def test_chapter_cards_show_only_visible_fields(member, client):
    member(
        "dana",
        state="VT",
        list_on_state_page=True,
        state_visibility=Visibility.PUBLIC,
        district_name="Maplebrook Unified",
    )
    html = client.get("/members/state/VT").content.decode()
    assert "dana" in html
    assert "Maplebrook Unified" not in html


def test_chapter_lists_pages_in_the_state_category(db, client, make_page):
    make_page("Vermont E-Rate Contacts", "Who to call. [[Category:State/VT]]")
    make_page("New Hampshire Grants", "Money. [[Category:State/NH]]")
    html = client.get("/members/state/VT").content.decode()
    assert '<a href="/wiki/Vermont_E-Rate_Contacts">Vermont E-Rate Contacts</a>' in html
    assert "New Hampshire Grants" not in html


def test_chapter_shows_its_wiki_page_with_edit_link(client_for, member, make_page):
    make_page("State/VT", "The **Vermont** Ed Tech Association meets monthly.")
    html = client_for(member("viv")).get("/members/state/VT").content.decode()
    assert "The <strong>Vermont</strong> Ed Tech Association" in html
    assert 'href="/edit/State/VT"' in html
    assert 'href="/talk/State/VT"' in html


def test_chapter_without_its_page_offers_to_create_it(client_for, member):
    html = client_for(member("viv")).get("/members/state/VT").content.decode()
    assert 'href="/edit/State/VT">Create the page State/VT' in html
    assert "/talk/State/VT" not in html


def test_chapter_page_links_are_resolved(db, client, make_page):
    make_page("State/VT", "See [[Missing Page]].")
    html = client.get("/members/state/VT").content.decode()
    assert 'class="wikilink new"' in html


def test_chapter_lists_latest_board_threads(member, client, make_page):
    from districtwiki.discussions import actions as discussion_actions

    page = make_page("State/VT", "Associations.").page
    discussion_actions.start_thread(page, "Spring meetup", "Who is coming?", member("dana"))
    assert "Spring meetup" in client.get("/members/state/VT").content.decode()


def test_chapter_query_count_is_pinned(member, client_for, make_page, django_assert_max_num_queries):
    make_page("State/VT", "Associations. [[Category:State/VT]]")
    for number in range(10):
        member(f"m{number}", state="VT", list_on_state_page=True, expertise=["wifi"])
    client = client_for(member("viv"))
    with django_assert_max_num_queries(14):
        assert client.get("/members/state/VT").status_code == 200
