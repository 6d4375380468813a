"""After an account is deleted: its username stays taken for good, and every view that named the member
says "former member" instead, linking to no profile."""

import pytest
from django.core.files.base import ContentFile

from conftest import PASSWORD
from districtwiki.accounts.models import User
from districtwiki.accounts.retired import username_retired
from districtwiki.community.account_data import delete_account
from districtwiki.discussions import actions as discussions
from districtwiki.discussions import moderation
from districtwiki.discussions.models import ModerationLog, Post
from districtwiki.wiki import actions as wiki_actions
from districtwiki.wiki import uploads
from districtwiki.wiki.models import Revision

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long and unusual passphrase"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signup(client, username: str):
    data = {"username": username, "email": "new@example.org", "password1": GOOD_PASSWORD}
    return client.post("/accounts/signup/", {**data, "password2": GOOD_PASSWORD})


def main_of(response) -> str:
    return response.content.decode().split("<main", 1)[1]


# --- The username stays taken


@pytest.mark.parametrize("spelling", ["dana", "DANA", "Dana", "dаna"])  # the last with a Cyrillic а
def test_sign_up_refuses_the_username_of_a_deleted_account(member, client, spelling):
    delete_account(member("dana"))
    response = signup(client, spelling)
    assert response.status_code == 400
    assert "belonged to a deleted account" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_up_refuses_the_name_deleted_accounts_are_given(db, client):
    response = signup(client, "former-member-99")
    assert response.status_code == 400
    assert "are kept for deleted accounts" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_retired_username_is_kept_only_as_a_digest(member):
    delete_account(member("dana"))
    assert username_retired("dana")
    assert not username_retired("erin")
    from districtwiki.accounts.models import RetiredUsername

    assert "dana" not in repr(list(RetiredUsername.objects.values_list()))


def test_deleted_member_still_cannot_sign_in_with_the_old_name(member, client):
    delete_account(member("dana"))
    response = client.post("/accounts/login/", {"login": "dana", "password": PASSWORD})
    assert response.status_code == 400


# --- "former member" wherever the member was named


def test_file_page_names_a_deleted_uploader_former_member_without_a_link(member, client):
    dana = member("dana")
    uploads.upload_file("Plan.pdf", ContentFile(PDF, name="Plan.pdf"), dana, "our plan")
    delete_account(dana)
    html = main_of(client.get("/wiki/File:Plan.pdf"))
    assert "former member" in html
    assert "former-member-" not in html
    assert "/members/" not in html


def test_upload_log_names_a_deleted_uploader_former_member(member, client):
    dana = member("dana")
    uploads.upload_file("Plan.pdf", ContentFile(PDF, name="Plan.pdf"), dana, "our plan")
    delete_account(dana)
    html = main_of(client.get("/special/log"))
    assert "former member" in html
    assert "former-member-" not in html


def test_rollback_summaries_no_longer_name_a_deleted_member(member, make_page, bob):
    dana = member("dana")
    first = make_page("Router Basics", "One.", author=bob).revision
    page = make_page("Router Basics", "Two.", author=dana, base_revision=first.pk).page
    wiki_actions.rollback(page, bob)
    page.refresh_from_db()
    wiki_actions.revert_to(page, Revision.objects.get(text="Two."), bob, "it was right")
    delete_account(dana)
    summaries = set(Revision.objects.values_list("summary", flat=True))
    assert not any("dana" in summary for summary in summaries)
    assert any(summary.startswith("Rolled back edits by former member to revision") for summary in summaries)
    assert any(summary.endswith("by former member: it was right") for summary in summaries)


def test_rollback_summary_of_another_member_is_left_alone(member, make_page, bob):
    dana, danato = member("dana"), member("danato")
    first = make_page("Router Basics", "One.", author=dana).revision
    page = make_page("Router Basics", "Two.", author=danato, base_revision=first.pk).page
    wiki_actions.rollback(page, bob)
    delete_account(dana)
    summary = Revision.objects.latest("id").summary
    assert summary.startswith("Rolled back edits by danato to revision ")
    assert summary.endswith(" by former member")


def test_mentions_of_a_deleted_member_no_longer_link_to_a_profile(member, make_page):
    dana, erin = member("dana"), member("erin")
    page = make_page("Router Basics", "Text.").page
    discussions.start_thread(page, "Which router?", "Ask @dana about it.", erin)
    assert 'href="/members/dana"' in Post.objects.get().html
    delete_account(dana)
    html = Post.objects.get().html
    assert "/members/" not in html
    assert "@dana" in html  # erin's own words stay as she wrote them


def test_moderation_pages_name_a_deleted_member_former_member(member, make_page, ada, client):
    dana = member("dana")
    page = make_page("Router Basics", "Text.").page
    thread = discussions.start_thread(page, "Which router?", "Any advice?", dana)
    moderation.hide_post(thread.posts.get(), ada, "off topic")
    moderation.suspend_user(dana, ada, "spam")
    moderation.unsuspend_user(dana, ada)
    delete_account(dana)
    assert not ModerationLog.objects.filter(target__contains="dana").exists()
    client.force_login(ada)
    html = main_of(client.get("/special/moderation"))
    assert "former-member-" not in html
    assert "dana" not in html


def test_history_recent_changes_and_the_api_name_a_deleted_author_former_member(member, make_page, client):
    dana = member("dana")
    make_page("Router Basics", "Text.", author=dana)
    delete_account(dana)
    for url in ("/history/Router_Basics", "/special/recent", "/feeds/recent.atom"):
        body = client.get(url).content.decode()
        assert "former member" in body, url
        assert "dana" not in body and "/members/former" not in body, url
    revision = client.get("/api/v1/history/Router_Basics").json()["revisions"][0]
    assert revision["author"] == "former member"


def test_the_admin_cannot_give_a_member_a_retired_username(member, ada, client):
    delete_account(member("dana"))
    erin = member("erin")
    client.force_login(ada)
    data = {
        "username": "Dana",
        "email": "erin@example.org",
        "role": "member",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(f"/admin/accounts/user/{erin.pk}/change/", data)
    assert response.status_code == 200
    assert "belonged to a deleted account" in response.content.decode()
    erin.refresh_from_db()
    assert erin.username == "erin"
