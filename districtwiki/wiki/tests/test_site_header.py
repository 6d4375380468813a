"""The site header and footer every page shares: the main places with the current one marked, the secondary
links in a More menu and the footer, the account menu, and one Menu button that works without JavaScript."""

import re

import pytest

pytestmark = pytest.mark.django_db


def header(response) -> str:
    html = response.content.decode()
    return html[html.index('<header class="site-header"') : html.index("</header>")]


def footer(response) -> str:
    html = response.content.decode()
    return html[html.index('<footer class="site-footer"') : html.index("</footer>")]


def current_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)" aria-current="page"', html)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/pathways/", "/pathways/"),
        ("/special/categories", "/special/categories"),
        ("/special/discussions", "/special/discussions"),
        ("/special/recent", "/special/recent"),
    ],
)
def test_the_current_section_is_marked(client, path, current):
    assert current_links(header(client.get(path))) == [current]


def test_a_page_of_the_wiki_marks_no_section(client, make_page):
    make_page("Backups", "Test them.")
    assert current_links(header(client.get("/wiki/Backups"))) == []


def test_visitors_see_the_main_places_and_members_asks_them_to_sign_in(client):
    html = header(client.get("/special/all"))
    for place in ('href="/pathways/"', 'href="/special/categories"', 'href="/special/discussions"'):
        assert place in html
    assert 'href="/members/"' in html
    assert client.get("/members/")["Location"].startswith("/accounts/login/")


def test_secondary_places_are_in_the_more_menu_and_the_footer(client):
    response = client.get("/special/all")
    more = header(response).split('<details class="dropdown nav-more">', 1)[1]
    for link in ("/special/recent", "/special/all", "/special/random", "/special/upload"):
        assert f'href="{link}"' in more
        assert f'href="{link}"' in footer(response)
    assert 'href="/feeds/recent.atom"' in footer(response)


def test_the_account_menu_offers_profile_settings_notifications_and_sign_out(alice_client):
    html = header(alice_client.get("/special/all"))
    menu = html.split('<details class="dropdown user-menu">', 1)[1]
    for link in ('href="/members/alice"', 'href="/accounts/settings/"', 'href="/notifications/"'):
        assert link in menu
    assert 'action="/accounts/logout/"' in menu
    assert 'href="/admin/"' not in menu


def test_admins_find_the_admin_in_their_menu(ada_client):
    assert 'href="/admin/"' in header(ada_client.get("/special/all"))


def test_visitors_get_sign_in_instead_of_the_account_menu(client):
    html = header(client.get("/special/all"))
    assert 'href="/accounts/login/?next=/special/all"' in html
    assert "user-menu" not in html


def test_one_menu_button_holds_the_navigation(client):
    """A <details> whose summary is the Menu button: the navigation opens on a phone without JavaScript."""
    html = header(client.get("/special/all"))
    menu = html.split('<details class="site-menu">', 1)[1]
    assert menu.lstrip().startswith('<summary class="menu-button">')
    assert '<nav class="site-nav" aria-label="Site">' in menu


def test_pages_are_reading_width_unless_they_ask_for_more(client, make_page):
    make_page("Backups", "Test them.")
    assert '<main id="content" class="layout-reading"' in client.get("/wiki/Backups").content.decode()
    assert '<main id="content" class="layout-wide"' in client.get("/special/all").content.decode()


def test_the_account_menu_names_the_member_by_their_display_name(client, alice):
    from districtwiki.community.models import Profile

    Profile.objects.create(user=alice, display_name="Alice Example")
    client.force_login(alice)
    menu = header(client.get("/special/recent"))
    assert '<span class="user-name">Alice Example</span>' in menu
    assert f"Signed in as <strong>{alice.username}</strong>" in menu


def test_the_account_menu_falls_back_to_the_username(client, alice):
    client.force_login(alice)
    assert f'<span class="user-name">{alice.username}</span>' in header(client.get("/special/recent"))


def test_the_display_name_costs_no_query_of_its_own(client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from districtwiki.community.models import Profile

    Profile.objects.create(user=alice, display_name="Alice Example")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        client.get("/special/recent")
    profile_table = Profile._meta.db_table
    alone = [q["sql"] for q in queries if re.search(rf'FROM "{profile_table}"', q["sql"])]
    assert alone == [], alone
