"""/w/api.php on a private wiki, as MediaWiki with `$wgGroupPermissions['*']['read'] = false`: signed out, a
client may fetch a login token and log in; every read and write is refused with readapidenied, and the
refusal carries nothing of the wiki's pages. Signed in (a session or a Bearer token), all works."""

import pytest

from conftest import PASSWORD
from districtwiki.accounts.actions import create_api_token

from .action_api import URL, error_code, get, post, query

pytestmark = pytest.mark.django_db
SECRET = "Budget figures only members may see: quokka-42."


@pytest.fixture
def private(settings, make_page, alice):
    settings.PRIVATE_WIKI = True
    make_page("Members only", SECRET, alice)


def login(client, name: str, password: str) -> dict:
    token = query(client, meta="tokens", type="login")["query"]["tokens"]["logintoken"]
    return post(client, action="login", lgname=name, lgpassword=password, lgtoken=token).json()["login"]


def refused(response) -> dict:
    assert response.status_code == 200 and response["MediaWiki-API-Error"] == "readapidenied"
    body = response.json()
    assert error_code(body) == "readapidenied" and "log in" in body["error"]["info"]
    assert "quokka" not in response.content.decode() and "Members only" not in response.content.decode()
    return body


@pytest.mark.parametrize(
    "params",
    [
        {"action": "query", "titles": "Members only", "prop": "revisions", "rvprop": "content"},
        {"action": "query", "list": "search", "srsearch": "quokka"},
        {"action": "query", "list": "allpages"},
        {"action": "query", "list": "recentchanges"},
        {"action": "query", "meta": "siteinfo"},
        {"action": "query", "meta": "tokens|userinfo"},
        {"action": "query", "meta": "tokens", "titles": "Members only"},
        {"action": "parse", "page": "Members only"},
        {"action": "parse", "text": "[[Members only]]"},
    ],
)
def test_signed_out_reads_are_refused_with_readapidenied(client, private, params):
    refused(get(client, **params))


def test_signed_out_writes_are_refused_and_change_nothing(client, private, alice):
    before = query(client, meta="tokens")  # a signed-out client's csrf token is "+\\", as on MediaWiki
    token = before["query"]["tokens"]["csrftoken"]
    refused(post(client, action="edit", title="Members only", text="Vandalised", token=token))
    refused(post(client, action="delete", title="Members only", token=token))
    client.force_login(alice)
    text = query(client, titles="Members only", prop="revisions", rvprop="content", formatversion="2")
    assert text["query"]["pages"][0]["revisions"][0]["content"] == SECRET


def test_login_token_help_and_paraminfo_need_no_sign_in(client, private):
    tokens = query(client, meta="tokens", type="login|csrf")
    assert tokens["query"]["tokens"]["logintoken"].endswith("+\\")
    assert "query" in get(client, action="help").json()["help"]["modules"]
    described = get(client, action="paraminfo", modules="login").json()["paraminfo"]["modules"]
    assert described[0]["prefix"] == "lg"


def test_login_with_a_password_then_reads_work(client, private, alice):
    assert login(client, "alice", PASSWORD)["result"] == "Success"
    body = query(client, titles="Members only", prop="revisions", rvprop="content", formatversion="2")
    assert body["query"]["pages"][0]["revisions"][0]["content"] == SECRET
    assert query(client, list="search", srsearch="quokka")["query"]["search"][0]["title"] == "Members only"


def test_login_with_an_api_token_as_a_bot_password_then_writes_work(client, private, alice):
    _, key = create_api_token(alice, "bot")
    assert login(client, "alice@bot", key)["result"] == "Success"
    token = query(client, meta="tokens")["query"]["tokens"]["csrftoken"]
    saved = post(client, action="edit", title="Members only", text="Updated.", token=token).json()
    assert saved["edit"]["result"] == "Success"


def test_a_failed_login_leaves_reads_refused(client, private, alice):
    assert login(client, "alice", "not her password")["result"] == "Failed"
    refused(get(client, action="query", list="allpages"))


def test_after_logout_reads_are_refused_again(client, private, alice):
    login(client, "alice", PASSWORD)
    token = query(client, meta="tokens")["query"]["tokens"]["csrftoken"]
    assert post(client, action="logout", token=token).json() == {}
    refused(get(client, action="query", list="allpages"))


def test_a_bearer_token_reads_without_logging_in(client, private, alice):
    _, key = create_api_token(alice, "bearer")
    response = client.get(
        URL, {"action": "query", "list": "allpages", "format": "json"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert "Members only" in [page["title"] for page in response.json()["query"]["allpages"]]


def test_a_public_wiki_reads_signed_out(client, make_page, settings):
    settings.PRIVATE_WIKI = False
    make_page("Open page", "Anyone may read this.")
    assert query(client, list="allpages")["query"]["allpages"]
