"""End-to-end journeys in Debian's Chromium, driven as a person would: links, labelled fields and buttons.

A reader follows a pathway and searches; a new member confirms their address from a real (file) e-mail and
uploads an image; two editors collide; a moderator hides a reported post; an admin protects, deletes and
restores pages. When a journey fails, a screenshot and the HTML of every page it opened are written to
test-artifacts/ at the repository root, named after the test (see `artifacts_on_failure`)."""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD, make_user
from districtwiki.content import loader
from districtwiki.wiki.models import Page

from .browser import CONFIRM_LINK, save_artifacts, sign_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACT_DIR = Path(__file__).resolve().parents[3] / "test-artifacts"


@contextmanager
def artifacts_on_failure(name: str, pages: list, directory: Path = ARTIFACT_DIR):
    """On any failure inside the block, save every open page's screenshot and HTML, then re-raise."""
    try:
        yield
    except BaseException:
        for number, page in enumerate(pages, start=1):
            if not page.is_closed():
                save_artifacts(page, directory, f"{name}-page{number}")
        raise


@pytest.fixture
def pages():
    """Every page a journey opened, for artifacts_on_failure."""
    return []


@pytest.fixture
def open_page(chromium, live_server, watch, pages):
    """open_page(user=None) → a watched page in its own browser context, signed in as `user` if given."""
    contexts = []

    def open_page(user=None):
        context = chromium.new_context(base_url=live_server.url)
        contexts.append(context)
        if user is not None:
            sign_in(context, live_server.url, user)
        page = watched_page(context, watch)
        pages.append(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def journey(request, pages):
    """The block a journey runs in: artifacts of its pages are saved if it fails."""
    return lambda: artifacts_on_failure(request.node.name, pages)


def save_button(page):
    return page.get_by_role("button", name="Save page")


def page_text(page):
    return page.get_by_label("Page text (Markdown)")


def messages(page):
    return page.locator(".messages")


# --- 1. An anonymous reader -----------------------------------------------------------------------------


def test_reader_follows_a_pathway_searches_and_opens_history(open_page, journey):
    loader.load()
    page = open_page()
    with journey():
        page.goto("/")
        page.get_by_role("link", name="Start here if you are the technician").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Start here if you are the technician")
        page.get_by_role("link", name="Your first 90 days").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Your first 90 days")

        search = page.get_by_role("search").get_by_label("Search the wiki")
        search.fill("immutable")  # only in the body of "Backups you have tested"
        search.press("Enter")
        results = page.locator(".search-results")
        results.get_by_role("link", name="Backups you have tested").click()
        expect(page).to_have_url(re.compile(r"/wiki/Backups_you_have_tested$"))

        page.get_by_role("navigation", name="Page tools").get_by_role("link", name="History").click()
        expect(page).to_have_url(re.compile(r"/history/Backups_you_have_tested$"))
        expect(page.locator("table.history tbody tr")).to_have_count(1)
        expect(page.locator("table.history")).to_contain_text("Starter page")


# --- 2. A new member, with real e-mail files ----------------------------------------------------------


def sign_up(page, username: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail address").fill(f"{username}@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(messages(page)).to_contain_text(f"Welcome, {username}")


def link_from_mail_folder(folder: Path) -> str:
    mails = list(folder.iterdir())
    assert len(mails) == 1, f"expected one e-mail file, found {mails}"
    match = CONFIRM_LINK.search(mails[0].read_text(encoding="utf-8"))
    assert match, f"no confirmation link in {mails[0]}"
    return match.group(1)


def make_png(path: Path) -> Path:
    Image.new("RGB", (40, 30), (20, 120, 200)).save(path, format="PNG")
    return path


def test_new_member_confirms_from_mail_file_edits_and_uploads_an_image(
    open_page, journey, settings, tmp_path, make_page
):
    mail_dir = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mail_dir)
    make_page("Welcome desk", "Say hello here.")
    page = open_page()
    with journey():
        sign_up(page, "dana")
        page.goto(link_from_mail_folder(mail_dir))
        expect(page.get_by_role("heading", level=1)).to_have_text("E-mail address confirmed")
        # Sign-up signs nobody in (it answers a taken address alike); the confirmed page leads to sign-in.
        page.get_by_role("main").get_by_role("link", name="Sign in").click()
        page.get_by_label("Username or e-mail address").fill("dana")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        page.goto("/wiki/Welcome_desk")
        page.get_by_role("navigation", name="Page tools").get_by_role("link", name="Edit").click()
        page_text(page).fill("Say hello here.\n\nDana was here.")
        save_button(page).click()
        expect(page.locator(".page-content")).to_contain_text("Dana was here.")

        page.goto("/special/upload")
        page.get_by_label("File", exact=True).set_input_files(make_png(tmp_path / "Bus_route.png"))
        page.get_by_label("Comment").fill("The bus route map")
        page.get_by_role("button", name="Upload").click()
        expect(page).to_have_url(re.compile(r"/wiki/File:Bus_route\.png$"))
        image = page.locator(".file-preview").get_by_role("img", name="Bus route.png")
        # decode() waits for the image to load (and rejects if it is broken), whatever the server's pace.
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 40


# --- 3. Two editors collide -----------------------------------------------------------------------------


FIVE_LINES = "Line one.\n\nLine two.\n\nLine three.\n\nLine four.\n\nLine five.\n"


def change_and_save(page, old: str, new: str) -> None:
    text = page_text(page)
    text.fill(text.input_value().replace(old, new))
    save_button(page).click()


def test_two_editors_merge_then_resolve_a_conflict(open_page, journey, watch, make_page, alice):
    make_page("Shared plan", FIVE_LINES)
    erin = make_user("erin")
    page_a, page_b = open_page(alice), open_page(erin)
    with journey():
        page_a.goto("/edit/Shared_plan")
        page_b.goto("/edit/Shared_plan")
        change_and_save(page_a, "Line one.", "Line one by Alice.")
        expect(messages(page_a)).to_contain_text("Saved.")
        change_and_save(page_b, "Line five.", "Line five by Erin.")
        expect(messages(page_b)).to_contain_text("your changes were merged with theirs")
        expect(page_b.locator(".page-content")).to_contain_text("Line one by Alice.")
        expect(page_b.locator(".page-content")).to_contain_text("Line five by Erin.")

        page_a.goto("/edit/Shared_plan")
        page_b.goto("/edit/Shared_plan")
        change_and_save(page_a, "Line three.", "Line three, Alice's way.")
        expect(messages(page_a)).to_contain_text("Saved.")
        watch.allow(r"status of 409")
        with page_b.expect_response(lambda response: response.request.method == "POST") as response:
            change_and_save(page_b, "Line three.", "Line three, Erin's way.")
        assert response.value.status == 409
        expect(page_b.get_by_role("heading", name="Edit conflict")).to_be_visible()
        expect(page_b.locator(".conflict-sides").first).to_contain_text("Line three, Alice's way.")

        change_and_save(page_b, "Line three, Erin's way.", "Line three, Alice's way, and Erin's too.")
        content = page_b.locator(".page-content")
        expect(content).to_contain_text("Line three, Alice's way, and Erin's too.")
        expect(content).to_contain_text("Line one by Alice.")
        page_b.get_by_role("navigation", name="Page tools").get_by_role("link", name="History").click()
        expect(page_b.locator("table.history tbody tr")).to_have_count(5)
    assert "and Erin's too" in Page.objects.get(title="Shared plan").latest.text


# --- 4. A moderator hides a reported post ---------------------------------------------------------------


OFFENSIVE = "Everyone who uses this filter is an idiot."


def start_thread(page, title_path: str) -> None:
    page.goto(f"/talk/{title_path}")
    page.get_by_label("Subject").fill("Filter settings")
    page.get_by_label("Your post").fill(OFFENSIVE)
    page.get_by_role("button", name="Start thread").click()
    expect(page.locator(".post-body").first).to_contain_text(OFFENSIVE)


def report_post(page, thread_url: str) -> None:
    page.goto(thread_url)
    page.get_by_role("link", name="Report this post").click()
    page.get_by_label("Reason").fill("Insults other members.")
    page.get_by_role("button", name="Send report").click()
    expect(messages(page)).to_contain_text("the moderators will look at your report")


def hide_reported_post(page) -> None:
    page.goto("/special/moderation")
    report = page.locator("article.report")
    expect(report).to_have_count(1)
    expect(report).to_contain_text("Insults other members.")
    expect(report.locator(".post-body")).to_contain_text(OFFENSIVE)
    report.get_by_label(re.compile(r"^Reason for hiding post")).fill("Personal attack.")
    report.get_by_role("button", name=re.compile(r"^Hide post")).click()
    expect(messages(page)).to_contain_text("is hidden")


def test_moderator_hides_reported_post_from_members(open_page, journey, make_page, bob):
    make_page("Content filtering", "Our filter settings.")
    author, reporter, moderator = make_user("cora"), make_user("dev"), bob
    page_c, page_d, page_m = open_page(author), open_page(reporter), open_page(moderator)
    with journey():
        start_thread(page_c, "Content_filtering")
        thread_url = page_c.url
        report_post(page_d, thread_url)
        hide_reported_post(page_m)

        page_d.goto(thread_url)
        expect(page_d.locator(".post-hidden-note")).to_contain_text("hidden by a moderator: Personal attack.")
        expect(page_d.locator("main")).not_to_contain_text(OFFENSIVE)
        page_m.goto(thread_url)
        expect(page_m.locator(".post-hidden-note")).to_be_visible()
        expect(page_m.locator(".post-body")).to_contain_text(OFFENSIVE)


# --- 5. An admin protects, deletes and restores ---------------------------------------------------------


def open_page_tool(page, name: str) -> None:
    """The page's less used tools (Move, Protect, Delete…) are in its Tools menu."""
    tools = page.get_by_role("navigation", name="Page tools")
    tools.locator(".page-tools > summary").click()
    tools.get_by_role("link", name=name).click()


def protect_for_trusted(page, title_path: str) -> None:
    page.goto(f"/wiki/{title_path}")
    open_page_tool(page, "Protect")
    page.get_by_label("Who may edit").select_option(label="Trusted members and admins")
    page.get_by_label("Reason").fill("Vandalised twice")
    page.get_by_role("button", name="Save protection").click()
    expect(messages(page)).to_contain_text("Protection updated.")


def delete_page(page, title_path: str) -> None:
    page.goto(f"/wiki/{title_path}")
    open_page_tool(page, "Delete")
    page.get_by_label("Reason").fill("Duplicate of another page")
    page.get_by_role("button", name="Delete page").click()
    expect(messages(page)).to_contain_text("Its history is kept")


def test_admin_protects_deletes_and_restores_pages(open_page, journey, watch, make_page, ada, alice):
    make_page("Board policy", "Adopted in May.")
    first = make_page("Old draft", "First version.")
    make_page("Old draft", "Second version.", base_revision=first.revision.pk)
    admin, member, reader = open_page(ada), open_page(alice), open_page()
    watch.allow(r"status of 40[34]")
    with journey():
        protect_for_trusted(admin, "Board_policy")
        member.goto("/wiki/Board_policy")
        member.get_by_role("navigation", name="Page tools").get_by_role("link", name="Edit").click()
        expect(member.locator(".error-message")).to_contain_text("only trusted members can edit it")

        delete_page(admin, "Old_draft")
        response = reader.goto("/wiki/Old_draft")
        assert response.status == 404

        admin.goto("/wiki/Old_draft")
        admin.get_by_label("Reason").fill("Still needed")
        admin.get_by_role("button", name="Restore this page").click()
        expect(messages(admin)).to_contain_text("Restored “Old draft”.")
        expect(admin.locator(".page-content")).to_contain_text("Second version.")
        admin.get_by_role("navigation", name="Page tools").get_by_role("link", name="History").click()
        expect(admin.locator("table.history tbody tr")).to_have_count(2)
        assert reader.goto("/wiki/Old_draft").status == 200


# --- The failure artifacts ------------------------------------------------------------------------------


def test_failure_inside_a_journey_saves_screenshot_and_html(open_page, tmp_path):
    page = open_page()
    page.set_content("<h1>Where it broke</h1>")
    with pytest.raises(AssertionError), artifacts_on_failure("broken-journey", [page], tmp_path):
        raise AssertionError("forced failure")
    assert (tmp_path / "broken-journey-page1.png").read_bytes().startswith(b"\x89PNG")
    assert "Where it broke" in (tmp_path / "broken-journey-page1.html").read_text(encoding="utf-8")
