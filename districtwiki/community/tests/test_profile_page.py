import pytest

from districtwiki.wiki import actions as wiki_actions


def test_unknown_member_is_not_found(db, client):
    response = client.get("/members/nobody")
    assert response.status_code == 404
    assert "There is no member called “nobody”" in response.content.decode()


def test_suspended_member_is_not_found_by_members(member, client_for):
    dana = member("dana", state="VT")
    dana.is_active = False
    dana.save()
    assert client_for(member("viv")).get("/members/dana").status_code == 404


def test_admin_sees_a_suspended_member(member, client_for):
    dana = member("dana", state="VT")
    dana.is_active = False
    dana.save()
    response = client_for(member("ada", role_name="admin")).get("/members/dana")
    assert response.status_code == 200
    assert "This account is suspended" in response.content.decode()


def test_member_without_profile_has_a_page(member, client):
    member("dana")
    response = client.get("/members/dana")
    assert response.status_code == 200
    assert "dana has not shared anything about themselves with you" in response.content.decode()


def test_profile_never_shows_the_email_address(member, client_for):
    dana = member("dana", state="VT", display_name="Dana")
    for viewer in (None, member("viv"), dana, member("ada", role_name="admin")):
        assert "dana@example.org" not in client_for(viewer).get("/members/dana").content.decode()


def test_profile_lists_recent_edits(member, client, make_page):
    dana = member("dana")
    make_page("Router Basics", "Text.", author=dana, summary="first draft")
    html = client.get("/members/dana").content.decode()
    assert '<a href="/wiki/Router_Basics">Router Basics</a>' in html
    assert "first draft" in html


def test_profile_leaves_out_edits_to_deleted_pages(member, client, make_page, ada):
    dana = member("dana")
    page = make_page("Old Page", "Text.", author=dana).page
    wiki_actions.delete_page(page, ada, "gone")
    assert "Old Page" not in client.get("/members/dana").content.decode()


def test_profile_lists_discussion_threads_and_posts(member, client, make_page):
    from districtwiki.discussions import actions as discussion_actions

    dana = member("dana")
    page = make_page("Router Basics", "Text.").page
    thread = discussion_actions.start_thread(page, "Which router?", "Any advice?", dana)
    html = client.get("/members/dana").content.decode()
    assert f'<a href="/discussions/{thread.pk}">Which router?</a>' in html
    assert "In “Which router?”" in html


def test_watchlist_is_shown_to_the_owner(member, client_for, make_page):
    dana = member("dana")
    result = make_page("Router Basics", "Text.")
    wiki_actions.set_watch(result.page, dana, True)
    html = client_for(dana).get("/members/dana").content.decode()
    assert "Your watchlist" in html
    assert '<a href="/wiki/Router_Basics">Router Basics</a>' in html


@pytest.mark.parametrize("viewer", ["anonymous", "member", "admin"])
def test_watchlist_is_not_shown_to_anyone_else(member, client_for, make_page, viewer):
    dana = member("dana")
    result = make_page("Secret Interest", "Text.")
    wiki_actions.set_watch(result.page, dana, True)
    user = {"anonymous": None, "member": member("viv"), "admin": member("ada", role_name="admin")}[viewer]
    html = client_for(user).get("/members/dana").content.decode()
    assert "watchlist" not in html
    assert "Secret Interest" not in html


def test_owner_sees_edit_link_not_message_button(member, client_for):
    dana = member("dana")
    html = client_for(dana).get("/members/dana").content.decode()
    assert 'href="/accounts/profile/">Edit your profile' in html
    assert "/members/messages/new/dana" not in html
    assert "Report this profile" not in html


def test_member_sees_message_block_and_report_buttons(member, client_for):
    member("dana")
    html = client_for(member("viv")).get("/members/dana").content.decode()
    assert 'href="/members/messages/new/dana"' in html
    assert 'action="/members/block/dana"' in html
    assert 'action="/special/report"' in html
    assert '<input type="hidden" name="user" value="dana">' in html
    assert "Edit your profile" not in html


def test_anonymous_visitor_sees_no_member_buttons(member, client):
    member("dana")
    html = client.get("/members/dana").content.decode()
    assert "/members/messages/new/dana" not in html
    assert "/special/report" not in html


def test_report_button_files_a_report_in_the_moderation_queue(member, client_for):
    from districtwiki.discussions.models import Report

    dana = member("dana")
    viv = member("viv")
    response = client_for(viv).post("/special/report", {"user": "dana", "reason": "Spam profile"})
    assert response.status_code == 302
    assert Report.objects.get().target_user == dana


def test_profile_page_query_count_is_pinned(member, client_for, make_page, django_assert_max_num_queries):
    dana = member("dana", state="VT", expertise=["wifi"], bio="Hi [[Router Basics]]")
    for number in range(5):
        make_page(f"Page {number}", "Text.", author=dana)
    client = client_for(member("viv"))
    with django_assert_max_num_queries(12):
        assert client.get("/members/dana").status_code == 200
