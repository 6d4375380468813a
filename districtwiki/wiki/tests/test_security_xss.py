"""Cross-site scripting: the corpus in xss_vectors.py goes in through every input a person controls, and each
page that shows it is loaded once in Chromium, which watches for anything a payload could make happen.

The browser fails a page on: a dialog (alert/confirm/prompt); a call to `window.xss` (the marker the payloads
call as `top.xss()`); document.title becoming "XSS"; a Content-Security-Policy violation (the event, or a
console message about the policy: an inline handler that reached the page is a sanitiser failure even when
the CSP stops it); and, because many payloads wait for a hover or a click that no test makes, a DOM audit
for dormant ones: any `on…` attribute, a script/frame/object/embed/base/meta-refresh/style element or a
style attribute that the site does not put there, and a javascript:/vbscript:/data: URL in a URL attribute.

Many vectors share one page so that each input costs a few page loads (the whole module runs in well under
a minute and a half). Talk posts, profile fields and private messages are covered when their URLs exist, and
so are the pages of sign-up by invitation or approval and members' names, live or "former member"; values
that a form would refuse (a username that is markup, an address that is not one) are stored through the
model, because the pages show what is stored.
An uploaded GIF that is also JavaScript is loaded as a script of the site's origin, to show it cannot run.
"""

import json
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from conftest import PASSWORD
from districtwiki.accounts import approvals, invitations, usernames, views_approvals
from districtwiki.accounts.models import APIToken, Invitation, SignupRequest, User
from districtwiki.community import account_data
from districtwiki.security import CONTENT_SECURITY_POLICY
from districtwiki.wiki import actions, search, uploads
from districtwiki.wiki.models import Page, Revision
from districtwiki.wiki.titles import url_form
from districtwiki.wiki.views.pages import HISTORY_PAGE_SIZE

from . import xss_vectors as corpus
from .browser import TIMEOUT_MS, sign_in
from .test_security_uploads import gif_js_polyglot
from .test_uploads import image_bytes

# Each test that writes for the live server is transactional, and its database flush is the slow part on
# PostgreSQL: related inputs share a test, and the corpus and detector checks need no database at all.
browser_test = pytest.mark.django_db(transaction=True)
pytestmark = [pytest.mark.browser]

SENTINEL = """(() => {
  const hits = [], csp = [];
  Object.defineProperty(window, "__xss", {value: hits});
  Object.defineProperty(window, "__csp", {value: csp});
  window.xss = (...args) => hits.push("xss(" + args.join(",") + ") ran");
  window.addEventListener("securitypolicyviolation", (e) => {
    csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}: ${e.sample}`);
  }, true);
  new MutationObserver(() => {
    if (document.title === "XSS") hits.push("document.title was set to XSS");
  }).observe(document, {subtree: true, childList: true, characterData: true});
})();"""

# Elements the site itself never puts in a page body; the site's own <script src="/static/…">, <link>
# and <meta> live in <head> and are checked there.
DOM_AUDIT = r"""() => {
  const found = [];
  const FORBIDDEN = new Set(["IFRAME", "FRAME", "FRAMESET", "OBJECT", "EMBED", "APPLET", "BASE", "STYLE",
    "NOSCRIPT", "TEMPLATE", "XMP", "NOEMBED", "NOFRAMES", "PLAINTEXT", "LISTING", "ISINDEX", "KEYGEN",
    "MARQUEE", "MATH", "FOREIGNOBJECT", "ANIMATE", "SET", "HANDLER", "LISTENER"]);
  const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster",
    "background", "srcset", "ping", "lowsrc", "dynsrc", "codebase", "values", "to", "from", "by"]);
  const describe = (el) => "<" + el.tagName.toLowerCase() + "> " + el.outerHTML.slice(0, 160);
  // The site's own icons ({% icon %}): class "icon", never inside page content, holding one <use> of a
  // symbol in the site's sprite and nothing else.
  const SPRITE_USE = /^\/static\/districtwiki\/icons\.svg\?v=[0-9a-f]+#[a-z0-9-]+$/;
  const siteIcon = (el) => el.classList.contains("icon") && !el.closest(".page-content")
    && el.children.length === 1 && el.firstElementChild.tagName.toLowerCase() === "use"
    && el.firstElementChild.children.length === 0
    && SPRITE_USE.test(el.firstElementChild.getAttribute("href") || "")
    && !el.firstElementChild.hasAttribute("xlink:href");
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toUpperCase();
    const inHead = el.closest("head") !== null;
    if (tag === "SCRIPT" && !(inHead && /^\/static\//.test(el.getAttribute("src") || ""))) {
      found.push("script element " + describe(el));
    } else if ((tag === "META" || tag === "LINK") && !inHead) {
      found.push("element outside <head> " + describe(el));
    } else if (tag === "META" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      found.push("meta refresh " + describe(el));
    } else if (FORBIDDEN.has(tag) || (tag === "SVG" && el.closest("main") && !siteIcon(el))) {
      found.push("forbidden element " + describe(el));
    }
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\u0000-\u0020\u007f-\u00a0]+/g, "").toLowerCase();
      if (name.startsWith("on")) found.push("event handler " + describe(el));
      else if (name === "style" || name === "srcdoc") found.push(name + " attribute " + describe(el));
      else if (URL_ATTRIBUTES.has(name) && /^(javascript|vbscript|data|livescript):/.test(value)) {
        found.push("dangerous URL " + describe(el));
      }
    }
  }
  return found;
}"""

REPORT = """() => ({xss: window.__xss || [], csp: window.__csp || [], title: document.title})"""
SETTLE = """() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"""


class Probe:
    """One browser page that visits URLs and collects everything a payload made happen, per URL."""

    def __init__(self, context):
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("dialog", self.on_dialog)
        self.page.on("console", self.on_console)
        self.findings: list[str] = []
        self.visited: list[str] = []

    def on_dialog(self, dialog) -> None:
        # The editor asks before leaving unsaved text; that prompt is the site's, not a payload's.
        if dialog.type != "beforeunload":
            self.findings.append(f"{self.page.url}: {dialog.type} dialog {dialog.message!r}")
        dialog.accept()

    def on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.findings.append(f"{self.page.url}: console: {message.text}")

    def visit(self, path: str, status: int | None = 200) -> None:
        """Load `path` and check it; `status` guards against checking an error page by mistake."""
        response = self.page.goto(path)
        assert status is None or response.status == status, f"{path} answered {response.status}"
        self.check()

    def check(self) -> None:
        """Collect what happened on the page now shown (after a visit, a click or a form submission)."""
        self.page.wait_for_load_state("load")
        self.page.evaluate(SETTLE)
        url = self.page.url
        self.visited.append(url)
        report = self.page.evaluate(REPORT)
        self.findings += [f"{url}: {hit}" for hit in report["xss"]]
        self.findings += [f"{url}: CSP violation {violation}" for violation in report["csp"]]
        if report["title"] == "XSS":
            self.findings.append(f"{url}: document.title is XSS")
        if self.page.evaluate("() => document.contentType") == "text/html":
            self.findings += [f"{url}: {found}" for found in self.page.evaluate(DOM_AUDIT)]

    def assert_clean(self) -> None:
        assert self.findings == [], f"{len(self.findings)} findings:\n" + "\n".join(self.findings)


@pytest.fixture(autouse=True)
def roomy_limits(settings, tmp_path):
    """Hundreds of saves in a test: no rate limit in the way, and uploads in a throw-away directory."""
    settings.EDIT_RATE_LIMIT = 100_000
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ada_web(ada):
    client = Client()
    client.force_login(ada)
    return client


@pytest.fixture
def ada_key(ada) -> str:
    return APIToken.issue(ada, "xss")[1]


@pytest.fixture(scope="module")
def browser_context(chromium, live_server):
    """One context for the module, so that the site's static files are fetched once."""
    context = chromium.new_context(base_url=live_server.url)
    context.add_init_script(SENTINEL)
    yield context
    context.close()


@pytest.fixture
def anonymous_probe(browser_context):
    browser_context.clear_cookies()
    watcher = Probe(browser_context)
    yield watcher
    watcher.page.close()


@pytest.fixture
def probe(anonymous_probe, live_server, ada):
    """A browser signed in as ada, an admin, who is shown every control a page has."""
    sign_in(anonymous_probe.page.context, live_server.url, ada)
    return anonymous_probe


def path_of(title: str) -> str:
    return quote(url_form(title), safe="/:")


def edit(client, title: str, text: str, summary: str = "", base: int | None = None):
    data = {"text": text, "summary": summary, "base_revision": base or ""}
    return client.post("/edit/" + quote(url_form(title), safe="/"), data)


def api_put(client, key: str, title: str, text: str, summary: str = "", base: int | None = None):
    body = json.dumps({"content": text, "base_revision": base, "summary": summary})
    return client.put(
        "/api/v1/pages/" + quote(url_form(title), safe="/"),
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def latest_id(title: str) -> int:
    return Page.objects.get(title=title).latest_id


# --- The corpus and the detector themselves --------------------------------------------------------------


def test_corpus_has_at_least_150_distinct_vectors():
    payloads = [vector.payload for vector in corpus.VECTORS]
    assert len(set(payloads)) == len(payloads) >= 150
    assert all(corpus.GROUPS.values())


CANARY = (
    "<script>top.xss(1)</script><img src=x onerror=alert(1)><div onmouseover=top.xss()>x</div>"
    "<a href=' javascript:top.xss()'>x</a><script>document.title='XSS'</script>"
)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("", ["xss(1) ran", "alert dialog", "event handler", "dangerous URL", "document.title"]),
        ("script-src 'self'", ["CSP violation", "event handler", "dangerous URL"]),
    ],
    ids=["without CSP", "with CSP"],
)
def test_probe_reports_payloads_that_run_or_lie_in_wait(anonymous_probe, policy, expected):
    """The detector's own check: a page that does let payloads through is reported."""
    headers = {"Content-Security-Policy": policy} if policy else {}
    anonymous_probe.page.route(
        "**/xss-canary", lambda route: route.fulfill(body=CANARY, content_type="text/html", headers=headers)
    )
    anonymous_probe.visit("/xss-canary")
    report = "\n".join(anonymous_probe.findings)
    assert all(item in report for item in expected), report


SVG_CANARY = (
    '<main><svg class="icon" aria-hidden="true">'
    '<use href="/static/districtwiki/icons.svg?v=0a1b#bell"></use></svg>'
    '<svg viewBox="0 0 24 24"><circle r="1"/></svg>'
    '<svg class="icon"><use href="/static/districtwiki/icons.svg?v=0a1b#bell"></use>'
    '<path d="M1 1"/></svg>'
    '<svg class="icon"><use href="https://elsewhere.example/sprite.svg#x"></use></svg>'
    '<svg class="icon" viewBox="0 0 24 24"><foreignObject><p>x</p></foreignObject></svg></main>'
)


def test_probe_reports_every_svg_in_the_body_but_the_sites_icons(anonymous_probe):
    """The site's own icons are one <use> of the site's sprite in an svg.icon; any other drawing in <main>
    (extra shapes, another sprite, foreign content) is reported."""
    anonymous_probe.page.route(
        "**/svg-canary", lambda route: route.fulfill(body=SVG_CANARY, content_type="text/html")
    )
    anonymous_probe.visit("/svg-canary")
    svgs = [finding for finding in anonymous_probe.findings if "forbidden element <svg>" in finding]
    assert len(svgs) == 4, anonymous_probe.findings
    assert 'aria-hidden="true"' not in "\n".join(svgs)  # only the first, the site's own icon, has it


# --- Page text: edit form and API, every view of it, the editor's previews ----------------------------


@browser_test
def test_page_text_vectors_never_run(probe, ada_web, ada_key):
    assert edit(ada_web, "XSS corpus", corpus.corpus_text(), "corpus").status_code == 302
    reordered = "\n\n".join(v.payload for v in reversed(corpus.VECTORS))
    response = api_put(Client(), ada_key, "XSS corpus", reordered, "api", latest_id("XSS corpus"))
    assert response.status_code == 200
    first = Revision.objects.filter(page__title="XSS corpus").order_by("id").first().pk
    for path in (
        "/wiki/XSS_corpus",
        f"/wiki/XSS_corpus?oldid={first}",
        "/history/XSS_corpus",
        "/diff/XSS_corpus",
        "/api/v1/pages/XSS_corpus",
        "/special/info/XSS_corpus",
    ):
        probe.visit(path)
    probe.assert_clean()


POST_PREVIEW = """([text, mode]) => {
  const form = document.createElement("form");
  form.method = "post"; form.action = "/special/preview";
  const fields = {text, mode, title: "XSS corpus",
    csrfmiddlewaretoken: document.querySelector("[name=csrfmiddlewaretoken]").value};
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("textarea");
    input.name = name; input.value = value; form.append(input);
  }
  document.body.append(form); form.submit();
}"""


@browser_test
def test_editor_previews_never_run(probe, ada_web):
    """Live preview and inline "show changes" (innerHTML of /special/preview), the Preview button's page,
    and the /special/preview fragment opened as a document of its own."""
    assert edit(ada_web, "XSS corpus", corpus.corpus_text()).status_code == 302
    page = probe.page
    probe.visit("/edit/XSS_corpus")
    # A locator wait, not wait_for_function: the page's CSP forbids the eval that a string predicate needs.
    page.locator("#live-preview-content > *").first.wait_for()
    probe.check()
    reordered = "\n\n".join(v.payload for v in reversed(corpus.VECTORS))
    page.eval_on_selector("#id_text", "(area, text) => { area.value = text; }", reordered)
    page.click("button[name=show_changes]")
    page.wait_for_selector("#inline-changes .changes-body table")
    probe.check()
    page.click("button[name=preview]")
    probe.check()
    assert page.locator("section.preview").count() == 1
    for mode in ("", "changes"):
        with page.expect_navigation():
            page.evaluate(POST_PREVIEW, [corpus.corpus_text(), mode])
        probe.check()
        page.go_back()
    probe.assert_clean()


# --- Front matter --------------------------------------------------------------------------------------


@browser_test
def test_front_matter_vectors_are_refused_or_shown_inert(probe, ada_web):
    for number, text in enumerate(corpus.FRONT_MATTER_SAVED, start=1):
        assert edit(ada_web, f"XSS front matter {number}", text).status_code == 302
        probe.visit(f"/wiki/XSS_front_matter_{number}")
    for text, message in corpus.FRONT_MATTER_REFUSED:
        response = edit(ada_web, "XSS refused front matter", text)
        assert response.status_code == 400
        assert escape(message) in response.content.decode()
        assert not Page.objects.filter(title="XSS refused front matter").exists()
    # The refusal as the browser shows it: the editor echoes the message and the text back.
    page = probe.page
    probe.visit("/edit/XSS_refused_front_matter")
    for text, _message in corpus.FRONT_MATTER_REFUSED:
        page.eval_on_selector("#id_text", "(area, text) => { area.value = text; }", text)
        page.click("button[name=save]")
        probe.check()
    probe.assert_clean()


# --- Titles ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invalid_title_vectors_are_refused_and_write_nothing(ada_web, ada_key):
    invalid = [t for t in corpus.title_vectors() if not corpus.is_valid_title(t)]
    assert len(invalid) > 150
    api = Client()
    for number, title in enumerate(invalid):
        response = edit(ada_web, title, "x") if number % 2 else api_put(api, ada_key, title, "x")
        # A line break cannot be part of a URL path, so no view may answer such a title at all.
        expected = (400, 404) if "\n" in title else (400,)
        assert response.status_code in expected, (title, response.status_code)
    assert not Page.objects.exists()


@browser_test
def test_valid_title_vectors_are_shown_inert(probe, ada_web, ada_key):
    valid = [t for t in corpus.title_vectors() if corpus.is_valid_title(t)]
    api = Client()
    titles = []
    for number, title in enumerate(valid):
        response = edit(ada_web, title, "x") if number % 2 else api_put(api, ada_key, title, "x")
        assert response.status_code in (200, 201, 302), (title, response.status_code)
        titles.append(Revision.objects.latest("id").page.title)
    links = "\n".join(f"* [[{title}]] [[{title}|label]] [[{title} missing]]" for title in titles)
    assert edit(ada_web, "XSS title links", links).status_code == 302
    for path in ("/wiki/XSS_title_links", "/special/all", "/special/recent", "/feeds/recent.atom"):
        probe.visit(path)
    for title in titles:
        probe.visit("/wiki/" + path_of(title))
    probe.visit("/history/" + path_of(titles[0]))
    probe.visit("/edit/" + path_of(titles[1]))
    probe.visit("/history/" + path_of(titles[2] + " missing"), status=404)  # the 404 names the title
    probe.assert_clean()


# --- Edit summaries --------------------------------------------------------------------------------------


@browser_test
def test_edit_summary_vectors_never_run(probe, ada_web, ada_key):
    summaries = corpus.packed([v.payload for v in corpus.VECTORS], 480)
    api = Client()
    for number, summary in enumerate(summaries):
        base = latest_id("XSS summaries") if number else None
        if number % 2:
            response = api_put(api, ada_key, "XSS summaries", f"Revision {number}", summary, base)
        else:
            response = edit(ada_web, "XSS summaries", f"Revision {number}", summary, base)
        assert response.status_code in (200, 201, 302), response.content[:300]
    ids = list(
        Revision.objects.filter(page__title="XSS summaries").order_by("id").values_list("id", flat=True)
    )
    assert len(ids) == len(summaries) < 50
    for path in ("/history/XSS_summaries", "/special/recent", "/feeds/recent.atom"):
        probe.visit(path)
    probe.visit("/feeds/page/XSS_summaries.atom")
    for older, newer in zip(ids[::2], ids[1::2], strict=False):
        probe.visit(f"/diff/XSS_summaries?from={older}&to={newer}")
    probe.visit("/api/v1/pages/XSS_summaries/history")
    probe.assert_clean()


# --- Uploads: file names and comments --------------------------------------------------------------------


POLYGLOT_HOST = '<!doctype html><title>host</title><script src="{src}"></script>'


def host_page(probe, path: str, script_src: str, script: bytes | None = None) -> list[str]:
    """What runs on a page of this origin, under the site's CSP, that loads `script_src` as a script
    (served by Playwright with `script` as JavaScript when given, else by the site)."""
    page = probe.page
    headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
    body = POLYGLOT_HOST.format(src=script_src)
    page.route(f"**{path}", lambda route: route.fulfill(body=body, content_type="text/html", headers=headers))
    if script is not None:
        page.route(
            f"**{script_src}", lambda route: route.fulfill(body=script, content_type="text/javascript")
        )
    page.goto(path)
    page.evaluate(SETTLE)
    return page.evaluate(REPORT)["xss"]


@browser_test
def test_upload_names_comments_and_content_never_run(probe, ada_web):
    names = [t for t in corpus.title_vectors() if corpus.is_valid_title(t + ".png") and "/" not in t]
    comments = corpus.packed([v.payload for v in corpus.VECTORS], 480)
    uploaded = []
    for number in range(max(len(names), len(comments))):
        image = SimpleUploadedFile("x.png", image_bytes("PNG", size=(2, 2 + number)))
        name = names[number] + ".png" if number < len(names) else f"Comment {number}.png"
        data = {"file": image, "name": name, "comment": comments[number % len(comments)]}
        response = ada_web.post("/special/upload", data)
        assert response.status_code == 302, (name, response.content.decode()[:500])
        uploaded.append(response["Location"])
    for path in ("/special/log", "/special/all?namespace=file", "/special/recent", *uploaded[: len(names)]):
        probe.visit(path)
    # A refused upload shows the form again with the name and comment as typed.
    for name in ('"><img src=x onerror=top.xss()>.png', "' autofocus onfocus='top.xss() x='.png"):
        probe.visit("/special/upload")
        probe.page.fill("input[name=name]", name)
        probe.page.fill("[name=comment]", comments[0])
        probe.page.set_input_files(
            "input[type=file]", {"name": name, "mimeType": "image/png", "buffer": b"x"}
        )
        probe.page.click("form.upload-form button[type=submit]")
        probe.check()
    probe.assert_clean()
    # A real GIF that is also JavaScript is accepted; script-src 'self' would allow it as a script of this
    # origin, so only its image/gif type and nosniff stop it. The same bytes served as JavaScript do run.
    polyglot = gif_js_polyglot()
    response = ada_web.post("/special/upload", {"file": SimpleUploadedFile("poly.gif", polyglot)})
    assert response.status_code == 302
    assert host_page(probe, "/xss-polyglot-as-js", "/xss-polyglot.js", polyglot) == ["xss() ran"]
    assert host_page(probe, "/xss-polyglot-upload", "/file/Poly.gif") == []


# --- Search snippets, and everything reflected from a query string --------------------------------------


@browser_test
def test_search_snippets_of_vectors_never_run(probe, make_page, ada):
    # Two vectors around each match: both fall inside the snippet of about two dozen words.
    payloads = [vector.payload for vector in corpus.VECTORS]
    for number in range(0, len(payloads), 2):
        make_page(f"Snippet {number}", "\n\nneedle\n\n".join(payloads[number : number + 2]), author=ada)
    hits = search.search_pages("needle", limit=500).hits
    assert len(hits) > len(payloads) // 2 - 5  # a vector may swallow its "needle" (a reference definition)
    for page_number in range(1, len(hits) // 20 + 2):
        probe.visit(f"/special/search?q=needle&fulltext=1&page={page_number}")
    probe.visit("/api/v1/search?q=needle")
    probe.assert_clean()


REFLECTED = (
    "/special/log?action={v}",
    "/special/all?page={v}",
    "/special/recent?user={v}",
    "/special/all?prefix={v}",
    "/wiki/XSS_reflect?oldid={v}",
    "/wiki/XSS_reflect?redirectedfrom={v}",
    "/diff/XSS_reflect?from={v}",
    "/special/upload?name={v}",
    "/accounts/login/?next={v}",
    "/feeds/recent.atom?user={v}",
)


@browser_test
def test_search_queries_and_other_reflected_parameters_never_run(probe, make_page, ada):
    payloads = [v.payload for v in corpus.VECTORS]
    for start in range(0, len(payloads), 40):
        query = " ".join(payloads[start : start + 40])
        probe.visit("/special/search?" + urlencode({"q": query, "fulltext": "1"}))
    probe.visit("/api/v1/search?" + urlencode({"q": " ".join(payloads[:40])}))
    make_page("XSS reflect", "x", author=ada)
    vectors = ['"><img src=x onerror=top.xss()>', "' autofocus onfocus='top.xss()", "javascript:top.xss()"]
    for template in REFLECTED:
        for vector in vectors:
            probe.visit(template.replace("{v}", quote(vector, safe="")), status=None)
    probe.assert_clean()


# --- Talk pages and profiles, when they exist ---------------------------------------------------------

FILL_FORM = """([selector, short, long]) => {
  const form = document.querySelector(selector);
  for (const field of form.querySelectorAll("input[type=text], input:not([type]), textarea")) {
    if (field.readOnly || field.disabled) continue;
    const limit = field.maxLength > 0 ? field.maxLength : 100000;
    const pool = field.tagName === "TEXTAREA" || limit >= 1000 ? long : short;
    // At most ten pieces in a one-line field: a list field (areas of expertise) caps its items.
    let value = "";
    for (const piece of pool.slice(0, field.tagName === "TEXTAREA" ? pool.length : 10)) {
      const next = value ? value + (field.tagName === "TEXTAREA" ? "\\n\\n" : ", ") + piece : piece;
      if (next.length > limit) break;
      value = next;
    }
    field.value = value;
  }
  form.querySelector("button[type=submit], input[type=submit]").click();
}"""


def submit_vectors(
    probe, form_path: str, selector: str, long: list[str], turn: int, browser_checks: bool = True
) -> int:
    """Fill every text field of the form with vectors that fit, submit it; the status of the answer.

    Each turn puts the next ten short pieces into the one-line fields. Without `browser_checks` the form
    is sent with its required fields empty, for the server to refuse and show again."""
    # Short pieces, joined with commas: a list field takes each as one item of at most 40 characters.
    short = [p for p in (*corpus.ATTRIBUTE_BREAKOUTS, *corpus.EVENT_HANDLERS) if len(p) <= 38]
    short = short[turn * 10 :] + short[: turn * 10]
    probe.visit(form_path)
    page = probe.page
    if not browser_checks:
        page.eval_on_selector(selector, "(form) => { form.noValidate = true; }")
    with page.expect_navigation(), page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.evaluate(FILL_FORM, [selector, short, long])
    probe.check()
    return posted.value.status


def markdown_batches() -> list[list[str]]:
    payloads = [v.payload for v in corpus.VECTORS]
    return [payloads[start : start + 60] for start in range(0, len(payloads), 60)]


@browser_test
def test_talk_posts_never_run(probe, make_page, ada):
    make_page("XSS talk", "A page to discuss.", author=ada)
    for turn, batch in enumerate(markdown_batches()):
        assert submit_vectors(probe, "/talk/XSS_talk", "form.post-form", batch, turn) == 302
    probe.visit("/talk/XSS_talk")
    probe.visit("/special/discussions")
    probe.assert_clean()


@browser_test
def test_profile_fields_never_run(probe, ada):
    for turn, batch in enumerate(markdown_batches()):
        status = submit_vectors(probe, "/accounts/profile/", "main form[method=post]", batch, turn)
        assert status == 302, probe.page.locator(".field-error, .errorlist").all_inner_texts()
        probe.visit(f"/members/{ada.username}")
    probe.visit("/members/")
    probe.assert_clean()


@browser_test
def test_private_messages_never_run(probe, alice):
    for turn, batch in enumerate(markdown_batches()):
        form = "main form[method=post]:has(textarea)"
        assert submit_vectors(probe, "/members/messages/new/alice", form, batch, turn) == 302
    probe.visit("/members/messages/")
    probe.assert_clean()


# --- Sign-up by invitation or approval ------------------------------------------------------------------
# The forms let a username be letters, digits and @.+-_ only, and an address be an address; the pages show
# what is stored, so most values here are stored through the model or the action, past the forms.


def payloads() -> list[str]:
    return [vector.payload for vector in corpus.VECTORS]


def payload_names() -> list[str]:
    """Usernames made of every title vector, several to a name as they fit; one per look-alike key (a name
    is taken once in any spelling)."""
    names: dict[str, str] = {}
    for text in corpus.packed(corpus.title_vectors(), usernames.MAX_LENGTH):
        if not usernames.is_reserved(text):
            names.setdefault(usernames.username_key(text), text)
    return list(names.values())


def payload_members(names: list[str], role: str = "member", **fields) -> list[User]:
    return [
        User.objects.create_user(
            username=name,
            email=f"member{number}@example.org",
            password=PASSWORD,
            role=role,
            email_confirmed=True,
            **fields,
        )
        for number, name in enumerate(names)
    ]


def lines_packed(texts: list[str], limit: int) -> list[str]:
    """Texts joined with line breaks into strings of at most `limit` characters (each text kept whole)."""
    batches: list[str] = []
    for text in texts:
        if batches and len(batches[-1]) + 1 + len(text) <= limit:
            batches[-1] += "\n" + text
        else:
            batches.append(text[:limit])
    return batches


@browser_test
def test_approval_queue_names_addresses_and_notes_never_run(probe, settings):
    """What an applicant typed (their username, address and "who you are" note) as trusted members and
    admins see it in the queue, and the messages that name the applicant once approved or declined."""
    settings.SIGNUP = "approval"
    names = payload_names()
    addresses = corpus.packed(payloads(), invitations.ADDRESS_LENGTH)
    notes = lines_packed(payloads(), approvals.NOTE_LENGTH)
    for number, name in enumerate(names):
        address = addresses[number % len(addresses)]
        applicant = User.objects.create_user(username=name, email=address, password=PASSWORD, is_active=False)
        SignupRequest.objects.create(user=applicant, note=notes[number % len(notes)])
    pages = -(-len(names) // views_approvals.REQUESTS_PER_PAGE)
    for number in range(1, pages + 1):
        probe.visit(f"/accounts/approvals/?page={number}")
    for decision in ("Approve", "Decline"):
        probe.page.locator("section.signup-request button", has_text=decision).first.click()
        probe.check()
        assert probe.page.locator("ul.messages li").count() == 1
    probe.assert_clean()


def quoted_address(payload: str) -> str:
    """The payload as the quoted local part of an address, which Django's address check accepts."""
    return '"' + payload.replace("\\", "\\\\").replace('"', '\\"') + '"@example.org'


def form_addresses() -> list[str]:
    """Payloads the invitations form takes as addresses: one entry each, valid, different in any case."""
    found: dict[str, str] = {}
    for address in map(quoted_address, payloads()):
        if invitations.split_addresses(address) == [address] and invitations.is_address(address):
            found.setdefault(address.lower(), address)
    return list(found.values())


def send_invitations(probe, text: str) -> None:
    probe.page.fill("textarea[name=addresses]", text)
    probe.page.click("form.account-form button[type=submit]")
    probe.check()


@browser_test
def test_invitation_addresses_and_names_never_run(probe, ada, settings):
    """Addresses and the names of inviters and of the members who used an invitation, in every state of
    the admin's list; the messages after revoking and sending; refused addresses named in the error."""
    settings.INVITATIONS_PER_DAY = 10_000
    names = payload_names()
    inviters = payload_members(names[:20], role="trusted")
    members = payload_members(names[20:40])
    now = timezone.now()
    for number, address in enumerate(corpus.packed(payloads(), invitations.ADDRESS_LENGTH)):
        invitation, _key = invitations.issue(inviters[number % len(inviters)], address)
        change = (
            {},
            {"accepted_at": now, "accepted_by": members[number % len(members)]},
            {"revoked_at": now},
            {"expires_at": now - timedelta(days=1)},
        )[number % 4]
        Invitation.objects.filter(pk=invitation.pk).update(**change)
    probe.visit("/accounts/invitations/")
    probe.page.locator("table.invitations button", has_text="Revoke").first.click()
    probe.check()
    sent = form_addresses()[: invitations.MAX_PER_SUBMISSION]
    assert len(sent) > 20
    send_invitations(probe, "\n".join(sent))
    assert Invitation.objects.filter(email__in=sent).count() == len(sent)
    # Refused: entries that are no addresses, named one by one in the error; then more than fifty entries,
    # the whole corpus echoed in the field.
    whole = [payload for payload in payloads() if invitations.split_addresses(payload) == [payload]]
    for start in range(0, len(whole), invitations.MAX_PER_SUBMISSION):
        send_invitations(probe, "\n".join(whole[start : start + invitations.MAX_PER_SUBMISSION]))
    send_invitations(probe, "\n".join(payloads()))
    probe.visit("/accounts/invitations/?page=2")
    probe.assert_clean()


@browser_test
def test_invited_sign_up_and_application_forms_never_run(anonymous_probe, settings):
    """The invited sign-up shows the invited address (in an input's value) and the inviter's name, and both
    forms show what was typed again when they refuse it (a username the form does not take, no password).
    A page shows one address: the vectors made to break out of an attribute or an element take a few."""
    breakouts = [*corpus.ATTRIBUTE_BREAKOUTS, *corpus.SCRIPT_TAGS, *corpus.MUTATION]
    addresses = corpus.packed(breakouts, invitations.ADDRESS_LENGTH)
    inviters = payload_members(payload_names()[: len(addresses)], role="trusted")
    keys = [
        invitations.issue(inviter, address)[1] for inviter, address in zip(inviters, addresses, strict=True)
    ]
    form = "main form[method=post]"
    for turn, key in enumerate(keys):
        path = f"/accounts/signup/invited/{key}/"
        if turn < 2:
            assert submit_vectors(anonymous_probe, path, form, [], turn, browser_checks=False) == 400
        else:
            anonymous_probe.visit(path)
    settings.SIGNUP = "approval"
    for turn, batch in enumerate((breakouts, breakouts[::-1])):
        status = submit_vectors(anonymous_probe, "/accounts/signup/", form, batch, turn, browser_checks=False)
        assert status == 400
    assert not User.objects.exclude(pk__in=[inviter.pk for inviter in inviters]).exists()
    anonymous_probe.assert_clean()


# --- Members' names beside what they did, and "former member" once they deleted their account ------------


@browser_test
def test_member_names_and_former_members_never_run(probe, ada):
    """Authors in history, recent changes, feeds and the API; uploaders on a file page and in the log; the
    summaries of reverts and roll-backs that name authors. Some of the members then delete their account,
    so the same pages also show "former member" and summaries renamed by account deletion."""
    members = payload_members(payload_names())
    title = "XSS authors"
    for number, member in enumerate(members):
        base = latest_id(title) if number else None
        actions.save_revision(title, f"Revision {number} by a member.", member, base)
    page = Page.objects.get(title=title)
    for revision in Revision.objects.filter(page=page, author__in=members[:10]):
        actions.revert_to(Page.objects.get(pk=page.pk), revision, ada)
    for member in members[10:12]:
        actions.save_revision(title, f"Edited by {member.pk}.", member, latest_id(title))
    actions.rollback(Page.objects.get(title=title), ada)
    for number, member in enumerate(members[:15]):
        image = SimpleUploadedFile("x.png", image_bytes("PNG", size=(2, 2 + number)))
        uploads.upload_file("XSS authors.png", image, member, f"Version {number}")
    for member in members[:14:2]:
        account_data.delete_account(member)
    ids = list(Revision.objects.filter(page=page).order_by("-id").values_list("id", flat=True))
    probe.visit("/history/XSS_authors")
    for before in ids[HISTORY_PAGE_SIZE - 1 :: HISTORY_PAGE_SIZE][:-1]:
        probe.visit(f"/history/XSS_authors?before={before}")
    for path in (
        "/wiki/File:XSS_authors.png",
        "/special/log",
        "/special/recent",
        "/feeds/recent.atom",
        "/feeds/page/XSS_authors.atom",
        f"/diff/XSS_authors?from={ids[1]}&to={ids[0]}",
        "/api/v1/history/XSS_authors",
    ):
        probe.visit(path)
    probe.assert_clean()


# --- Search snippets made in Python (every snippet on SQLite; PostgreSQL's past its headline) ---------

# Over 2,000 characters of words before the match: PostgreSQL's headline (of a page's first 2,000
# characters) marks nothing there, so the page's snippet comes from text.make_snippet as on SQLite.
FILLER = "Plain words that fill the start of the page before anything to find. " * 32
MARKER_VECTORS = (
    "\ue000<img src=x onerror=top.xss()>\ue001",
    "\ue001<script>top.xss()</script>\ue000",
    "needle\ue001<svg onload=top.xss()>",
)


@browser_test
def test_snippets_made_in_python_and_the_create_link_never_run(probe, make_page, ada):
    vectors = [*payloads(), *MARKER_VECTORS]
    for number in range(0, len(vectors), 2):
        text = "\n\nneedle\n\n".join(vectors[number : number + 2])
        make_page(f"Far snippet {number}", f"{FILLER}\n\n{text}", author=ada)
    # Past the 20,000 characters a snippet is looked for in: the first later match is used.
    make_page("Very far snippet", f"{FILLER * 10}\n\n" + "\n\nneedle\n\n".join(vectors[:20]), author=ada)
    hits = search.search_pages("needle", limit=500).hits
    assert len(hits) > len(vectors) // 2 - 5
    for page_number in range(1, len(hits) // 20 + 2):
        probe.visit(f"/special/search?q=needle&fulltext=1&page={page_number}")
    # Matches inside the vectors themselves, so that the marks fall into them.
    for query in ("onerror", '"top xss"', "javascr*", "script needle"):
        probe.visit("/special/search?" + urlencode({"q": query, "fulltext": "1"}))
    # A query that is a title no page has offers to create that page, naming it in text and in a link.
    titles = [
        title
        for title in (*corpus.TITLE_ONLY, *corpus.ATTRIBUTE_BREAKOUTS)
        if corpus.is_valid_title(title) and not title.startswith("File:")  # files are uploaded, not created
    ]
    for title in titles:
        probe.visit("/special/search?" + urlencode({"q": title, "fulltext": "1"}))
        assert probe.page.locator("p.create-page").count() == 1, title
    probe.assert_clean()


def usable_category() -> str:
    """The longest title vector that an event takes as its category (a category is a page title)."""
    from districtwiki.events.actions import EventError, clean_category

    accepted = []
    for text in corpus.title_vectors():
        try:
            accepted.append(clean_category(text[:100]))
        except EventError:
            continue
    return max(accepted, key=len)


@browser_test
def test_chat_messages_events_and_transcripts_never_run(probe, ada, alice, settings):
    """Every vector as chat messages (rendered, hidden with a vector as the reason, asked as questions), as
    an event's title, description and category, as a topic room's name, and in the transcript page."""
    from districtwiki.events import actions as event_actions
    from districtwiki.events import chat

    settings.CHAT_RATE = "100000/1"
    titles = corpus.packed(corpus.title_vectors(), 200)
    room_names = corpus.packed(corpus.title_vectors(), 180)
    start = timezone.now() - timedelta(minutes=5)
    details = event_actions.EventDetails(
        title=titles[0],
        description="\n\n".join(payloads())[:20_000],
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="UTC",
        category=usable_category(),
    )
    event = event_actions.create_event(ada, details)
    event.moderators.add(alice)
    for number, text in enumerate(lines_packed(payloads(), 4_000)):
        message = chat.post_message(event.room, alice, text, is_question=number % 2 == 0)
        if number % 3 == 0:
            chat.hide_message(message, ada, titles[number % len(titles)])
    topic = event_actions.create_topic_room(ada, "XSS topic")
    topic.description = room_names[0][:1000]
    topic.save()
    for name in room_names[1:4]:
        chat.post_message(topic, alice, name)
    message = chat.post_message(event.room, alice, payloads()[0])
    probe.visit(f"/events/{event.pk}")
    probe.visit(f"/events/messages/{message.pk}/report")
    probe.visit("/events/")
    probe.visit("/events/rooms/")
    probe.visit("/events/rooms/xss-topic")
    probe.visit(f"/events/{event.pk}/edit")
    transcript = event_actions.end_event(event, ada).transcript
    probe.visit("/wiki/" + path_of(transcript.title))
    probe.visit(f"/events/{event.pk}")
    probe.assert_clean()
