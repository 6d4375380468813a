import json

import pytest
from django.contrib.auth import SESSION_KEY

from conftest import PASSWORD
from districtwiki.accounts.models import APIToken, User
from districtwiki.community import messaging
from districtwiki.community.models import Block, Conversation, Message, Profile
from districtwiki.content.models import PathwayStep
from districtwiki.notifications.models import Notification
from districtwiki.wiki import actions as wiki_actions
from districtwiki.wiki.models import Revision, Watch


@pytest.fixture
def dana(member):
    return member(
        "dana",
        display_name="Dana Reyes",
        state="VT",
        bio="About me",
        expertise=["wifi"],
        time_zone="America/New_York",
    )


@pytest.fixture
def dana_with_history(dana, member, make_page):
    """dana has edited a page, watches it, messaged erin, has a notification, a token and a pathway step."""
    erin = member("erin")
    result = make_page("Router Basics", "Text.", author=dana, summary="dana's edit")
    wiki_actions.set_watch(result.page, dana, True)
    messaging.send_message(dana, erin, "Hi from dana")
    messaging.send_message(erin, dana, "Hi from erin")
    APIToken.issue(dana, "bot")
    PathwayStep.objects.create(user=dana, pathway="technician", title="Router Basics")
    Block.objects.create(blocker=dana, blocked=erin)
    return dana


# --- Download


def test_download_requires_sign_in(db, client):
    response = client.get("/accounts/settings/data")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_download_is_a_json_attachment(dana_with_history, client_for):
    response = client_for(dana_with_history).get("/accounts/settings/data")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="districtwiki-data-{dana_with_history.pk}.json"'
    )


def test_download_holds_every_part(dana_with_history, client_for):
    data = json.loads(client_for(dana_with_history).get("/accounts/settings/data").content)
    assert data["account"]["email"] == "dana@example.org"
    assert data["account"]["api_tokens"][0]["name"] == "bot"
    assert data["community"]["profile"]["display_name"] == "Dana Reyes"
    assert data["community"]["profile"]["expertise"] == ["wifi"]
    assert data["community"]["profile"]["visibility"]["bio"] == "members"
    assert data["community"]["profile"]["time_zone"] == "America/New_York"
    bodies = [m["body"] for m in data["community"]["conversations"][0]["messages"]]
    assert bodies == ["Hi from dana", "Hi from erin"]
    assert data["community"]["blocked_members"] == ["erin"]
    assert data["wiki"]["edits"][0]["summary"] == "dana's edit"
    assert data["wiki"]["watchlist"] == ["Router Basics"]
    assert data["pathway_progress"] == [
        {"pathway": "technician", "page": "Router Basics", "done_at": data["pathway_progress"][0]["done_at"]}
    ]
    assert data["notifications"]["notifications"][0]["text"] == "erin sent you a message"
    assert "discussions" in data


def test_download_never_holds_the_password_hash(dana_with_history, client_for):
    content = client_for(dana_with_history).get("/accounts/settings/data").content.decode()
    assert dana_with_history.password not in content
    assert "password" not in content


def test_download_holds_nothing_of_other_members(dana_with_history, member, client_for):
    member("finn", display_name="Finn Secret")
    content = client_for(dana_with_history).get("/accounts/settings/data").content.decode()
    assert "Finn Secret" not in content
    assert "erin@example.org" not in content


# --- Deletion


def delete(client, password=PASSWORD):
    return client.post("/accounts/delete/", {"password": password})


def test_delete_page_asks_for_the_password(dana, client_for):
    response = client_for(dana).get("/accounts/delete/")
    assert response.status_code == 200
    assert 'type="password"' in response.content.decode()


def test_delete_requires_sign_in(db, client):
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("password", "message"),
    [("wrong password", "That is not your password"), ("", "Enter your password to confirm")],
)
def test_delete_with_bad_password_changes_nothing(dana_with_history, client_for, password, message):
    response = delete(client_for(dana_with_history), password)
    assert response.status_code == 400
    assert message in response.content.decode()
    dana = User.objects.get(pk=dana_with_history.pk)
    assert (dana.username, dana.email, dana.is_active) == ("dana", "dana@example.org", True)
    assert Profile.objects.filter(user=dana).exists()
    assert Message.objects.filter(sender=dana).exists()
    assert Watch.objects.filter(user=dana).exists()


def test_delete_needs_post(dana, client_for):
    client = client_for(dana)
    assert client.put("/accounts/delete/").status_code == 405
    assert User.objects.get(pk=dana.pk).is_active


def test_delete_signs_out_and_redirects_home(dana_with_history, client_for):
    client = client_for(dana_with_history)
    response = delete(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session


def test_delete_scrubs_the_account(dana_with_history, client_for):
    delete(client_for(dana_with_history))
    user = User.objects.get(pk=dana_with_history.pk)
    assert user.username == f"former-member-{user.pk}"
    assert (user.email, user.first_name, user.is_active, user.has_usable_password()) == ("", "", False, False)


def test_delete_erases_profile_messages_and_the_rest(dana_with_history, client_for):
    dana = dana_with_history
    delete(client_for(dana))
    assert not Profile.objects.filter(user=dana).exists()
    assert not Message.objects.filter(sender=dana).exists()
    assert not Notification.objects.filter(user=dana).exists()
    assert not APIToken.objects.filter(user=dana).exists()
    assert not Watch.objects.filter(user=dana).exists()
    assert not PathwayStep.objects.filter(user=dana).exists()
    assert not Block.objects.filter(blocker=dana).exists()


def test_delete_keeps_edits_attributed_to_former_member(dana_with_history, client_for):
    revision_id = Revision.objects.get(summary="dana's edit").pk
    delete(client_for(dana_with_history))
    revision = Revision.objects.get(pk=revision_id)
    assert (revision.author, revision.author_name, revision.text) == (None, "former member", "Text.")


def test_delete_keeps_discussion_posts_attributed_to_former_member(dana, client_for, make_page):
    from districtwiki.discussions import actions as discussion_actions
    from districtwiki.discussions.models import Post

    page = make_page("Router Basics", "Text.").page
    discussion_actions.start_thread(page, "Which router?", "Any advice?", dana)
    delete(client_for(dana))
    post = Post.objects.get()
    assert (post.author, post.author_name, post.text) == (None, "former member", "Any advice?")


def test_other_party_keeps_their_own_messages_and_sees_former_member(dana_with_history, client_for):
    erin = User.objects.get(username="erin")
    conversation = Conversation.objects.get()
    delete(client_for(dana_with_history))
    assert list(Message.objects.values_list("body", flat=True)) == ["Hi from erin"]
    html = client_for(erin).get(conversation.get_absolute_url()).content.decode()
    assert "Messages with former member" in html
    assert "Hi from erin" in html
    assert "Hi from dana" not in html
    assert "their messages were erased" in html


def test_other_party_notification_no_longer_names_the_member(dana_with_history, client_for):
    erin = User.objects.get(username="erin")
    delete(client_for(dana_with_history))
    assert Notification.objects.get(user=erin).text == "former member sent you a message"


def test_conversation_with_no_messages_left_is_deleted(dana, member, client_for):
    messaging.send_message(dana, member("erin"), "Only mine")
    delete(client_for(dana))
    assert not Conversation.objects.exists()


def test_deleted_member_cannot_sign_in(dana, client_for, client):
    delete(client_for(dana))
    response = client.post("/accounts/login/", {"login": "dana", "password": PASSWORD})
    assert response.status_code == 400


def test_deleted_member_profile_is_gone(dana, client_for, client):
    delete(client_for(dana))
    user = User.objects.get(pk=dana.pk)
    assert client.get(f"/members/{user.username}").status_code == 404
    assert client.get("/members/dana").status_code == 404


def test_deleted_member_leaves_the_directory(dana, member, client_for):
    viewer = member("viv")
    delete(client_for(dana))
    assert "former" not in client_for(viewer).get("/members/").content.decode().split("<main", 1)[1]


def test_name_of_deleted_account_is_retired(dana, client_for):
    from districtwiki.accounts.retired import username_retired

    delete(client_for(dana))
    assert username_retired("dana")


def test_scrub_avoids_a_username_someone_already_took(dana, client_for):
    # Such names are kept back from sign-up now; an account made before that may still have one.
    User(username=f"former-member-{dana.pk}", email="early@example.org").save()
    delete(client_for(dana))
    username = User.objects.get(pk=dana.pk).username
    assert username.startswith(f"former-member-{dana.pk}-")
