"""The real pywikibot against a live `districtwiki serve`, configured entirely offline as an operator would:
a family file, a user-config.py and a password file holding an API token as a BotPassword. It logs in,
reads and saves pages, and lists all pages, recent changes and search results; no connection leaves
127.0.0.1 (a socket guard refuses and records any other)."""

import importlib
import os
import socket
import sys

import pytest

from districtwiki.wiki.tests import server
from districtwiki.wiki.tests.server import LiveServer

USER_CONFIG = """\
mylang = "en"
password_file = "passwords"
# Nothing to wait for: the tests' server has no rate limit for them, and a failure should fail at once.
put_throttle = 0
minthrottle = 0
maxthrottle = 0
max_retries = 0
retry_wait = 0
# Pages here are Markdown, with no templates: there is no {{nobots}} to look for (pywikibot would ask
# for the Template namespace, which this wiki does not have).
ignore_bot_templates = True
"""
FAMILY = """\
from pywikibot import family


class Family(family.Family):
    name = "{name}"
    langs = {{"en": "127.0.0.1:{port}"}}

    def scriptpath(self, code):
        return "/w"

    def protocol(self, code):
        return "http"
"""
# pywikibot writes user names as MediaWiki does, first letter upper case: the account must be named so.
BOT = "Pwbbot0"


class OffHostGuard:
    """socket.connect that refuses (and remembers) every address but 127.0.0.1."""

    def __init__(self):
        self.refused: list[object] = []
        self.original = socket.socket.connect

    def connect(self, sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1"):
            self.refused.append(address)
            raise OSError(f"offline test: no connection to {address!r}")
        return self.original(sock, address)


@pytest.fixture(scope="module")
def guard():
    watcher = OffHostGuard()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", lambda sock, address: watcher.connect(sock, address))
        yield watcher


@pytest.fixture(scope="module")
def pywikibot(tmp_path_factory, guard):
    """pywikibot, imported once with its own configuration directory (it reads user-config.py on import)."""
    assert "pywikibot" not in sys.modules, "pywikibot was imported before its configuration was written"
    base = tmp_path_factory.mktemp("pywikibot")
    (base / "families").mkdir()
    (base / "user-config.py").write_text(USER_CONFIG)
    (base / "passwords").write_text("")
    (base / "passwords").chmod(0o600)  # pywikibot insists that only its owner may read it
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYWIKIBOT_DIR", str(base))
        patch.delenv("PYWIKIBOT_NO_USER_CONFIG", raising=False)
        module = importlib.import_module("pywikibot")
        yield module


@pytest.fixture(scope="module", params=server.DATABASES)
def site(request, action_api_servers, pywikibot):
    """A family for the live server on one database (shared with the other client-library modules:
    conftest.py), its bot password, and the logged-in site."""
    running = action_api_servers.get(request.param)
    (key,) = running.create_members("Pwbbot", 1)
    return _configured_site(pywikibot, running, key, f"districtwiki{request.param}")


def _configured_site(pywikibot, running: LiveServer, key: str, name: str):
    config = pywikibot.config
    base = config.base_dir
    family_file = os.path.join(base, "families", f"{name}_family.py")
    with open(family_file, "w") as written:
        written.write(FAMILY.format(name=name, port=running.port))
    with open(os.path.join(base, "passwords"), "a") as passwords:
        passwords.write(f'("en", "{name}", "{BOT}", BotPassword("pwb", "{key}"))\n')
    config.register_families_folder(os.path.dirname(family_file))
    config.usernames[name]["en"] = BOT
    return pywikibot.Site("en", name)


def test_pywikibot_is_configured_for_this_server_only(pywikibot, site):
    assert site.family.hostname("en") == f"127.0.0.1:{site.family.langs['en'].rpartition(':')[2]}"
    assert site.protocol() == "http" and site.scriptpath() == "/w"
    assert site.siteinfo["generator"].startswith("MediaWiki 1.39")


def test_login_with_an_api_token_as_a_bot_password(site, recwarn):
    site.login()
    assert site.logged_in() and site.user() == BOT
    assert "bot" in site.userinfo["groups"] and site.has_right("bot")
    assert not [str(w.message) for w in recwarn if "'bot' right" in str(w.message)]


def test_save_then_read_a_page(pywikibot, site):
    site.login()
    page = pywikibot.Page(site, "Pywikibot page")
    assert not page.exists()
    page.text = "Saved by **pywikibot**.\n\n[[Category:Pywikibot tests]]"
    page.save(summary="Created by pywikibot")
    again = pywikibot.Page(site, "Pywikibot page")
    assert again.get() == "Saved by **pywikibot**.\n\n[[Category:Pywikibot tests]]"
    assert again.latest_revision.user == BOT and again.latest_revision.comment == "Created by pywikibot"
    again.text = again.text.replace("Saved", "Edited")
    again.save(summary="Edited by pywikibot")
    assert pywikibot.Page(site, "Pywikibot page").get().startswith("Edited by **pywikibot**.")


def test_a_page_that_does_not_exist(pywikibot, site):
    page = pywikibot.Page(site, "Pywikibot never saved this")
    assert not page.exists()
    with pytest.raises(pywikibot.exceptions.NoPageError):
        page.get()


def test_allpages_recentchanges_and_search(pywikibot, site, caplog):
    site.login()
    pywikibot.Page(site, "Pywikibot findable").put("The quixotry keyword is here.", summary="Findable")
    titles = [page.title() for page in site.allpages(prefix="Pywikibot")]
    assert "Pywikibot findable" in titles and titles == sorted(titles)
    changes = list(site.recentchanges(total=5))
    assert changes[0]["title"] == "Pywikibot findable" and changes[0]["user"] == BOT
    assert [page.title() for page in site.search("quixotry", total=5)] == ["Pywikibot findable"]
    assert len(list(site.allpages(total=25))) == 25  # the starter pages, paged through
    assert [r.getMessage() for r in caplog.records if r.levelname in ("WARNING", "ERROR")] == []


def test_nothing_left_127_0_0_1(guard, site):
    """Runs last in the module: every call above went to the test server only, and the guard works."""
    assert guard.refused == []
    with pytest.raises(OSError), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass
    assert guard.refused == [("192.0.2.1", 80)]
    guard.refused.clear()
