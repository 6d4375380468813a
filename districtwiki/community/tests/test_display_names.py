"""Wherever the wiki shows who did something, it names the member as the viewer may see them: their display
name when its visibility lets the viewer see it, else their username; the link still goes to the profile by
username. Listings name every row without a query per row."""

import pytest
from django.core.files.base import ContentFile

from districtwiki.community import actions as community
from districtwiki.community.models import Visibility
from districtwiki.discussions import actions as discussions
from districtwiki.wiki import actions, uploads

pytestmark = pytest.mark.django_db

NAME = "Dana Whitfield"


@pytest.fixture
def dana(member):
    return member("dana", display_name=NAME, display_name_visibility=Visibility.MEMBERS)


@pytest.fixture
def edited_by_dana(dana, make_page):
    first = make_page("Budget", "First text.")
    return make_page("Budget", "Second text.", author=dana, summary="tidy", base_revision=first.revision.pk)


def test_history_names_the_author_to_members(edited_by_dana, client_for, alice):
    html = client_for(alice).get("/history/Budget").content.decode()
    assert f'<a class="member-link" href="/members/dana">{NAME}</a>' in html


def test_history_names_the_author_by_username_to_visitors(edited_by_dana, client_for):
    html = client_for(None).get("/history/Budget").content.decode()
    assert NAME not in html
    assert '<a class="member-link" href="/members/dana">dana</a>' in html


def test_hidden_display_name_is_not_shown_to_members(member, make_page, client_for, alice):
    shy = member("shy", display_name="Secret Name", display_name_visibility=Visibility.HIDDEN)
    make_page("Budget", "Text.", author=shy)
    assert "Secret Name" not in client_for(alice).get("/history/Budget").content.decode()


def test_recent_changes_name_the_author_and_filter_by_username(edited_by_dana, client_for, alice):
    html = client_for(alice).get("/special/recent").content.decode()
    assert f">{NAME}</a>" in html
    assert 'href="?user=dana"' in html


def test_diff_header_names_the_author(edited_by_dana, client_for, alice):
    html = client_for(alice).get("/diff/Budget").content.decode()
    assert f'<a class="member-link" href="/members/dana">{NAME}</a>' in html


def test_page_footer_names_the_last_author(edited_by_dana, client_for, alice):
    html = client_for(alice).get("/wiki/Budget").content.decode()
    assert f">{NAME}</a>." in html


def test_cached_visitor_page_never_holds_a_members_only_name(edited_by_dana, client_for, alice):
    client_for(alice).get("/wiki/Budget")  # a member's view is never stored for visitors
    visitor = client_for(None)
    visitor.get("/wiki/Budget")
    cached = visitor.get("/wiki/Budget")
    assert cached["X-Cache"] == "hit"
    assert NAME not in cached.content.decode()


def test_publishing_the_display_name_refreshes_cached_visitor_pages(edited_by_dana, dana, client_for):
    visitor = client_for(None)
    visitor.get("/wiki/Budget")
    assert visitor.get("/wiki/Budget")["X-Cache"] == "hit"
    profile = dana.profile
    profile.display_name_visibility = Visibility.PUBLIC
    community.save_profile(profile, [])
    assert f">{NAME}</a>." in visitor.get("/wiki/Budget").content.decode()


def test_thread_posts_name_their_authors(dana, make_page, client_for, alice):
    page = make_page("Budget", "Text.").page
    thread = discussions.start_thread(page, "Costs", "What did you pay?", dana)
    html = client_for(alice).get(f"/discussions/{thread.pk}").content.decode()
    assert f"{NAME}</a>" in html
    assert f'Reply<span class="visually-hidden"> to {NAME}</span>' in html


def test_file_page_names_the_uploader(dana, client_for, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    uploads.upload_file("Plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n", name="Plan.pdf"), dana, "the plan")
    html = client_for(alice).get("/wiki/File:Plan.pdf").content.decode()
    assert f">{NAME}</a>" in html


def test_recent_changes_query_count_does_not_grow_with_authors(
    member, make_page, client_for, alice, django_assert_max_num_queries
):
    for number in range(8):
        author = member(f"editor{number}", display_name=f"Editor {number}")
        make_page(f"Page {number}", "Text.", author=author)
    reader = client_for(alice)
    with django_assert_max_num_queries(6):
        html = reader.get("/special/recent").content.decode()
    assert "Editor 7" in html


def test_history_query_count_does_not_grow_with_authors(
    member, make_page, client_for, alice, django_assert_max_num_queries
):
    base = None
    for number in range(8):
        author = member(f"editor{number}", display_name=f"Editor {number}")
        base = actions.save_revision("Budget", f"Text {number}.", author, base, "").revision.pk
    reader = client_for(alice)
    with django_assert_max_num_queries(7):
        html = reader.get("/history/Budget").content.decode()
    assert "Editor 0" in html


def test_notifications_name_the_actor(dana, make_page, client_for, alice):
    first = make_page("Budget", "First text.")
    actions.set_watch(first.page, alice, True)
    make_page("Budget", "Second text.", author=dana, base_revision=first.revision.pk)
    html = client_for(alice).get("/notifications/").content.decode()
    assert f"{NAME} edited Budget" in html
    assert "dana edited" not in html


def test_page_info_names_the_first_and_last_authors(edited_by_dana, client_for, alice):
    html = client_for(alice).get("/special/info/Budget").content.decode()
    assert f'<a class="member-link" href="/members/dana">{NAME}</a>' in html


def test_log_names_who_acted(member, make_page, client_for, alice):
    trusted = member("tess", role_name="trusted", display_name="Tess Okafor")
    page = make_page("Budget", "Text.").page
    actions.protect_page(page, page.Protection.TRUSTED, trusted, "vandalism")
    html = client_for(alice).get("/special/log").content.decode()
    assert '<a class="member-link" href="/members/tess">Tess Okafor</a>' in html


def test_edit_conflict_names_the_other_editor(dana, make_page, client_for, alice):
    first = make_page("Budget", "Intro.\nApply in March.\nEnd.").revision
    make_page("Budget", "Intro.\nApply in January.\nEnd.", author=dana, base_revision=first.pk)
    form = {
        "text": "Intro.\nApply early in March.\nEnd.",
        "base_revision": first.pk,
        "summary": "",
        "save": "1",
    }
    response = client_for(alice).post("/edit/Budget", form)
    assert response.status_code == 409
    content = response.content.decode()
    assert f'<a class="member-link" href="/members/dana">{NAME}</a> saved revision' in content
    assert f"by {NAME}, <time" in content
