"""Ranking "for you": role and size fit, the member's pathway, deadlines ahead, peers, and meaningful ties."""

import datetime

import pytest
import time_machine

from conftest import make_user
from districtwiki.community.models import Profile
from districtwiki.content import foryou, loader, pathways
from districtwiki.content.deadlines import Deadline
from districtwiki.content.models import PathwayStep
from districtwiki.discussions import actions as discussion_actions
from districtwiki.wiki.models import Watch

TODAY = datetime.date(2026, 12, 6)
NOW = datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC)


def front_matter(audience: str, size: str, reviewed: str = "2026-11-01", time_sensitive: bool = False) -> str:
    return (
        f"---\naudience: [{audience}]\ndistrict_size: [{size}]\nreviewed: {reviewed}\nreview_every: 12\n"
        f"time_sensitive: {str(time_sensitive).lower()}\nsources: [{{title: A guide}}]\n---\nText.\n"
    )


def profile(user, role: str = "technician", size: str = "under-1000") -> Profile:
    return Profile.objects.create(user=user, role=role, district_size=size)


def ranked(user, done: set[str] = frozenset(), deadlines: list[Deadline] = (), today=TODAY) -> list[str]:
    member = foryou.member_from(Profile.objects.get(user=user))
    return [suggestion.page.title for suggestion in foryou.rank(member, set(done), list(deadlines), today)]


# --- Role and district size ---------------------------------------------------------------------------


def test_page_for_the_members_own_role_ranks_above_a_related_audience(alice, make_page):
    profile(alice, role="director", size="under-1000")  # reads director and coordinator pages
    make_page("Zebra for directors", front_matter("director", "any"))
    make_page("Aardvark for coordinators", front_matter("coordinator", "any"))
    assert ranked(alice) == ["Zebra for directors", "Aardvark for coordinators"]


def test_page_for_the_members_size_ranks_above_any_size(alice, make_page):
    profile(alice)
    make_page("Any size", front_matter("technician", "any"))
    make_page("Zoned for small", front_matter("technician", "under-1000"))
    assert ranked(alice) == ["Zoned for small", "Any size"]


def test_pages_for_other_roles_are_left_out(alice, make_page):
    profile(alice)
    make_page("For superintendents", front_matter("superintendent", "any"))
    assert ranked(alice) == []


def test_role_fit_outweighs_size_fit(alice, make_page):
    profile(alice, role="director", size="under-1000")
    make_page("Own role, any size", front_matter("director", "any"))
    make_page("Related role, my size", front_matter("coordinator", "under-1000"))
    assert ranked(alice)[0] == "Own role, any size"


# --- Pathway next steps ---------------------------------------------------------------------------------


def test_the_next_pathway_step_outranks_a_page_off_the_pathway(alice, make_page):
    profile(alice)
    first_step = pathways.pathway_for_role("technician").titles[0]
    make_page("Also for technicians", front_matter("technician", "under-1000", reviewed="2026-12-01"))
    make_page(first_step, front_matter("technician", "under-1000", reviewed="2026-01-01"))
    assert ranked(alice)[0] == first_step


def test_steps_ticked_done_leave_and_the_following_step_comes_first(alice, make_page):
    profile(alice)
    first, second, third = pathways.pathway_for_role("technician").titles[:3]
    for title in (third, second, first):
        make_page(title, front_matter("technician", "under-1000"))
    PathwayStep.objects.create(user=alice, pathway="technician", title=first)
    assert ranked(alice, done={first}) == [second, third]


def test_pathway_steps_that_tie_come_in_the_pathways_order(alice, bob, make_page):
    profile(alice)
    first, second, third = pathways.pathway_for_role("technician").titles[:3]
    make_page(first, front_matter("technician", "under-1000"))
    make_page(second, front_matter("technician", "under-1000", reviewed="2026-01-01"))
    later = make_page(third, front_matter("technician", "under-1000", reviewed="2026-12-01")).page
    Watch.objects.create(user=bob, page=later)  # reviewed later and more watched, still a later step
    assert ranked(alice) == [first, second, third]


def test_a_role_without_its_own_audience_still_gets_its_pathway():
    # A profile role named after a pathway ranks that pathway's pages as its own, whatever the role list says.
    assert pathways.pathway_for_role("coordinator").slug == "coordinator"
    assert pathways.pathway_for_role("teacher").slug == "teacher-leader"
    assert pathways.pathway_for_role("other") is None
    assert pathways.pathway_for_role("") is None


# --- Deadlines ahead ------------------------------------------------------------------------------------


def deadline_on(date: datetime.date, page: str) -> Deadline:
    return Deadline(date=date, title="Forms due", page=page, source="An agency")


def test_a_page_with_a_deadline_close_ahead_moves_up(alice, make_page):
    profile(alice)
    make_page("Evergreen", front_matter("technician", "under-1000", reviewed="2026-12-01"))
    make_page("Dated", front_matter("technician", "under-1000", reviewed="2026-01-01"))
    soon = [deadline_on(datetime.date(2026, 12, 20), "Dated")]
    assert ranked(alice, deadlines=soon) == ["Dated", "Evergreen"]


def test_a_deadline_far_ahead_gives_no_boost(alice, make_page):
    profile(alice)
    make_page("Evergreen", front_matter("technician", "under-1000", reviewed="2026-12-01"))
    make_page("Dated", front_matter("technician", "under-1000", reviewed="2026-01-01"))
    far = [deadline_on(datetime.date(2027, 11, 1), "Dated")]
    assert ranked(alice, deadlines=far) == ["Evergreen", "Dated"]


def test_the_boost_follows_todays_date(alice, make_page):
    profile(alice)
    make_page("Evergreen", front_matter("technician", "under-1000", reviewed="2026-12-01"))
    make_page("Dated", front_matter("technician", "under-1000", reviewed="2026-01-01"))
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC)):
        ahead = [deadline_on(datetime.date(2027, 3, 20), "Dated")]
        assert ranked(alice, deadlines=ahead, today=datetime.date(2027, 3, 1)) == ["Dated", "Evergreen"]


def test_time_sensitive_pages_outrank_evergreen_ones(alice, make_page):
    profile(alice)
    make_page("Evergreen", front_matter("technician", "any", reviewed="2026-12-01"))
    make_page("Dated rules", front_matter("technician", "any", reviewed="2026-01-01", time_sensitive=True))
    assert ranked(alice) == ["Dated rules", "Evergreen"]


# --- Peers ----------------------------------------------------------------------------------------------


def test_a_page_peers_watch_moves_up(alice, make_page):
    profile(alice)
    make_page("Quiet", front_matter("technician", "any", reviewed="2026-12-01"))
    watched = make_page("Watched by a peer", front_matter("technician", "any", reviewed="2026-01-01")).page
    peer = make_user("dana")
    profile(peer)
    Watch.objects.create(user=peer, page=watched)
    assert ranked(alice) == ["Watched by a peer", "Quiet"]


def test_a_member_unlike_alice_is_no_peer(alice, make_page):
    profile(alice)
    make_page("Quiet", front_matter("technician", "any", reviewed="2026-12-01"))
    watched = make_page(
        "Watched by a director", front_matter("technician", "any", reviewed="2026-01-01")
    ).page
    other = make_user("dana")
    profile(other, role="director", size="over-10000")
    Watch.objects.create(user=other, page=watched)
    assert ranked(alice) == ["Quiet", "Watched by a director"]


def test_peers_editing_and_discussing_a_page_count(alice, make_page):
    profile(alice)
    make_page("Quiet", front_matter("technician", "any", reviewed="2026-12-01"))
    peer = make_user("dana")
    profile(peer)
    make_page("Edited by a peer", front_matter("technician", "any", reviewed="2026-01-01"), author=peer)
    talked = make_page("Discussed by a peer", front_matter("technician", "any", reviewed="2025-12-01")).page
    discussion_actions.start_thread(talked, "Which switch?", "Any advice?", peer)
    assert ranked(alice) == ["Edited by a peer", "Discussed by a peer", "Quiet"]


# --- Ties -----------------------------------------------------------------------------------------------


def test_ties_go_to_the_most_recently_reviewed_page_not_the_alphabet(alice, make_page):
    profile(alice)
    make_page("Aardvark", front_matter("technician", "any", reviewed="2026-01-01"))
    make_page("Zebra", front_matter("technician", "any", reviewed="2026-11-01"))
    make_page("Middle", front_matter("technician", "any", reviewed="2026-06-01"))
    assert ranked(alice) == ["Zebra", "Middle", "Aardvark"]


def test_equal_review_dates_go_to_the_most_watched_page(alice, bob, make_page):
    profile(alice)
    popular = make_page("Zebra", front_matter("technician", "any")).page
    make_page("Aardvark", front_matter("technician", "any"))  # updated last, and first in the alphabet
    Watch.objects.create(user=bob, page=popular)  # bob has no profile: popularity, not a peer
    assert ranked(alice) == ["Zebra", "Aardvark"]


def test_equal_review_dates_and_watchers_go_to_the_page_most_linked_to(alice, make_page):
    profile(alice)
    make_page("Zebra", front_matter("technician", "any"))
    make_page("Aardvark", front_matter("technician", "any"))  # updated last, and first in the alphabet
    make_page("Hub", "See [[Zebra]].")
    assert ranked(alice) == ["Zebra", "Aardvark"]


# --- Cost -----------------------------------------------------------------------------------------------


def test_ranking_costs_the_same_few_queries_however_many_pages(
    alice, make_page, django_assert_max_num_queries
):
    profile(alice)
    peer = make_user("dana")
    profile(peer)
    for number in range(30):
        page = make_page(f"Page {number}", front_matter("technician", "any")).page
        Watch.objects.create(user=peer, page=page)
    member = foryou.member_from(Profile.objects.get(user=alice))
    with django_assert_max_num_queries(7):
        assert len(foryou.rank(member, set(), [], TODAY)) == foryou.LIMIT


# --- Acceptance: the starter content ----------------------------------------------------------------------


@pytest.fixture
def starter_content(db):
    loader.load()


@pytest.mark.parametrize("size", ["1000-2500"])
def test_a_coordinator_sees_e_rate_in_the_top_three_of_the_starter_content(alice, starter_content, size):
    profile(alice, role="coordinator", size=size)
    with time_machine.travel(NOW):
        titles = ranked(alice)
    assert any("E-Rate" in title for title in titles[:3]), titles
    assert titles != sorted(titles)
