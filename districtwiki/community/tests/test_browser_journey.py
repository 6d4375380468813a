"""The community journey in Debian's Chromium: a new member signs up, fills in their profile, finds a peer in
the same state and size band in the directory, messages them, and reads the peer's reply. Every page is
watched for console errors and Content-Security-Policy violations (wiki/tests/browser.PageWatch)."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from districtwiki.community.models import Message
from districtwiki.wiki.tests.browser import confirmation_link, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_page(chromium, live_server, watch):
    """open_page() → a watched page in a fresh browser context (its own cookies: its own member)."""
    contexts = []

    def open_page():
        context = chromium.new_context(base_url=live_server.url)
        contexts.append(context)
        return watched_page(context, watch)

    yield open_page
    for context in contexts:
        context.close()


def sign_up(page, mailoutbox, username: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail address").fill(f"{username}@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".messages")).to_contain_text(f"Welcome, {username}")
    page.goto(confirmation_link(mailoutbox))
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail address confirmed")
    sign_in(page, username)  # sign-up signs nobody in: it answers a taken address alike


def fill_profile(page) -> None:
    page.goto("/accounts/profile/")
    page.locator("#id_display_name").fill("Dana Reyes")
    page.locator("#id_state").select_option("VT")
    page.locator("#id_district_size").select_option("under-1000")
    page.locator("#id_role").select_option("technician")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(re.compile(r"/members/dana$"))
    expect(page.locator('[data-field="state"]')).to_contain_text("Vermont")


def find_peer(page) -> None:
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Members").click()
    page.locator("#id_state").select_option("VT")
    page.locator("#id_district_size").select_option("under-1000")
    page.get_by_role("button", name="Show members").click()
    expect(page).to_have_url(re.compile(r"state=VT&district_size=under-1000"))
    peer = page.locator('article.member-card[data-member="erin"]')
    expect(peer).to_contain_text("Erin Walsh")
    expect(page.locator('article.member-card[data-member="frank"]')).to_have_count(0)
    peer.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erin Walsh")


def send_first_message(page) -> None:
    page.get_by_role("link", name="Send a message").click()
    page.get_by_label("Message", exact=True).fill("Hi Erin, how do you filter guest **wifi**?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#latest .message-body strong")).to_have_text("wifi")


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text(username)


def reply_as_peer(page) -> None:
    sign_in(page, "erin")
    page.goto("/members/messages/")
    page.get_by_role("link", name="Dana Reyes").click()
    expect(page.locator(".message-list")).to_contain_text("how do you filter guest wifi?")
    page.get_by_label("Message", exact=True).fill("We use a separate VLAN. Happy to talk!")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#latest")).to_contain_text("We use a separate VLAN.")


def test_new_member_finds_a_peer_and_they_exchange_messages(open_page, mailoutbox, member):
    member("erin", display_name="Erin Walsh", state="VT", district_size="under-1000", role="director")
    member("frank", display_name="Frank Other", state="VT", district_size="over-10000")
    dana_page = open_page()
    sign_up(dana_page, mailoutbox, "dana")
    fill_profile(dana_page)
    find_peer(dana_page)
    send_first_message(dana_page)

    reply_as_peer(open_page())

    dana_page.reload()
    expect(dana_page.locator("#latest")).to_contain_text("We use a separate VLAN. Happy to talk!")
    expect(dana_page.locator("#latest .message-heading")).to_contain_text("Erin Walsh")
    assert Message.objects.count() == 2
