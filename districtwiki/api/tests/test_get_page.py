import pytest

from districtwiki.wiki import actions

from .helpers import page_url
from .openapi import documented_json, error_detail


def test_page_returns_current_revision(client, make_page, alice):
    first = make_page("E-Rate basics", "First", author=alice).revision
    latest = make_page(
        "E-Rate basics", "Second **bold**", author=alice, summary="tidy", base_revision=first.pk
    )
    response = client.get(page_url("E-Rate basics"))
    assert response.status_code == 200
    page = documented_json(response)
    assert page["title"] == "E-Rate basics"
    assert page["revision"]["id"] == latest.revision.pk
    assert page["revision"]["author"] == "alice"
    assert page["content"] == "Second **bold**"
    assert "<strong>bold</strong>" in page["html"]


def test_title_with_spaces_or_underscores_finds_the_same_page(client, make_page):
    make_page("Acceptable use policy", "AUP")
    response = client.get("/api/v1/pages/acceptable use_policy")
    assert documented_json(response)["title"] == "Acceptable use policy"


def test_subpage_title_may_contain_slashes(client, make_page):
    make_page("Budget/2025/Q1", "Quarter one")
    response = client.get(page_url("Budget/2025/Q1"))
    assert response.status_code == 200
    assert documented_json(response)["content"] == "Quarter one"


def test_links_are_blue_for_existing_pages_and_red_for_missing(client, make_page):
    make_page("CIPA", "Filtering law")
    make_page("Compliance", "See [[CIPA]] and [[COPPA]]")
    html = documented_json(client.get(page_url("Compliance")))["html"]
    assert 'class="wikilink" href="/wiki/CIPA"' in html
    assert 'class="wikilink new" href="/edit/COPPA"' in html


def test_red_link_turns_blue_when_target_is_created(client, make_page):
    make_page("Compliance", "See [[COPPA]]")
    make_page("COPPA", "Children's privacy")
    html = documented_json(client.get(page_url("Compliance")))["html"]
    assert 'class="wikilink" href="/wiki/COPPA"' in html


def test_old_revision_by_query_parameter(client, make_page):
    first = make_page("Devices", "one").revision
    make_page("Devices", "two", base_revision=first.pk)
    response = client.get(page_url("Devices"), {"revision": first.pk})
    page = documented_json(response)
    assert page["revision"]["id"] == first.pk
    assert page["content"] == "one"


def test_revision_of_another_page_is_not_found(client, make_page):
    other = make_page("Other", "elsewhere").revision
    make_page("Devices", "one")
    response = client.get(page_url("Devices"), {"revision": other.pk})
    assert error_detail(response, 404) == f"Revision {other.pk} is not a revision of “Devices”."


def test_missing_revision_is_not_found(client, make_page):
    make_page("Devices", "one")
    response = client.get(page_url("Devices"), {"revision": 999999})
    assert "999999 is not a revision" in error_detail(response, 404)


def test_non_integer_revision_is_bad_request(client, make_page):
    make_page("Devices", "one")
    response = client.get(page_url("Devices"), {"revision": "latest"})
    assert error_detail(response, 400).startswith("The request is not valid: revision:")


def test_missing_page_is_not_found_with_message(client, db):
    response = client.get(page_url("No such page"))
    assert error_detail(response, 404) == 'There is no page called "No such page".'


def test_deleted_page_is_not_found(client, make_page, ada):
    page = make_page("Old plan", "gone").page
    actions.delete_page(page, ada)
    assert error_detail(client.get(page_url("Old plan")), 404) == 'There is no page called "Old plan".'


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Bad|title", 'Titles cannot contain the character "|".'),
        ("Budget//Q1", "A title cannot start or end with / or contain an empty subpage name."),
        ("x" * 300, "Titles can be at most 255 characters; this one has 300."),
    ],
)
def test_invalid_title_is_bad_request_with_message(client, db, title, message):
    assert error_detail(client.get(page_url(title)), 400) == message


def test_page_read_uses_at_most_two_queries(client, make_page, django_assert_max_num_queries):
    make_page("Hub", "[[A]] [[B]] [[C]]")
    make_page("A", "a")
    with django_assert_max_num_queries(2):
        response = client.get(page_url("Hub"))
    assert response.status_code == 200


def test_private_wiki_refuses_anonymous_readers(client, make_page, settings):
    make_page("Staffing", "ratios")
    settings.PRIVATE_WIKI = True
    detail = error_detail(client.get(page_url("Staffing")), 401)
    assert detail == "This wiki is private: sign in or send an API token."


def test_private_wiki_admits_token_holders(client, make_page, settings, alice_key):
    make_page("Staffing", "ratios")
    settings.PRIVATE_WIKI = True
    response = client.get(page_url("Staffing"), HTTP_AUTHORIZATION=f"Bearer {alice_key}")
    assert documented_json(response)["content"] == "ratios"
