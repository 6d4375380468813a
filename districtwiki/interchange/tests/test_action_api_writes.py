"""Writes at /w/api.php: login and logout, edit through the core (merge, conflict, rate limit, protection,
talk threads), move, delete, parse; POST and a csrf token for every write; bad input changes nothing."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client

from districtwiki.accounts.models import APIToken
from districtwiki.discussions.models import Thread
from districtwiki.wiki import actions
from districtwiki.wiki.models import Page, Revision
from districtwiki.wiki.tests.xss_vectors import corpus_text

from .action_api import csrf, error_code, get, post, query, write

pytestmark = pytest.mark.django_db

LINES = "One\n\nTwo\n\nThree"


def revision_count() -> int:
    return Revision.objects.count()


# --- login and logout


def login_token(client) -> str:
    return query(client, meta="tokens", type="login")["query"]["tokens"]["logintoken"]


def test_login_without_a_token_asks_for_one(client, alice):
    body = post(client, action="login", lgname="alice", lgpassword="whatever").json()
    assert body["login"]["result"] == "NeedToken" and body["login"]["token"].endswith("+\\")


def test_login_with_password(client, alice):
    from conftest import PASSWORD

    body = post(
        client, action="login", lgname="alice", lgpassword=PASSWORD, lgtoken=login_token(client)
    ).json()
    assert body["login"] == {"result": "Success", "lguserid": alice.pk, "lgusername": "alice"}
    assert query(client, meta="userinfo")["query"]["userinfo"]["name"] == "alice"


def test_login_with_a_wrong_password_fails_and_stays_signed_out(client, alice):
    body = post(
        client, action="login", lgname="alice", lgpassword="wrong", lgtoken=login_token(client)
    ).json()
    assert body["login"]["result"] == "Failed" and "do not match" in body["login"]["reason"]
    assert "anon" in query(client, meta="userinfo")["query"]["userinfo"]


def test_login_with_a_forged_login_token_is_refused(client, alice):
    login_token(client)
    body = post(client, action="login", lgname="alice", lgpassword="x", lgtoken="0123abcd+\\").json()
    assert body["login"]["result"] == "WrongToken"


def test_login_by_get_is_refused(client, alice):
    assert error_code(get(client, action="login", lgname="alice").json()) == "mustbeposted"


def test_repeated_failures_lock_the_account_as_the_sign_in_form_does(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        post(client, action="login", lgname="alice", lgpassword="wrong", lgtoken=login_token(client))
    body = post(
        client, action="login", lgname="alice", lgpassword="wrong", lgtoken=login_token(client)
    ).json()
    assert body["login"]["result"] == "Throttled" and body["login"]["wait"] > 0


def test_api_token_as_a_bot_password(client, alice):
    token, key = APIToken.issue(alice, "bot")
    body = post(
        client, action="login", lgname="alice@mybot", lgpassword=key, lgtoken=login_token(client)
    ).json()
    assert body["login"]["result"] == "Success"
    userinfo = query(client, meta="userinfo", uiprop="groups")["query"]["userinfo"]
    assert userinfo["name"] == "alice" and "bot" in userinfo["groups"]
    token.delete()  # revoking the token ends the session it opened
    assert "anon" in query(client, meta="userinfo")["query"]["userinfo"]


def test_api_token_of_someone_else_is_refused(client, alice, bob):
    _, key = APIToken.issue(bob, "bot")
    body = post(client, action="login", lgname="alice", lgpassword=key, lgtoken=login_token(client)).json()
    assert body["login"]["result"] == "Failed"


def test_bearer_token_requests_get_their_own_csrf_token(make_page, alice):
    _, key = APIToken.issue(alice, "bot")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    body = write(client, "edit", title="By bearer", text="Hello")
    assert body["edit"]["result"] == "Success"
    assert Page.objects.get(title="By bearer").latest.author == alice


def test_logout_needs_the_token_and_signs_out(alice_client):
    assert error_code(post(alice_client, action="logout").json()) == "missingparam"
    assert write(alice_client, "logout") == {}
    assert "anon" in query(alice_client, meta="userinfo")["query"]["userinfo"]


# --- edit: tokens and method


def test_edit_needs_post_and_a_token_and_writes_nothing_without(alice_client):
    before = revision_count()
    assert error_code(get(alice_client, action="edit", title="X", text="x").json()) == "mustbeposted"
    assert error_code(post(alice_client, action="edit", title="X", text="x").json()) == "missingparam"
    assert (
        error_code(post(alice_client, action="edit", title="X", text="x", token="bad+\\").json())
        == "badtoken"
    )
    token = csrf(alice_client)
    in_url = alice_client.post(
        f"/w/api.php?token={token}", {"action": "edit", "title": "X", "text": "x", "format": "json"}
    )
    assert error_code(in_url.json()) == "mustpostparams"
    assert revision_count() == before


def test_a_token_from_another_session_is_refused(alice, bob):
    alices, bobs = Client(), Client()
    alices.force_login(alice)
    bobs.force_login(bob)
    body = post(bobs, action="edit", title="Forged", text="x", token=csrf(alices)).json()
    assert error_code(body) == "badtoken" and not Page.objects.filter(title="Forged").exists()


def test_anonymous_edit_is_refused_when_the_wiki_does_not_allow_it(client, db):
    body = write(client, "edit", title="Anon page", text="x")
    assert error_code(body) == "permissiondenied" and "Sign in" in body["error"]["info"]
    assert not Page.objects.filter(title="Anon page").exists()


# --- edit: what it does


def test_create_then_edit_with_summary_and_minor(alice_client, alice):
    created = write(alice_client, "edit", title="new page", text=LINES, summary="Start")["edit"]
    assert created["result"] == "Success" and created["new"] == "" and created["title"] == "New page"
    edited = write(alice_client, "edit", title="New page", text=LINES + "\n\nFour", summary="More", minor="1")
    assert edited["edit"]["oldrevid"] == created["newrevid"]
    revision = Revision.objects.get(pk=edited["edit"]["newrevid"])
    assert revision.summary == "More" and revision.minor and revision.author == alice


def test_same_text_is_nochange(alice_client, make_page):
    make_page("Same", LINES)
    body = write(alice_client, "edit", title="Same", text=LINES)
    assert body["edit"]["nochange"] == "" and Page.objects.get(title="Same").revisions.count() == 1


def test_appendtext_and_prependtext(alice_client, make_page):
    make_page("Grow", "Middle")
    write(alice_client, "edit", title="Grow", appendtext="\n\nEnd")
    write(alice_client, "edit", title="Grow", prependtext="Start\n\n")
    assert Page.objects.get(title="Grow").latest.text == "Start\n\nMiddle\n\nEnd"


def test_createonly_and_nocreate(alice_client, make_page):
    make_page("Exists", "x")
    assert (
        error_code(write(alice_client, "edit", title="Exists", text="y", createonly="1")) == "articleexists"
    )
    assert error_code(write(alice_client, "edit", title="Absent", text="y", nocreate="1")) == "missingtitle"
    assert (
        Page.objects.get(title="Exists").latest.text == "x"
        and not Page.objects.filter(title="Absent").exists()
    )


def test_stale_base_revision_is_merged_three_way(alice_client, make_page, bob):
    base = make_page("Merged", LINES).revision
    make_page("Merged", LINES.replace("Three", "Three, theirs"), bob, base_revision=base.pk)
    body = write(
        alice_client, "edit", title="Merged", text=LINES.replace("One", "One, mine"), baserevid=str(base.pk)
    )
    assert body["edit"]["merged"] == ""
    assert Page.objects.get(title="Merged").latest.text == "One, mine\n\nTwo\n\nThree, theirs"


def test_basetimestamp_finds_the_base_revision_as_mwclient_sends_it(alice_client, make_page, bob):
    base = make_page("Stamped", LINES).revision
    make_page("Stamped", LINES.replace("Three", "Three, theirs"), bob, base_revision=base.pk)
    stamp = base.timestamp.strftime("%Y%m%d%H%M%S")
    body = write(
        alice_client, "edit", title="Stamped", text=LINES.replace("One", "One, mine"), basetimestamp=stamp
    )
    assert body["edit"]["result"] == "Success"
    assert Page.objects.get(title="Stamped").latest.text == "One, mine\n\nTwo\n\nThree, theirs"


def test_overlapping_edit_is_an_editconflict_and_saves_nothing(alice_client, make_page, bob):
    base = make_page("Clash", LINES).revision
    make_page("Clash", LINES.replace("Two", "Two, theirs"), bob, base_revision=base.pk)
    before = revision_count()
    body = write(
        alice_client, "edit", title="Clash", text=LINES.replace("Two", "Two, mine"), baserevid=str(base.pk)
    )
    assert error_code(body) == "editconflict" and "overlap" in body["error"]["info"]
    assert revision_count() == before


def test_baserevid_of_another_page_is_nosuchrevid(alice_client, make_page):
    other = make_page("Other", "x").revision
    make_page("Mine", "y")
    assert (
        error_code(write(alice_client, "edit", title="Mine", text="z", baserevid=str(other.pk)))
        == "nosuchrevid"
    )


def test_edit_rate_limit_is_ratelimited(alice_client, settings):
    settings.EDIT_RATE_LIMIT = 2
    for number in range(2):
        write(alice_client, "edit", title=f"Rate {number}", text="x")
    body = write(alice_client, "edit", title="Rate 2", text="x")
    assert error_code(body) == "ratelimited" and not Page.objects.filter(title="Rate 2").exists()


def test_protected_page_is_protectedpage(alice_client, make_page, ada):
    page = make_page("Guarded", "x").page
    actions.protect_page(page, "admin", ada)
    assert error_code(write(alice_client, "edit", title="Guarded", text="y")) == "protectedpage"


def test_oversized_text_and_bad_title_and_md5(alice_client, settings):
    settings.MAX_PAGE_BYTES = 2048
    assert error_code(write(alice_client, "edit", title="Big", text="x" * 4096)) == "contenttoobig"
    assert error_code(write(alice_client, "edit", title="Bad|title", text="x")) == "invalidtitle"
    assert error_code(write(alice_client, "edit", title="Sum", text="x", md5="0" * 32)) == "badmd5"
    assert error_code(write(alice_client, "edit", title="Nul", text="a\x00b")) == "badcontent"
    assert not Page.objects.exists()


def test_section_new_opens_a_thread_on_the_page(alice_client, make_page, alice):
    page = make_page("Discussed", "x").page
    body = write(
        alice_client, "edit", title="Talk:Discussed", section="new", sectiontitle="A question", text="Why?"
    )
    assert body["edit"]["result"] == "Success"
    thread = Thread.objects.get(page=page)
    assert thread.subject == "A question" and thread.author == alice
    assert error_code(
        write(alice_client, "edit", title="Talk:Nowhere", section="new", sectiontitle="Q", text="?")
    ) == ("missingtitle")


# --- move and delete


def test_trusted_member_moves_a_page_leaving_a_redirect(client, bob, make_page):
    make_page("Before", "x")
    client.force_login(bob)
    body = write(client, "move", **{"from": "Before", "to": "After", "reason": "Better"})
    assert body["move"] == {"from": "Before", "to": "After", "reason": "Better", "redirectcreated": ""}
    assert Page.objects.get(title="Before").redirect_to == "After"


def test_move_refusals(alice_client, client, bob, make_page):
    make_page("Staying", "x")
    make_page("Taken", "y")
    assert (
        error_code(write(alice_client, "move", **{"from": "Staying", "to": "Elsewhere"}))
        == "permissiondenied"
    )
    client.force_login(bob)
    assert error_code(write(client, "move", **{"from": "Staying", "to": "Taken"})) == "articleexists"
    assert error_code(write(client, "move", **{"from": "Staying", "to": "staying"})) == "selfmove"
    assert error_code(write(client, "move", **{"from": "Nowhere", "to": "There"})) == "missingtitle"
    assert Page.objects.get(title="Staying").redirect_to == ""


def test_only_admins_delete(bob_client, client, ada, make_page):
    make_page("Doomed", "x")
    assert error_code(write(bob_client, "delete", title="Doomed")) == "permissiondenied"
    client.force_login(ada)
    body = write(client, "delete", title="Doomed", reason="Spam")
    assert body["delete"]["title"] == "Doomed" and body["delete"]["logid"] > 0
    assert "missing" in next(iter(query(client, titles="Doomed")["query"]["pages"].values()))


# --- parse, and script in pages


SCRIPTED = (
    "<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n\n"
    '<a href="javascript:alert(4)">a</a> <svg onload=alert(5)></svg> [[Target page]]'
)


SAFE_SCHEMES = ("", "http", "https", "mailto")
C0_AND_SPACE = "".join(map(chr, range(0x21)))
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(url: str) -> str:
    """The scheme a browser reads in `url` (WHATWG URL: tabs and newlines dropped, ends trimmed); "" for
    a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip(C0_AND_SPACE)
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


class ActiveParts(HTMLParser):
    """What in a fragment of HTML a browser could run: script-capable elements, event handlers, and URLs
    with a scheme other than http, https or mailto."""

    RUNNABLE = {"script", "svg", "math", "iframe", "object", "embed", "style", "form", "base", "meta", "link"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.RUNNABLE:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.found.append(f"{tag} {name}")
            if (
                name in ("href", "src", "action", "xlink:href")
                and url_scheme(value or "") not in SAFE_SCHEMES
            ):
                self.found.append(f"{tag} {name}={value[:40]}")


def active_parts(html: str) -> list[str]:
    parser = ActiveParts()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_checker_sees_active_html():
    html = (
        '<p onclick="x()">a</p><a href=" java\tscript:x()">b</a><script>x()</script><a href="/wiki/A:B">c</a>'
    )
    assert active_parts(html) == ["p onclick", "a href= java\tscript:x()", "script"]


def test_parse_gives_our_html_with_red_links(client, make_page):
    make_page("Parsed", "Hello **world** [[Missing page]] [[Category:Parsed]]")
    body = post(client, action="parse", page="Parsed", formatversion="2").json()["parse"]
    assert "<strong>world</strong>" in body["text"] and 'class="wikilink new"' in body["text"]
    assert body["categories"] == [{"sortkey": "", "category": "Parsed"}]
    assert body["links"] == [{"ns": 0, "exists": False, "title": "Missing page"}]
    assert error_code(post(client, action="parse", page="Nope").json()) == "missingtitle"


def test_script_and_javascript_links_in_a_saved_page_come_out_inert(client, make_page):
    make_page("Scripted", SCRIPTED)
    text = post(client, action="parse", page="Scripted").json()["parse"]["text"]["*"]
    assert active_parts(text) == [] and "click" in text


def test_every_vector_of_the_xss_corpus_comes_out_inert(client, make_page, settings):
    settings.MAX_PAGE_BYTES = 1024 * 1024
    make_page("Corpus", corpus_text())
    body = post(client, action="parse", page="Corpus", formatversion="2").json()["parse"]
    assert active_parts(body["text"]) == [] and "Vector 1:" in body["text"]
    revisions = query(client, titles="Corpus", prop="revisions", rvprop="content", rvslots="main")
    assert revisions["query"]["pages"]


def test_script_in_posted_text_comes_out_inert(client, db):
    body = post(client, action="parse", text=SCRIPTED, title="Preview", formatversion="2").json()["parse"]
    assert active_parts(body["text"]) == [] and body["title"] == "Preview"


def test_old_revision_parse(client, make_page):
    first = make_page("Versions", "First **one**").revision
    make_page("Versions", "Second", base_revision=first.pk)
    body = post(client, action="parse", oldid=str(first.pk), formatversion="2").json()["parse"]
    assert "<strong>one</strong>" in body["text"] and body["revid"] == first.pk


def test_responses_are_json_that_browsers_will_not_sniff(client, db):
    response = get(client, action="query", meta="siteinfo")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_read_only_database_answers_readonly(alice_client):
    token = csrf(alice_client)
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = 1" if sqlite else "SET TRANSACTION READ ONLY")
    try:
        body = post(alice_client, action="edit", title="Frozen", text="x", token=token).json()
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = 0")
    assert error_code(body) == "readonly" and "try again later" in body["error"]["info"]
    assert not Page.objects.filter(title="Frozen").exists()


def test_a_private_wiki_answers_bots_that_send_their_token_as_bearer(client, alice, settings):
    settings.PRIVATE_WIKI = True
    assert error_code(get(client, action="query", meta="siteinfo").json()) == "readapidenied"
    _, key = APIToken.issue(alice, "bot")
    bearer = Client(headers={"Authorization": f"Bearer {key}"})
    assert query(bearer, meta="userinfo")["query"]["userinfo"]["name"] == "alice"
    assert write(bearer, "edit", title="Private page", text="Members only.")["edit"]["result"] == "Success"
