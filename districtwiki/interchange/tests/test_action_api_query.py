"""action=query at /w/api.php: MediaWiki's shapes in formatversion 1 and 2, the page set (normalized,
missing, invalid, redirects), prop, list and meta modules, continuation, warnings and errors."""

import pytest

from districtwiki.wiki import actions
from districtwiki.wiki.models import Page

from .action_api import collect, error_code, get, pages_v2, query

pytestmark = pytest.mark.django_db


@pytest.fixture
def wiki(make_page, alice):
    first = make_page("Alpha", "Alpha text links to [[Beta]] and [[Gamma]].\n\n[[Category:Letters]]", alice)
    make_page(
        "Alpha", first.revision.text + "\n\nMore.", alice, base_revision=first.revision.pk, summary="More"
    )
    make_page("Beta", "Beta text, zymurgy.\n\n[[Category:Letters]]")
    make_page("Old name", "#REDIRECT [[Beta]]")
    make_page("Category:Letters", "Pages about letters.")
    return alice


# --- meta


def test_siteinfo_names_a_mediawiki_version_and_says_content_is_markdown(client, db):
    general = query(client, meta="siteinfo")["query"]["general"]
    assert general["generator"].startswith("MediaWiki 1.39")
    assert "Markdown" in general["markup"] and "not wikitext" in general["markup"]
    assert general["articlepath"] == "/wiki/$1"


def test_siteinfo_namespaces_in_both_formats(client, db):
    old = query(client, meta="siteinfo", siprop="namespaces")["query"]["namespaces"]
    new = query(client, meta="siteinfo", siprop="namespaces", formatversion="2")["query"]["namespaces"]
    assert old["14"] == {"id": 14, "case": "first-letter", "canonical": "Category", "*": "Category"}
    assert new["14"]["name"] == "Category" and new["14"]["subpages"] is False
    assert old["0"]["*"] == "" and old["0"]["content"] == ""


def test_userinfo_anonymous_and_signed_in(client, alice):
    anonymous = query(client, meta="userinfo")["query"]["userinfo"]
    assert anonymous["anon"] == "" and anonymous["id"] == 0
    client.force_login(alice)
    member = query(client, meta="userinfo", uiprop="groups|rights", formatversion="2")["query"]["userinfo"]
    assert member["name"] == "alice" and "anon" not in member
    assert "edit" in member["rights"] and "delete" not in member["rights"]
    assert member["groups"] == ["*", "user", "autoconfirmed"]


def test_admin_rights_include_delete_and_editprotected(client, ada):
    client.force_login(ada)
    rights = query(client, meta="userinfo", uiprop="rights")["query"]["userinfo"]["rights"]
    assert {"delete", "editprotected", "move", "trusted"} <= set(rights)


def test_tokens_for_anonymous_and_for_a_session(client, alice):
    assert query(client, meta="tokens")["query"]["tokens"]["csrftoken"] == "+\\"
    client.force_login(alice)
    tokens = query(client, meta="tokens", type="csrf|login")["query"]["tokens"]
    assert tokens["csrftoken"].endswith("+\\") and len(tokens["csrftoken"]) > 20
    assert tokens["logintoken"] != tokens["csrftoken"]


# --- the page set


def test_titles_normalized_missing_and_invalid_in_format_1(client, wiki):
    body = query(client, titles="alpha|Nowhere|Bad[title")["query"]
    assert body["normalized"] == [{"from": "alpha", "to": "Alpha"}]
    pages = body["pages"]
    alpha = Page.objects.get(title="Alpha")
    assert pages[str(alpha.pk)] == {"pageid": alpha.pk, "ns": 0, "title": "Alpha"}
    negative = {key: value for key, value in pages.items() if key.startswith("-")}
    assert {"ns": 0, "title": "Nowhere", "missing": ""} in negative.values()
    invalid = [value for value in negative.values() if "invalid" in value]
    assert invalid[0]["title"] == "Bad[title" and "[" in invalid[0]["invalidreason"]


def test_titles_in_format_2_are_a_list_with_true_flags(client, wiki):
    pages = pages_v2(query(client, titles="Alpha|Nowhere", formatversion="2"))
    assert [page["title"] for page in pages] == ["Alpha", "Nowhere"]
    assert pages[1]["missing"] is True


def test_redirects_are_resolved_when_asked(client, wiki):
    body = query(client, titles="Old name", redirects="1", formatversion="2")["query"]
    assert body["redirects"] == [{"from": "Old name", "to": "Beta"}]
    assert [page["title"] for page in body["pages"]] == ["Beta"]
    unresolved = pages_v2(query(client, titles="Old name", prop="info", formatversion="2"))
    assert unresolved[0]["redirect"] is True


def test_pageids_and_revids(client, wiki):
    beta = Page.objects.get(title="Beta")
    pages = pages_v2(query(client, pageids=f"{beta.pk}|999999", formatversion="2"))
    assert pages == [{"pageid": 999999, "missing": True}, {"pageid": beta.pk, "ns": 0, "title": "Beta"}]
    body = query(client, revids=f"{beta.latest_id}|999999", prop="revisions", rvprop="ids", formatversion="2")
    assert body["query"]["badrevids"] == [{"revid": 999999, "missing": True}]
    assert body["query"]["pages"][0]["revisions"] == [{"revid": beta.latest_id, "parentid": 0}]


def test_titles_and_pageids_together_are_refused(client, wiki):
    body = query(client, titles="Alpha", pageids="1")
    assert error_code(body) == "invalidparammix"


def test_more_than_fifty_titles_are_refused(client, db):
    body = query(client, titles="|".join(f"T{number}" for number in range(51)))
    assert error_code(body) == "toomanyvalues" and "50" in body["error"]["info"]


# --- prop modules


def test_revisions_with_content_in_slots_and_without(client, wiki):
    with_slots = pages_v2(
        query(
            client,
            titles="Beta",
            prop="revisions",
            rvprop="content|sha1|size",
            rvslots="main",
            formatversion="2",
        )
    )
    main = with_slots[0]["revisions"][0]["slots"]["main"]
    assert main["content"].startswith("Beta text") and main["contentmodel"] == "markdown"
    legacy = query(client, titles="Beta", prop="revisions", rvprop="content")["query"]["pages"]
    revision = next(iter(legacy.values()))["revisions"][0]
    assert revision["*"].startswith("Beta text") and revision["contentformat"] == "text/markdown"


def test_revision_history_pages_by_rvcontinue_in_both_directions(client, make_page):
    revision = None
    for number in range(5):
        revision = make_page(
            "Many", f"Version {number}", base_revision=revision.pk if revision else None
        ).revision
    seen, extra = [], {}
    while True:
        body = query(client, titles="Many", prop="revisions", rvlimit="2", rvprop="ids|comment", **extra)
        seen += [rev["revid"] for page in body["query"]["pages"].values() for rev in page["revisions"]]
        if "continue" not in body:
            break
        extra = body["continue"]
    assert seen == sorted(seen, reverse=True) and len(seen) == 5
    newer = query(
        client, titles="Many", prop="revisions", rvdir="newer", rvstartid=str(seen[3]), rvendid=str(seen[1])
    )
    ids = [rev["revid"] for page in newer["query"]["pages"].values() for rev in page["revisions"]]
    assert ids == [seen[3], seen[2], seen[1]]


def test_rvlimit_with_content_is_capped_at_fifty_with_a_warning(client, wiki):
    body = query(client, titles="Alpha", prop="revisions", rvprop="content", rvlimit="500")
    assert "may not be over 50" in body["warnings"]["revisions"]["*"]


def test_rvlimit_with_several_pages_is_refused(client, wiki):
    body = query(client, titles="Alpha|Beta", prop="revisions", rvlimit="5")
    assert error_code(body) == "multpages"


def test_garbage_continue_value_is_badcontinue(client, wiki):
    body = query(client, titles="Alpha", prop="revisions", rvcontinue="x|y")
    assert error_code(body) == "badcontinue"


def test_info_gives_last_revision_length_and_protection(client, wiki, ada):
    alpha = Page.objects.get(title="Alpha")
    actions.protect_page(alpha, "admin", ada)
    page = pages_v2(query(client, titles="Alpha", prop="info", inprop="protection|url", formatversion="2"))[0]
    assert page["lastrevid"] == alpha.latest_id and page["length"] == alpha.latest.size
    assert page["protection"][0] == {"type": "edit", "level": "sysop", "expiry": "infinity"}
    assert page["fullurl"] == "http://testserver/wiki/Alpha"


def test_categories_and_links_page_by_their_continue_keys(client, wiki):
    body = query(client, titles="Alpha", prop="links", pllimit="1", formatversion="2")
    assert body["query"]["pages"][0]["links"] == [{"ns": 0, "title": "Beta"}]
    following = query(
        client, titles="Alpha", prop="links", pllimit="1", formatversion="2", **body["continue"]
    )
    assert following["query"]["pages"][0]["links"] == [{"ns": 0, "title": "Gamma"}]
    categories = pages_v2(query(client, titles="Alpha|Beta", prop="categories", formatversion="2"))
    assert [page["categories"] for page in categories] == [[{"ns": 14, "title": "Category:Letters"}]] * 2


# --- list modules


def test_allpages_in_chunks_gives_every_page_once_in_order(client, make_page):
    for number in range(7):
        make_page(f"Page {number}", "x")
    items, requests = collect(client, "allpages", aplimit="3")
    titles = [item["title"] for item in items]
    assert titles == sorted(titles) and len(titles) == 7 and requests == 3


def test_allpages_prefix_namespace_and_redirect_filter(client, wiki):
    assert [i["title"] for i in query(client, list="allpages", apprefix="al")["query"]["allpages"]] == [
        "Alpha"
    ]
    in_categories = query(client, list="allpages", apnamespace="14")["query"]["allpages"]
    assert in_categories == [
        {"pageid": Page.objects.get(title="Category:Letters").pk, "ns": 14, "title": "Category:Letters"}
    ]
    redirects = query(client, list="allpages", apfilterredir="redirects")["query"]["allpages"]
    assert [item["title"] for item in redirects] == ["Old name"]


def test_bad_limit_and_bad_value_errors(client, db):
    assert error_code(query(client, list="allpages", aplimit="lots")) == "badinteger"
    assert error_code(query(client, list="allpages", apdir="sideways")) == "badvalue"
    assert error_code(query(client, list="allpages", apnamespace="4")) == "badvalue"


def test_recentchanges_newest_first_paged_and_without_deleted_pages(client, wiki, ada):
    actions.delete_page(Page.objects.get(title="Old name"), ada)
    items, _ = collect(
        client, "recentchanges", rclimit="2", rcprop="title|ids|user|comment|sizes|flags|timestamp"
    )
    titles = [item["title"] for item in items]
    assert "Old name" not in titles and len(items) == 4
    assert titles[0] == "Category:Letters"
    edit = next(item for item in items if item["title"] == "Alpha")
    assert edit["type"] == "edit" and edit["comment"] == "More" and edit["user"] == "alice"
    assert edit["newlen"] > edit["oldlen"] > 0
    oldest_first = query(client, list="recentchanges", rcdir="newer", rcprop="title")["query"][
        "recentchanges"
    ]
    assert oldest_first[0]["title"] == "Alpha" and oldest_first[0]["type"] == "new"


def test_search_with_total_hits_and_offset(client, wiki):
    body = query(client, list="search", srsearch="zymurgy")
    assert body["query"]["searchinfo"]["totalhits"] == 1
    hit = body["query"]["search"][0]
    assert hit["title"] == "Beta" and '<span class="searchmatch">' in hit["snippet"]
    assert error_code(query(client, list="search")) == "missingparam"
    assert error_code(query(client, list="search", srsearch="text", sroffset="20000")) == "badvalue"


def test_categorymembers_and_backlinks(client, wiki):
    members = query(client, list="categorymembers", cmtitle="Category:Letters", cmprop="ids|title|type")
    assert [(m["title"], m["type"]) for m in members["query"]["categorymembers"]] == [
        ("Alpha", "page"),
        ("Beta", "page"),
    ]
    assert error_code(query(client, list="categorymembers", cmtitle="Letters")) == "invalidcategory"
    backlinks = query(client, list="backlinks", bltitle="Beta")["query"]["backlinks"]
    assert backlinks == [
        {"pageid": Page.objects.get(title="Alpha").pk, "ns": 0, "title": "Alpha"},
        {"pageid": Page.objects.get(title="Old name").pk, "ns": 0, "title": "Old name", "redirect": ""},
    ]


def test_usercontribs_of_a_member(client, wiki):
    contributions = query(client, list="usercontribs", ucuser="alice", ucprop="title|ids|flags|sizediff")
    items = contributions["query"]["usercontribs"]
    assert [item["title"] for item in items] == ["Alpha", "Alpha"]
    assert items[0]["top"] == "" and "top" not in items[1] and items[1]["new"] == ""
    assert error_code(query(client, list="usercontribs")) == "missingparam"


def test_finished_lists_are_skipped_when_continuing(client, make_page):
    for number in range(3):
        make_page(f"Page {number}", "x")
    first = query(client, list="allpages|recentchanges", aplimit="2", rclimit="5", **{"continue": ""})
    assert "apcontinue" in first["continue"] and "rccontinue" not in first["continue"]
    second = query(client, list="allpages|recentchanges", aplimit="2", rclimit="5", **first["continue"])
    assert "recentchanges" not in second["query"] and len(second["query"]["allpages"]) == 1


def test_generator_allpages_with_revisions(client, wiki):
    body = query(
        client, generator="allpages", gaplimit="2", prop="revisions", rvprop="ids", formatversion="2"
    )
    assert [page["title"] for page in body["query"]["pages"]] == ["Alpha", "Beta"]
    assert body["continue"] == {"gapcontinue": "Old name", "continue": "gapcontinue||"}
    assert all(page["revisions"][0]["revid"] for page in body["query"]["pages"])


# --- warnings and errors


def test_unknown_parameters_and_values_are_warnings(client, db):
    old = query(client, meta="siteinfo", zzz="1", list="nosuchlist")
    assert old["warnings"]["main"]["*"] == "Unrecognized parameter: zzz."
    assert 'Unrecognized value for parameter "list": nosuchlist.' in old["warnings"]["query"]["*"]
    new = query(client, meta="siteinfo", zzz="1", formatversion="2")
    assert new["warnings"]["main"]["warnings"] == "Unrecognized parameter: zzz."


def test_unknown_action_is_an_error_object_with_http_200(client, db):
    response = get(client, action="nosuchaction")
    assert response.status_code == 200 and response["MediaWiki-API-Error"] == "unknown_action"
    body = response.json()
    assert body["error"]["code"] == "unknown_action" and "nosuchaction" in body["error"]["info"]
    assert "*" in body["error"]
    assert "docref" in get(client, action="nosuchaction", formatversion="2").json()["error"]


def test_maxlag_is_accepted_and_must_be_a_number(client, db):
    assert "error" not in query(client, meta="siteinfo", maxlag="5")
    assert error_code(query(client, meta="siteinfo", maxlag="soon")) == "badinteger"


def test_format_other_than_json_is_refused(client, db):
    assert error_code(get(client, action="query", format="xml").json()) == "badvalue"


def test_generator_recentchanges_gives_each_changed_page_once(client, wiki):
    body = query(client, generator="recentchanges", grcprop="ids", grclimit="10", formatversion="2")
    titles = [page["title"] for page in body["query"]["pages"]]
    assert sorted(titles) == ["Alpha", "Beta", "Category:Letters", "Old name"]


def test_recentchanges_of_one_member_and_without_them(client, wiki):
    theirs = query(client, list="recentchanges", rcuser="alice", rcprop="title|user")["query"][
        "recentchanges"
    ]
    assert [(item["title"], item["user"]) for item in theirs] == [("Alpha", "alice"), ("Alpha", "alice")]
    others = query(client, list="recentchanges", rcexcludeuser="alice", rcprop="user")["query"][
        "recentchanges"
    ]
    assert others and all(item["user"] != "alice" for item in others)
    assert query(client, list="recentchanges", rcuser="nobody")["query"]["recentchanges"] == []


def test_help_lists_the_supported_modules(client, db):
    body = get(client, action="help").json()["help"]
    assert "edit" in body["modules"] and "allpages" in body["query"]["list"]
    assert body == get(client).json()["help"]
