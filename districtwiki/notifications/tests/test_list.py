"""/notifications/: the list, marking one or all read, and following a notification's link."""

import pytest

from districtwiki.notifications.models import Notification

pytestmark = pytest.mark.django_db


def unread_ids(user) -> set[int]:
    return set(Notification.objects.filter(user=user).unread().values_list("pk", flat=True))


# --- The list


def test_list_shows_notifications_newest_first(alice_client, notify_alice):
    notify_alice("first thing")
    notify_alice("second thing")
    html = alice_client.get("/notifications/").content.decode()
    assert html.index("second thing") < html.index("first thing")


def row_with(html: str, text: str) -> str:
    return next(row for row in html.split("<tr")[1:] if text in row)


def test_list_marks_unread_notifications(alice_client, notify_alice):
    notify_alice("not seen yet")
    read = notify_alice("seen it")
    alice_client.post(f"/notifications/{read.pk}/read")
    html = alice_client.get("/notifications/").content.decode()
    assert row_with(html, "not seen yet").startswith(' class="unread">')
    assert "<strong>Unread</strong>" in row_with(html, "not seen yet")
    assert "<td>Read</td>" in row_with(html, "seen it")


def test_list_shows_only_ones_own_notifications(bob_client, notify_alice):
    notify_alice("for alice only")
    assert "for alice only" not in bob_client.get("/notifications/").content.decode()


def test_list_links_through_the_go_address(alice_client, notify_alice):
    notification = notify_alice()
    assert (
        f'href="/notifications/{notification.pk}/go"' in alice_client.get("/notifications/").content.decode()
    )


def test_list_is_paged(alice_client, notify_alice):
    for number in range(51):
        notify_alice(f"thing {number:02}")
    second = alice_client.get("/notifications/?page=2").content.decode()
    assert "thing 00" in second
    assert "thing 01" not in second


def test_list_page_past_the_end_is_a_400(alice_client, notify_alice):
    notify_alice()
    response = alice_client.get("/notifications/?page=3")
    assert response.status_code == 400
    assert "There is no page 3 of this list" in response.content.decode()


def test_list_requires_signing_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_query_count_is_pinned(alice_client, notify_alice, django_assert_max_num_queries):
    for _ in range(20):
        notify_alice()
    with django_assert_max_num_queries(5):  # session, user, bell, count, page of notifications
        alice_client.get("/notifications/")


# --- Marking read


def test_mark_read_marks_one_notification(alice_client, notify_alice):
    first, second = notify_alice(), notify_alice()
    response = alice_client.post(f"/notifications/{first.pk}/read")
    assert response.status_code == 302
    assert unread_ids(first.user) == {second.pk}


def test_mark_read_returns_to_the_list_page_it_came_from(alice_client, notify_alice):
    notification = notify_alice()
    response = alice_client.post(f"/notifications/{notification.pk}/read", {"next": "/notifications/?page=2"})
    assert response["Location"] == "/notifications/?page=2"


def test_mark_read_ignores_an_offsite_return_address(alice_client, notify_alice):
    notification = notify_alice()
    response = alice_client.post(f"/notifications/{notification.pk}/read", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_mark_read_of_someone_elses_notification_is_a_404(bob_client, notify_alice):
    notification = notify_alice()
    response = bob_client.post(f"/notifications/{notification.pk}/read")
    assert response.status_code == 404
    assert unread_ids(notification.user) == {notification.pk}


def test_mark_read_needs_post(alice_client, notify_alice):
    notification = notify_alice()
    assert alice_client.get(f"/notifications/{notification.pk}/read").status_code == 405
    assert unread_ids(notification.user) == {notification.pk}


def test_mark_all_read_marks_every_own_notification(alice_client, alice, bob, notify_alice):
    notify_alice(), notify_alice()
    bobs = Notification.objects.create(user=bob, kind="mention", text="for bob", url="/")
    response = alice_client.post("/notifications/read-all")
    assert response.status_code == 302
    assert unread_ids(alice) == set()
    assert unread_ids(bob) == {bobs.pk}


def test_mark_all_read_says_how_many(alice_client, notify_alice):
    notify_alice(), notify_alice()
    response = alice_client.post("/notifications/read-all", follow=True)
    assert "Marked 2 notifications read." in response.content.decode()


def test_mark_all_read_needs_post(alice_client, alice, notify_alice):
    notify_alice()
    assert alice_client.get("/notifications/read-all").status_code == 405
    assert len(unread_ids(alice)) == 1


# --- Following a notification


def test_go_marks_read_and_redirects_to_the_notification(alice_client, notify_alice):
    notification = notify_alice(url="/diff/Wifi?from=1&to=2")
    response = alice_client.get(f"/notifications/{notification.pk}/go")
    assert response.status_code == 302
    assert response["Location"] == "/diff/Wifi?from=1&to=2"
    assert unread_ids(notification.user) == set()


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "wiki/Wifi"],
)
def test_go_refuses_a_link_off_the_site(alice_client, notify_alice, url):
    notification = notify_alice(url=url)
    response = alice_client.get(f"/notifications/{notification.pk}/go")
    assert response.status_code == 400
    assert "leads off this wiki" in response.content.decode()
    assert unread_ids(notification.user) == {notification.pk}


def test_go_to_someone_elses_notification_is_a_404(bob_client, notify_alice):
    notification = notify_alice()
    assert bob_client.get(f"/notifications/{notification.pk}/go").status_code == 404
    assert unread_ids(notification.user) == {notification.pk}


def test_go_signed_out_asks_to_sign_in_first(client, notify_alice):
    notification = notify_alice()
    response = client.get(f"/notifications/{notification.pk}/go")
    assert response["Location"] == f"/accounts/login/?next=/notifications/{notification.pk}/go"
    assert unread_ids(notification.user) == {notification.pk}
