"""The real mwclient library against a live `districtwiki serve` (one server per database, conftest.py):
what a MediaWiki bot does — log in, read, create, edit, merge and conflict, history, recent changes, search,
all pages, categories — works against /w/api.php."""

import mwclient
import pytest
from mwclient.errors import EditError, LoginError

from districtwiki.wiki.tests import server
from districtwiki.wiki.tests.server import LiveServer

LINES = "First line\n\nSecond line\n\nThird line\n\n[[Category:Mwclient tests]]"


@pytest.fixture(scope="module", params=server.DATABASES)
def live(request, action_api_servers) -> tuple[LiveServer, list[str]]:
    """The live server on one database (shared with the other client-library modules: conftest.py) and the
    API keys of this module's two bots."""
    running = action_api_servers.get(request.param)
    keys = running.create_members("bot", 2)
    return running, keys


def site_for(running: LiveServer) -> mwclient.Site:
    return mwclient.Site(
        f"127.0.0.1:{running.port}", path="/w/", scheme="http", retry_timeout=1, max_retries=1
    )


def bot(live, number: int) -> mwclient.Site:
    running, keys = live
    site = site_for(running)
    site.login(f"bot{number}@mwclient", keys[number])
    return site


def test_site_init_reads_the_version_and_namespaces(live):
    site = site_for(live[0])
    assert site.version[:2] == (1, 39)
    assert site.namespaces[14] == "Category"
    assert "Markdown" in site.site["markup"]
    assert not site.logged_in


def test_password_login(live):
    site = site_for(live[0])
    site.login("admin", server.ADMIN_PASSWORD)
    assert site.logged_in and site.username == "admin"
    assert "delete" in site.rights


def test_api_token_login_as_a_bot_password(live):
    site = bot(live, 0)
    assert site.logged_in and site.username == "bot0"
    assert "bot" in site.groups


def test_wrong_password_is_refused(live):
    with pytest.raises(LoginError) as refused:
        site_for(live[0]).login("bot1@mwclient", "dw_not-a-real-token")
    assert refused.value.args[1]["result"] == "Failed"
    assert "do not match" in refused.value.args[1]["reason"]


def test_create_read_and_edit(live):
    site = bot(live, 0)
    page = site.pages["Mwclient created page"]
    assert not page.exists
    created = page.edit(LINES, summary="Created by mwclient")
    assert created["result"] == "Success" and "new" in created
    again = site.pages["Mwclient created page"]
    assert again.exists and again.text() == LINES
    again.edit(LINES.replace("Second", "2nd"), summary="Edited", minor=True)
    assert site.pages["Mwclient created page"].text().startswith("First line\n\n2nd line")


def test_revisions_newest_first_with_content(live):
    site = bot(live, 0)
    page = site.pages["Mwclient history page"]
    for number in range(3):
        page.edit(f"Version {number}", summary=f"Save {number}")
        page = site.pages["Mwclient history page"]
    revisions = list(page.revisions(prop="ids|timestamp|user|comment|content|size|sha1", slots="main"))
    assert [revision["comment"] for revision in revisions] == ["Save 2", "Save 1", "Save 0"]
    assert revisions[0]["slots"]["main"]["*"] == "Version 2"
    assert revisions[0]["user"] == "bot0" and revisions[0]["size"] == len("Version 2")
    oldest_first = list(page.revisions(dir="newer", api_chunk_size=1))
    assert [revision["comment"] for revision in oldest_first] == ["Save 0", "Save 1", "Save 2"]


def test_edits_from_two_sessions_merge_when_they_touch_different_lines(live):
    first, second = bot(live, 0), bot(live, 1)
    first.pages["Mwclient merge page"].edit(LINES, summary="Start")
    mine, theirs = first.pages["Mwclient merge page"], second.pages["Mwclient merge page"]
    mine.text(), theirs.text()
    theirs.edit(LINES.replace("Third line", "Third line, theirs"), summary="Theirs")
    result = mine.edit(LINES.replace("First line", "First line, mine"), summary="Mine")
    assert result["result"] == "Success"
    text = first.pages["Mwclient merge page"].text()
    assert "First line, mine" in text and "Third line, theirs" in text


def test_overlapping_edits_from_two_sessions_are_an_edit_conflict(live):
    first, second = bot(live, 0), bot(live, 1)
    first.pages["Mwclient conflict page"].edit(LINES, summary="Start")
    mine, theirs = first.pages["Mwclient conflict page"], second.pages["Mwclient conflict page"]
    mine.text(), theirs.text()
    theirs.edit(LINES.replace("First line", "First line, theirs"), summary="Theirs")
    with pytest.raises(EditError):
        mine.edit(LINES.replace("First line", "First line, mine"), summary="Mine")
    assert "First line, theirs" in second.pages["Mwclient conflict page"].text()


def test_recent_changes_search_and_all_pages(live):
    site = bot(live, 1)
    site.pages["Mwclient findable page"].edit("The zanzibarite keyword is here.", summary="Findable")
    changes = list(site.recentchanges(prop="title|user|comment|ids", max_items=20))
    assert {"title": "Mwclient findable page", "user": "bot1", "comment": "Findable"}.items() <= changes[
        0
    ].items()
    assert [hit["title"] for hit in site.search("zanzibarite")] == ["Mwclient findable page"]
    titles = [page.name for page in site.allpages(prefix="Mwclient")]
    assert "Mwclient findable page" in titles and titles == sorted(titles)


def test_categories_of_a_page_and_members_of_a_category(live):
    site = bot(live, 0)
    site.pages["Mwclient category page"].edit(LINES, summary="In a category")
    page = site.pages["Mwclient category page"]
    assert [category.name for category in page.categories()] == ["Category:Mwclient tests"]
    members = [member.name for member in site.categories["Mwclient tests"]]
    assert "Mwclient category page" in members


def test_paging_through_all_pages_in_small_chunks(live):
    site = site_for(live[0])
    chunked = [page.name for page in site.allpages(api_chunk_size=7)]
    whole = [page.name for page in site.allpages()]
    assert chunked == whole and len(whole) > 20  # the starter pages are there


def test_a_bots_everyday_calls_draw_no_warnings(live, caplog):
    site = bot(live, 1)
    with caplog.at_level("WARNING", logger="mwclient"):
        page = site.pages["Mwclient quiet page"]
        page.edit(LINES, summary="Quiet")
        page = site.pages["Mwclient quiet page"]
        page.text()
        page.edit(LINES + "\n\nMore", summary="Quieter")
        list(page.revisions(prop="ids|content"))
        list(page.categories())
        list(page.links())
        list(page.backlinks())
        list(site.allpages(max_items=5))
        list(site.usercontributions("bot1", max_items=5))
        list(site.categories["Mwclient tests"])
        site.parse(title="Mwclient quiet page", text="Hello **world**")
    assert [record.getMessage() for record in caplog.records] == []


def test_a_bearer_header_signs_in_without_action_login(live):
    running, keys = live
    site = mwclient.Site(
        f"127.0.0.1:{running.port}",
        path="/w/",
        scheme="http",
        custom_headers={"Authorization": f"Bearer {keys[1]}"},
    )
    assert site.logged_in and site.username == "bot1"
    result = site.pages["Mwclient bearer page"].edit("Saved with a bearer token.", summary="Bearer")
    assert result["result"] == "Success"
