"""A saved revision notifies the page's watchers (not its author), and its author may start watching."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import make_user
from districtwiki.notifications import receivers
from districtwiki.notifications.models import Notification, NotificationSettings
from districtwiki.wiki import actions as wiki
from districtwiki.wiki.models import Watch

from .conftest import watch

pytestmark = pytest.mark.django_db


def edit(page, text, author, summary=""):
    return wiki.save_revision(page.title, text, author, page.latest_id, summary)


def test_edit_notifies_every_watcher(wifi, alice, bob, ada):
    watch(bob, wifi)
    watch(ada, wifi)
    edit(wifi, "New access points.", alice, "more APs")
    for watcher in (bob, ada):
        notification = Notification.objects.get(user=watcher)
        assert notification.kind == Notification.Kind.PAGE_EDIT
        assert notification.text == "alice edited Wifi: more APs"
        assert notification.actor == alice


def test_edit_does_not_notify_its_author(wifi, alice):
    watch(alice, wifi)
    edit(wifi, "New access points.", alice)
    assert not Notification.objects.filter(user=alice).exists()


def test_edit_without_summary_says_who_edited_what(wifi, alice, bob):
    watch(bob, wifi)
    edit(wifi, "New access points.", alice)
    assert Notification.objects.get(user=bob).text == "alice edited Wifi"


def test_notification_links_to_the_diff_of_the_edit(wifi, alice, bob):
    watch(bob, wifi)
    revision = edit(wifi, "New access points.", alice).revision
    assert Notification.objects.get(user=bob).url == f"/diff/Wifi?from={revision.parent_id}&to={revision.pk}"


def test_first_revision_links_to_the_page(make_page, bob):
    page = make_page("Access points", "APs.").page
    assert receivers.revision_url(page, page.latest) == "/wiki/Access_points"


def test_inactive_watcher_is_not_notified(wifi, alice, bob):
    watch(bob, wifi)
    bob.is_active = False
    bob.save()
    edit(wifi, "New access points.", alice)
    assert not Notification.objects.filter(user=bob).exists()


def test_watchers_of_other_pages_are_not_notified(wifi, make_page, alice, bob):
    watch(bob, make_page("Printers", "Toner.").page)
    edit(wifi, "New access points.", alice)
    assert not Notification.objects.filter(user=bob).exists()


def test_anonymous_edit_notifies_watchers(settings, wifi, bob):
    settings.ALLOW_ANONYMOUS_EDITS = True
    watch(bob, wifi)
    edit(wifi, "New access points.", AnonymousUser())
    assert Notification.objects.get(user=bob).text == "Anonymous edited Wifi"


def test_notifying_watchers_costs_two_queries_however_many_watch(wifi, alice, django_assert_num_queries):
    for number in range(12):
        watch(make_user(f"watcher{number}"), wifi)
    with django_assert_num_queries(2):  # find the watchers, insert their notifications
        receivers.notify_watchers(wifi, wifi.latest, alice)
    assert Notification.objects.filter(user__username__startswith="watcher").count() == 12


def test_creating_a_page_watches_it_by_default(make_page, alice):
    page = make_page("Access points", "APs.", author=alice).page
    assert Watch.objects.filter(user=alice, page=page).exists()


def test_editing_a_page_watches_it_by_default(wifi, alice):
    edit(wifi, "New access points.", alice)
    assert Watch.objects.filter(user=alice, page=wifi).exists()


def test_editing_a_watched_page_keeps_one_watch(wifi, alice):
    watch(alice, wifi)
    edit(wifi, "New access points.", alice)
    assert Watch.objects.filter(user=alice, page=wifi).count() == 1


def test_auto_watch_off_leaves_the_watchlist_alone(wifi, alice):
    NotificationSettings.objects.create(user=alice, auto_watch=False)
    edit(wifi, "New access points.", alice)
    assert not Watch.objects.filter(user=alice, page=wifi).exists()


def test_an_author_who_watches_costs_no_auto_watch_queries(wifi, alice, bob, django_assert_num_queries):
    watch(alice, wifi)
    watch(bob, wifi)
    revision = edit(wifi, "New access points.", bob).revision
    Notification.objects.all().delete()
    with django_assert_num_queries(2):  # find the watchers, notify them; no settings read, no watch insert
        receivers.on_revision_saved(None, page=wifi, revision=revision, author=alice, created=False)
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert "bob" in notified and "alice" not in notified
    assert Watch.objects.filter(user=alice, page=wifi).count() == 1
