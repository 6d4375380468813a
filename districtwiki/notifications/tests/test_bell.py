"""The header bell: the unread count for a signed-in member, one query at most; nothing for visitors."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_header_shows_the_unread_count(alice_client, notify_alice):
    for _ in range(3):
        notify_alice()
    html = alice_client.get("/special/all").content.decode()
    assert '<span class="badge">3<span class="visually-hidden"> unread</span></span>' in html


def test_header_bell_links_to_the_notifications(alice_client):
    assert (
        'class="notification-bell" href="/notifications/"'
        in alice_client.get("/special/all").content.decode()
    )


def test_read_notifications_are_not_counted(alice_client, notify_alice):
    notify_alice()
    alice_client.post("/notifications/read-all")
    assert 'class="badge"' not in alice_client.get("/special/all").content.decode()


def test_visitors_see_no_bell(client, alice):
    assert "notification-bell" not in client.get("/special/all").content.decode()


def test_bell_costs_one_query_for_a_member(rf, alice, notify_alice, django_assert_num_queries):
    notify_alice()
    request = rf.get("/")
    request.user = type(alice)._default_manager.get(pk=alice.pk)  # as a session loads her, with her profile
    with django_assert_num_queries(1):
        html = render_to_string("base.html", request=request)
    assert '1<span class="visually-hidden"> unread' in html


def test_bell_costs_no_query_for_a_visitor(rf, django_assert_num_queries):
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        render_to_string("base.html", request=request)


def test_bell_is_a_named_icon(alice_client):
    html = alice_client.get("/special/all").content.decode()
    start = html.index('class="notification-bell"')
    bell = html[start : html.index("</a>", start)]
    assert '<svg class="icon" aria-hidden="true"' in bell
    assert '<span class="visually-hidden">Notifications</span>' in bell
    assert "🔔" not in bell


def test_unread_count_is_drawn_in_the_checked_count_colours():
    """White on --count-bg passes AA in both schemes (test_css_contrast); the bell's count uses them."""
    from districtwiki.wiki.tests.test_css_contrast import STYLESHEET

    css = STYLESHEET.read_text()
    start = css.index(".notification-bell .badge {")
    rule = css[start : css.index("}", start)]
    assert "background: var(--count-bg);" in rule
    assert "color: var(--count-text);" in rule
