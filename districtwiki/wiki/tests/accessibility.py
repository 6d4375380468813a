"""The accessibility walk's shared parts (test_accessibility*.py): the wiki the pages are looked at in, how a
page type is reached, and the axe check of one group of page types.

Every page type is opened in the state a person meets it in (the starter content loaded, a member with a
profile signed in where the page needs one, the edit form after Preview, the 409 of an edit conflict) and
axe runs at 1280×800, then again at 375×812 on the same document, in the light colour scheme and again in
the dark one (the site follows the system setting). Each of those views is kept as a screenshot in
test-artifacts/screens/ (<page type>-<desktop|phone>-<light|dark>.png), to look at after a change. A
failure names the page type, the width, every violated rule and the elements that broke it, and leaves a
screenshot and the page's HTML under test-artifacts/.

Loading the starter content takes a second or two and the database is emptied after every test, so the
page types are checked in a few groups, each group on one loaded wiki; a group reports every failing page
type, not just the first. The groups are spread over several test modules so that pytest-xdist can check
them on different workers at once."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from districtwiki.community.models import Profile
from districtwiki.content import loader
from districtwiki.content.models import PathwayStep
from districtwiki.wiki import actions
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import url_form

from .browser import TIMEOUT_MS, axe_violations, describe_violations, save_artifacts

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


# --- How each page type is reached ---------------------------------------------------------------------


def goto(path: str, status: int = 200) -> Callable:
    def open_path(page, site: Site) -> None:
        response = page.goto(path.format(site=site))
        assert response.status == status, f"{page.url} answered {response.status}, expected {status}"

    return open_path


@dataclass(frozen=True)
class Visit:
    open: Callable
    signed_in: bool = False
    # Pages other parts of the project are still building are checked once their URL exists.
    needs: str = ""


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


def assert_no_wcag_violations(group: tuple[bool, dict[str, Visit]], alice, ada, browser_for, request) -> None:
    """Every page type of the group checked on one wiki (with the starter content or without)."""
    starter_content, visits = group
    site = build_site(alice, ada, starter_content)
    artifacts = request.config.rootpath / "test-artifacts"
    missing = [name for name, visit in visits.items() if visit.needs and not resolves(visit.needs)]
    assert not missing, f"these page types no longer resolve: {', '.join(missing)}"
    present = visits
    failures = []
    for name, visit in present.items():
        failures += check_visit(name, visit, site, browser_for, artifacts)
    assert not failures, "WCAG 2.1 A/AA violations, or pages not checked:\n" + "\n".join(failures)
