"""axe-core finds no WCAG 2.1 A/AA violation on any page type, on a desktop and on a phone.

Every page type is opened in the state a person meets it in (the starter content loaded, a member with a
profile signed in where the page needs one, the edit form after Preview, the 409 of an edit conflict) and
axe runs at 1280×800, then again at 375×812 on the same document, in the light colour scheme and again in
the dark one (the site follows the system setting). Each of those views is kept as a screenshot in
test-artifacts/screens/ (<page type>-<desktop|phone>-<light|dark>.png), to look at after a change. A
failure names the page type, the width, every violated rule and the elements that broke it, and leaves a
screenshot and the page's HTML under test-artifacts/.

Loading the starter content takes a second or two and the database is emptied after every test, so the
page types are checked in a few groups, each group on one loaded wiki; a group reports every failing page
type, not just the first."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from districtwiki.community.models import Profile
from districtwiki.content import loader
from districtwiki.content.models import PathwayStep
from districtwiki.wiki import actions
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import url_form

from .browser import TIMEOUT_MS, axe_violations, describe_violations, save_artifacts, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
SCHEMES = ("light", "dark")
ARTICLE = "E-Rate in one page"  # a starter page with a table, a task list, sources and a category
ARTICLE_PATH = url_form(ARTICLE)
SUBPAGE = "Templates/Asset inventory"  # a subpage that embeds a shipped file
CATEGORY = "Funding and E-Rate"
PATHWAY = "technician"
NOTE = "A note from alice."
DIFF_PATH = f"/diff/{ARTICLE_PATH}?from={{site.first_revision}}&to={{site.latest_revision}}"


# --- The wiki the pages are looked at in -----------------------------------------------------------------


@dataclass
class Site:
    """alice (a member with a profile, one pathway step done, one edit of the article) and ada (an admin)."""

    alice: object
    ada: object
    first_revision: int
    latest_revision: int
    thread_id: int | None = None


def build_site(alice, ada, starter_content: bool) -> Site:
    if starter_content:
        loader.load()
    else:
        actions.save_revision(ARTICLE, "A short page about E-Rate.", ada, None, "")
    profile = {"role": Profile.Role.TECHNICIAN, "district_size": Profile.DistrictSize.UNDER_1000}
    Profile.objects.update_or_create(user=alice, defaults=profile)
    PathwayStep.objects.create(user=alice, pathway=PATHWAY, title="Your first 90 days")
    first = Page.objects.get(title=ARTICLE).latest
    edited = actions.save_revision(ARTICLE, f"{first.text}\n{NOTE}\n", alice, first.pk, "Added a note")
    return Site(alice=alice, ada=ada, first_revision=first.pk, latest_revision=edited.revision.pk)


@pytest.fixture
def browser_for(chromium, live_server):
    """browser_for(user or None) → a browser context, signed in as the user; one per user per test."""
    contexts = {}

    def browser_for(user):
        if user not in contexts:
            contexts[user] = chromium.new_context(base_url=live_server.url, viewport=VIEWPORTS["desktop"])
            if user is not None:
                sign_in(contexts[user], live_server.url, user)
        return contexts[user]

    yield browser_for
    for context in contexts.values():
        context.close()


# --- How each page type is reached ---------------------------------------------------------------------


def goto(path: str, status: int = 200) -> Callable:
    def open_path(page, site: Site) -> None:
        response = page.goto(path.format(site=site))
        assert response.status == status, f"{page.url} answered {response.status}, expected {status}"

    return open_path


def open_preview(page, site: Site) -> None:
    goto(f"/edit/{ARTICLE_PATH}")(page, site)
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="Preview", exact=True)).to_be_visible()


def open_conflict(page, site: Site) -> None:
    """Alice saves a change to the line ada changed while alice had the editor open: a 409 with both texts."""
    goto(f"/edit/{ARTICLE_PATH}")(page, site)
    current = Page.objects.get(title=ARTICLE).latest
    actions.save_revision(ARTICLE, current.text.replace(NOTE, "A note from ada."), site.ada, current.pk, "")
    text = page.locator("#id_text")
    text.fill(text.input_value().replace(NOTE, "A longer note from alice."))
    with page.expect_response(lambda r: r.request.method == "POST" and "/edit/" in r.url) as response:
        page.get_by_role("button", name="Save page").click()
    assert response.value.status == 409, f"saving over ada's change answered {response.value.status}"
    expect(page.get_by_role("heading", name="Edit conflict")).to_be_visible()


def discussion(site: Site) -> int:
    """A talk thread on the article with alice's question and ada's reply (made once per test)."""
    from districtwiki.discussions import actions as discussions

    if site.thread_id is None:
        page = Page.objects.get(title=ARTICLE)
        thread = discussions.start_thread(page, "Which form first?", "Is it **470** or 471?", site.alice)
        discussions.add_post(thread, "Form 470, then the 28-day wait.", site.ada)
        site.thread_id = thread.pk
    return site.thread_id


def open_talk(page, site: Site) -> None:
    discussion(site)
    goto(f"/talk/{ARTICLE_PATH}")(page, site)


def open_thread(page, site: Site) -> None:
    goto(f"/discussions/{discussion(site)}")(page, site)


def open_conversation(page, site: Site) -> None:
    """A message from ada, as alice reads it (which also gives alice a notification)."""
    from districtwiki.community import messaging

    message = messaging.send_message(site.ada, site.alice, "Welcome! Ask me about **E-Rate** any time.")
    goto(message.conversation.get_absolute_url())(page, site)


def open_failed_sign_in(page, site: Site) -> None:
    goto("/accounts/login/")(page, site)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".form-errors")).to_be_visible()


def open_sign_up_with_errors(page, site: Site) -> None:
    goto("/accounts/signup/")(page, site)
    page.get_by_label("Username").fill("alice")  # taken
    page.get_by_label("E-mail address").fill("someone@example.org")
    page.locator("#id_password1").fill("one long password")
    page.locator("#id_password2").fill("another long password")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".field-invalid").first).to_be_visible()


@dataclass(frozen=True)
class Visit:
    open: Callable
    signed_in: bool = False
    # Pages other parts of the project are still building are checked once their URL exists.
    needs: str = ""


GROUPS = {
    # group: (needs the starter content, {page type: how to reach it})
    "reading": (
        True,
        {
            "home": Visit(goto("/")),
            "home-member": Visit(goto("/"), signed_in=True),
            "page": Visit(goto(f"/wiki/{ARTICLE_PATH}")),
            "page-member": Visit(goto(f"/wiki/{ARTICLE_PATH}"), signed_in=True),
            "subpage-with-file": Visit(goto(f"/wiki/{url_form(SUBPAGE)}")),
            "old-revision": Visit(goto(f"/wiki/{ARTICLE_PATH}?oldid={{site.first_revision}}")),
            "history": Visit(goto(f"/history/{ARTICLE_PATH}")),
            "diff": Visit(goto(DIFF_PATH)),
            "search": Visit(goto("/special/search?q=E-Rate")),
            "recent-changes": Visit(goto("/special/recent")),
            "category": Visit(goto(f"/category/{url_form(CATEGORY)}")),
            "special-all": Visit(goto("/special/all")),
            "special-wanted": Visit(goto("/special/wanted")),
            "special-orphans": Visit(goto("/special/orphans")),
            "special-backlinks": Visit(goto(f"/special/backlinks/{ARTICLE_PATH}")),
            "special-categories": Visit(goto("/special/categories")),
            "special-info": Visit(goto(f"/special/info/{ARTICLE_PATH}")),
            "special-log": Visit(goto("/special/log")),
            "special-review-due": Visit(goto("/special/review-due")),
            "pathways": Visit(goto("/pathways/")),
            "pathway": Visit(goto(f"/pathways/{PATHWAY}"), signed_in=True),
        },
    ),
    "editing": (
        True,
        {
            "edit": Visit(goto(f"/edit/{ARTICLE_PATH}"), signed_in=True),
            "preview": Visit(open_preview, signed_in=True),
            "error-409": Visit(open_conflict, signed_in=True),
        },
    ),
    "accounts-and-errors": (
        False,
        {
            "sign-in": Visit(goto("/accounts/login/")),
            "sign-in-with-reason": Visit(goto("/accounts/login/?next=/members/")),
            "sign-in-failed": Visit(open_failed_sign_in),
            "sign-up": Visit(goto("/accounts/signup/")),
            "sign-up-with-errors": Visit(open_sign_up_with_errors),
            "settings": Visit(goto("/accounts/settings/"), signed_in=True),
            "profile-form": Visit(goto("/accounts/profile/"), signed_in=True),
            "special-upload": Visit(goto("/special/upload"), signed_in=True),
            "error-403": Visit(goto(f"/protect/{ARTICLE_PATH}", status=403), signed_in=True),
            "error-404": Visit(goto("/history/No_such_page", status=404)),
            "missing-page": Visit(goto("/wiki/No_such_page", status=404)),
        },
    ),
    "community": (
        False,
        {
            "talk": Visit(open_talk, signed_in=True, needs=f"/talk/{ARTICLE_PATH}"),
            "thread": Visit(open_thread, signed_in=True, needs="/discussions/1"),
            "discussions": Visit(goto("/special/discussions"), needs="/special/discussions"),
            "member-profile": Visit(goto("/members/alice"), signed_in=True, needs="/members/alice"),
            "directory": Visit(goto("/members/"), signed_in=True, needs="/members/"),
            "state-chapters": Visit(goto("/members/state/"), signed_in=True, needs="/members/state/"),
            "conversation": Visit(open_conversation, signed_in=True, needs="/members/messages/1"),
            "inbox": Visit(goto("/members/messages/"), signed_in=True, needs="/members/messages/"),
            "notifications": Visit(goto("/notifications/"), signed_in=True, needs="/notifications/"),
        },
    ),
}


def resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


# --- The check ---------------------------------------------------------------------------------------


def violations_at_each_width(page, name: str, artifacts) -> list[str]:
    failures = []
    for scheme in SCHEMES:
        use_colour_scheme(page, scheme)
        for viewport, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            violations = axe_violations(page)
            page.screenshot(path=artifacts / "screens" / f"{name}-{viewport}-{scheme}.png")
            if violations:
                where = f"{name} at {size['width']}×{size['height']}, {scheme} ({page.url})"
                saved = save(page, artifacts, name, f"{viewport}-{scheme}")
                failures.append(f"{where}:\n{describe_violations(violations)}\n  {saved}")
    return failures


def use_colour_scheme(page, scheme: str) -> None:
    """Switch the page to a colour scheme and wait until it is drawn in it: the media query matches and no
    colour is still fading (a button's hover transition), so axe never sees a colour half-way."""
    page.emulate_media(color_scheme=scheme)
    page.wait_for_function("scheme => matchMedia(`(prefers-color-scheme: ${scheme})`).matches", arg=scheme)
    page.wait_for_function("() => document.getAnimations().length === 0")


def save(page, artifacts, name: str, viewport: str) -> str:
    try:
        saved = save_artifacts(page, artifacts, f"{name}-{viewport}")
    except Exception as error:  # a screenshot that fails must not hide the violations themselves
        return f"(could not save the page: {error})"
    return "saved " + ", ".join(str(path) for path in saved)


def check_visit(name: str, visit: Visit, site: Site, browser_for, artifacts) -> list[str]:
    page = browser_for(site.alice if visit.signed_in else None).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        visit.open(page, site)
        return violations_at_each_width(page, name, artifacts)
    except (AssertionError, PlaywrightError) as error:  # reported with the group's other failures
        return [f"{name}: could not be checked: {error}"]
    finally:
        page.close()


@pytest.mark.parametrize("group", list(GROUPS))
def test_page_types_have_no_wcag_violations(group, alice, ada, browser_for, request):
    starter_content, visits = GROUPS[group]
    site = build_site(alice, ada, starter_content)
    artifacts = request.config.rootpath / "test-artifacts"
    missing = [name for name, visit in visits.items() if visit.needs and not resolves(visit.needs)]
    assert not missing, f"these page types no longer resolve: {', '.join(missing)}"
    present = visits
    failures = []
    for name, visit in present.items():
        failures += check_visit(name, visit, site, browser_for, artifacts)
    assert not failures, "WCAG 2.1 A/AA violations, or pages not checked:\n" + "\n".join(failures)


def test_violation_is_reported_with_rule_and_element(browser_for, tmp_path):
    """The check can fail: an unlabelled field is found, named, and its page saved for later."""
    page = browser_for(None).new_page()
    page.goto("/special/all")
    page.eval_on_selector("main", "main => main.insertAdjacentHTML('beforeend', '<input name=planted>')")
    failures = violations_at_each_width(page, "planted", tmp_path)
    assert [failure.splitlines()[:2] for failure in failures] == [
        [f"planted at {size}, {scheme} ({page.url}):", "  label (critical): Form elements must have labels"]
        for scheme in SCHEMES
        for size in ("1280×800", "375×812")
    ]
    assert (tmp_path / "planted-phone-dark.png").exists()
    assert (tmp_path / "screens" / "planted-desktop-light.png").exists()
    assert (tmp_path / "planted-phone-dark.html").read_text().count('name="planted"') == 1


def test_dark_scheme_is_checked_in_dark_colours(browser_for):
    """The dark pass really sees the dark tokens: the page background changes with the scheme."""
    page = browser_for(None).new_page()
    page.goto("/special/all")
    backgrounds = {}
    for scheme in SCHEMES:
        use_colour_scheme(page, scheme)
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}
