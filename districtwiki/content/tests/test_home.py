"""The home page: a welcome with the reasons to join for visitors, a dashboard for members."""

import datetime

import pytest
import time_machine

from conftest import make_user
from districtwiki.community.models import Profile
from districtwiki.content import deadlines, pathways
from districtwiki.content.loader import PAGES_DIR as STARTER_PAGES
from districtwiki.content.models import PathwayStep
from districtwiki.discussions import actions as discussion_actions
from districtwiki.wiki.models import Watch

NOW = datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC)


def page_text(audience: str, size: str = "any", reviewed: str = "2026-11-01", every: int = 12) -> str:
    return (
        f"---\naudience: [{audience}]\ndistrict_size: [{size}]\nreviewed: {reviewed}\nreview_every: {every}\n"
        "time_sensitive: false\nsources: [{title: A guide}]\n---\nText.\n\n[[Category:Cybersecurity]]\n"
    )


def section(content: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id`."""
    start = content.index(f'aria-labelledby="{heading_id}"')
    return content[start : content.index("</section>", start)]


def home(client) -> str:
    with time_machine.travel(NOW):
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# --- Signed-out visitors ----------------------------------------------------------------------------------


def test_visitor_sees_what_the_community_is_and_how_to_join(client, db, settings):
    settings.SIGNUP = "open"
    hero = section(home(client), "home-hero-heading")
    for value in ("Practical, sourced pages", "Peers like you", "Discussions"):
        assert value in hero
    assert 'href="/accounts/signup/"' in hero
    assert 'href="/accounts/login/?next=/"' in hero


def test_visitor_is_asked_to_join_when_sign_up_needs_approval(client, db, settings):
    settings.SIGNUP = "approval"
    assert "Ask to join" in section(home(client), "home-hero-heading")


def test_visitor_gets_no_sign_up_link_when_joining_is_by_invitation(client, db, settings):
    settings.SIGNUP = "invite"
    hero = section(home(client), "home-hero-heading")
    assert "/accounts/signup/" not in hero
    assert "Joining is by invitation" in hero


def test_visitor_sees_pathways_topics_and_recent_pages(client, make_page):
    make_page("Firewalls", page_text("technician"))
    content = home(client)
    for pathway in pathways.all_pathways():
        assert pathway.name in section(content, "pathways-heading")
    assert "Cybersecurity" in section(content, "topics-heading")
    assert "Firewalls" in section(content, "recent-heading")
    assert "For you" not in content
    assert "<progress" not in content


def test_this_month_shows_only_dates_ahead_from_the_deadlines_file(client, db):
    this_month = section(home(client), "this-month-heading")
    assert "26 Apr 2027" in this_month  # ADA Title II, larger entities (deadlines.yaml)
    assert "1 Apr 2026" not in this_month  # already past on 6 Dec 2026
    assert this_month.count("<time") <= 3


def test_this_month_says_when_nothing_is_due_within_a_month(client, db):
    assert "Nothing dated in the next 30 days" in section(home(client), "this-month-heading")


def test_this_month_leads_with_a_deadline_within_a_month(client, db):
    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)):
        this_month = section(client.get("/").content.decode(), "this-month-heading")
    assert "Nothing dated" not in this_month
    assert this_month.index("1 Apr 2026") < this_month.index("22 Apr 2026")


@pytest.mark.parametrize(
    ("when", "step", "page"),
    [
        (
            (2026, 12, 6),
            "Form 470 and let bidding run at least 28 days",
            "/wiki/Competitive_bidding_and_the_28-day_rule",
        ),
        ((2027, 2, 10), "The Form 471 filing window", "/wiki/The_E-Rate_annual_calendar"),
        ((2027, 5, 20), "Funding decisions arrive in waves", "/wiki/The_E-Rate_annual_calendar"),
        ((2027, 8, 1), "Review the contracts that end next June", "/wiki/The_E-Rate_annual_calendar"),
    ],
)
def test_this_month_names_the_e_rate_step_of_the_season(client, db, when, step, page):
    with time_machine.travel(datetime.datetime(*when, 12, tzinfo=datetime.UTC)):
        this_month = section(client.get("/").content.decode(), "this-month-heading")
    assert "E-Rate this season" in this_month
    assert step in this_month
    assert f'href="{page}"' in this_month


def test_every_month_has_one_e_rate_season_and_its_page_ships(db):
    shipped = {path.stem.replace("_", " ") for path in STARTER_PAGES.glob("*.md")}
    for month in range(1, 13):
        season = deadlines.season_of(datetime.date(2027, month, 1))
        assert season is not None, month
        assert season.page in shipped
    assert sorted(m for season in deadlines.all_seasons() for m in season.months) == list(range(1, 13))


def test_recent_discussions_show_reply_counts(client, alice, bob, make_page):
    page = make_page("Firewalls", page_text("technician")).page
    thread = discussion_actions.start_thread(page, "Which firewall?", "Any advice?", alice)
    discussion_actions.add_post(thread, "This one.", bob)
    discussions = section(home(client), "discussions-heading")
    assert "Which firewall?" in discussions
    assert "1 reply" in discussions
    assert 'href="/talk/Firewalls"' in discussions


def test_visitor_home_costs_a_few_queries(client, make_page, django_assert_max_num_queries):
    for number in range(10):
        make_page(f"Page {number}", page_text("technician"))
    with django_assert_max_num_queries(4):
        home(client)


# --- Members --------------------------------------------------------------------------------------------


@pytest.fixture
def coordinator(alice):
    Profile.objects.create(user=alice, role="coordinator", district_size="1000-2500")
    return alice


def test_member_sees_suggestions_with_their_reasons(client, coordinator, make_page):
    make_page("E-Rate in one page", page_text("coordinator, director"))
    client.force_login(coordinator)
    for_you = section(home(client), "for-you-heading")
    assert "E-Rate in one page" in for_you
    assert "Step 3 of your pathway" in for_you


def test_member_sees_progress_on_every_pathway_their_own_first(client, coordinator):
    first = pathways.get("coordinator").titles[0]
    PathwayStep.objects.create(user=coordinator, pathway="coordinator", title=first)
    client.force_login(coordinator)
    cards = section(home(client), "pathways-heading")
    assert cards.count("<progress") == len(pathways.all_pathways())
    assert cards.index("Your pathway") < cards.index(pathways.get("technician").name)
    assert "1 of 14 done" in cards


def test_this_month_puts_the_members_deadlines_first(client, alice, make_page):
    Profile.objects.create(user=alice, role="technician", district_size="under-1000")
    make_page("COPPA in schools", page_text("superintendent"))
    make_page("The ADA Title II web rule", page_text("technician"))
    client.force_login(alice)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)):
        this_month = section(client.get("/").content.decode(), "this-month-heading")
    # The E-Rate window (1 Apr 2026) comes sooner, but the ADA rule's page is written for technicians.
    assert this_month.index("ADA Title II") < this_month.index("E-Rate FY2026")


def test_member_without_a_profile_is_asked_for_one(alice_client):
    for_you = section(home(alice_client), "for-you-heading")
    assert 'href="/accounts/profile/"' in for_you
    assert "role and district size" in for_you


def test_member_sees_watched_pages_due_for_review(client, coordinator, make_page):
    page = make_page("Old page", page_text("coordinator", reviewed="2025-01-01", every=6)).page
    Watch.objects.create(user=coordinator, page=page)
    client.force_login(coordinator)
    assert "Old page" in section(home(client), "review-due-heading")


def test_member_dashboard_is_never_stored_for_others(client, coordinator):
    client.force_login(coordinator)
    with time_machine.travel(NOW):
        response = client.get("/")
    assert "private" in response["Cache-Control"]
    client.logout()
    assert "Welcome back" not in home(client)


def test_member_home_query_count_is_pinned(client, coordinator, make_page, django_assert_max_num_queries):
    peer = make_user("dana")
    Profile.objects.create(user=peer, role="coordinator", district_size="1000-2500")
    for number in range(20):
        page = make_page(f"Page {number}", page_text("coordinator")).page
        Watch.objects.create(user=peer, page=page)
        discussion_actions.start_thread(page, f"Thread {number}", "Text", peer)
    client.force_login(coordinator)
    with django_assert_max_num_queries(17):
        home(client)
