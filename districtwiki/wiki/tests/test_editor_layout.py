"""The edit page's layout in Chromium: text and preview side by side on a laptop, Write / Preview tabs on a
phone, the summary and Save always on screen, one preview, and the "About this page" source rows."""

import re

import pytest
from playwright.sync_api import expect

from districtwiki.content import loader
from districtwiki.wiki.models import Page

from .browser import SCREENSHOT_DIR, sign_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
TITLE = "E-Rate in one page"


@pytest.fixture
def starter_page(make_page):
    text = next(shipped.text for shipped in loader.shipped_pages() if shipped.title == TITLE)
    make_page(TITLE, text)
    return text


@pytest.fixture
def open_editor(chromium, live_server, watch, alice):
    contexts = []

    def open_editor(viewport, path="/edit/E-Rate_in_one_page", **options):
        context = chromium.new_context(base_url=live_server.url, viewport=viewport, **options)
        contexts.append(context)
        sign_in(context, live_server.url, alice)
        page = watched_page(context, watch)
        page.goto(path)
        return page

    yield open_editor
    for context in contexts:
        context.close()


def on_screen(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def assert_bar_on_screen(page) -> None:
    for selector in ("button[name=save]", "#id_summary", "#id_minor"):
        assert on_screen(page, selector), f"{selector} is not on screen at {page.viewport_size}"


def test_laptop_shows_text_and_preview_side_by_side(open_editor, starter_page):
    page = open_editor(LAPTOP)
    expect(page.locator("#live-preview-content h2").first).to_be_visible()
    write, preview = page.locator("#id_text").bounding_box(), page.locator("#live-preview").bounding_box()
    assert preview["x"] >= write["x"] + write["width"]
    assert abs(preview["y"] - page.locator(".editor-toolbar").bounding_box()["y"]) < 5
    expect(page.get_by_role("tablist")).to_be_hidden()
    assert_bar_on_screen(page)
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-editor-laptop.png")


def test_bar_stays_on_screen_while_scrolling(open_editor, starter_page):
    page = open_editor(LAPTOP)
    page.mouse.wheel(0, 3000)
    page.locator("#about-page > summary").click()
    assert_bar_on_screen(page)


def test_phone_switches_between_write_and_preview_tabs(open_editor, starter_page):
    page = open_editor(PHONE)
    assert_bar_on_screen(page)
    expect(page.locator("#id_text")).to_be_visible()
    expect(page.locator("#live-preview")).to_be_hidden()
    page.get_by_role("tab", name="Preview").click()
    expect(page.locator("#live-preview-content h2").first).to_be_visible()
    expect(page.locator("#id_text")).to_be_hidden()
    expect(page.get_by_role("tab", name="Preview")).to_have_attribute("aria-selected", "true")
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-editor-phone-preview.png")
    page.get_by_role("tab", name="Preview").press("ArrowLeft")
    expect(page.get_by_role("tab", name="Write")).to_be_focused()
    expect(page.locator("#id_text")).to_be_visible()
    assert_bar_on_screen(page)
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-editor-phone.png")


def test_phone_fetches_no_preview_until_it_is_opened(open_editor, starter_page):
    page = open_editor(PHONE, path="/")
    requests = []
    page.on("request", lambda r: "/special/preview" in r.url and requests.append(r))
    page.goto("/edit/E-Rate_in_one_page")
    page.locator("#id_text").press("End")
    page.keyboard.type(" More.")
    page.wait_for_timeout(1500)
    assert requests == []
    page.get_by_role("tab", name="Preview").click()
    expect(page.locator("#live-preview-content")).to_contain_text("More.")
    assert len(requests) == 1


def test_posted_preview_is_shown_once_and_not_fetched_again(open_editor, starter_page):
    page = open_editor(LAPTOP)
    expect(page.locator("#live-preview-content h2").first).to_be_visible()
    page.locator("#id_text").fill("**Shown once.**")
    requests = []
    with page.expect_navigation():
        page.eval_on_selector("button[name=preview]", "button => button.form.requestSubmit(button)")
    page.on("request", lambda r: "/special/preview" in r.url and requests.append(r))
    expect(page.locator("main strong", has_text="Shown once.")).to_have_count(1)
    expect(page.locator("#live-preview")).to_be_visible()
    page.wait_for_timeout(800)
    assert requests == []


def test_preview_without_javascript_fills_the_preview_pane(open_editor, starter_page):
    page = open_editor(LAPTOP, java_script_enabled=False)
    expect(page.locator("#live-preview")).to_be_hidden()
    page.locator("#id_text").fill("**Posted.**")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.locator("main strong", has_text="Posted.")).to_have_count(1)
    write, preview = page.locator("#id_text").bounding_box(), page.locator("#live-preview").bounding_box()
    assert preview["x"] >= write["x"] + write["width"]  # beside the text, where the live preview goes
    assert_bar_on_screen(page)


def test_add_and_remove_source_rows_then_save(open_editor, starter_page):
    page = open_editor(LAPTOP)
    page.locator("#about-page > summary").click()
    page.get_by_role("button", name="Add a source").click()
    new_row = page.locator("[data-source-row]").last
    expect(new_row.locator("input").first).to_be_focused()
    new_row.get_by_label(re.compile("^Title")).fill("A new source")
    new_row.get_by_label(re.compile("^Web address")).fill("https://example.org/new")
    page.get_by_role("button", name="Remove source 1", exact=True).click()
    page.get_by_role("button", name="Save page").click()
    expect(page).to_have_url(re.compile(r"/wiki/E-Rate_in_one_page$"))
    text = Page.objects.get(title=TITLE).latest.text
    assert '  - title: "A new source"\n    url: "https://example.org/new"\n---\n' in text
    assert "Report and Order (FCC 14-99)" not in text.split("---\n", 2)[1]  # the first source, removed
    assert text.split("---\n", 2)[2] == starter_page.split("---\n", 2)[2]  # the body is untouched


def test_changing_a_detail_asks_before_leaving(open_editor, starter_page, watch):
    page = open_editor(LAPTOP)
    page.locator("#about-page > summary").click()
    page.get_by_label("Technicians").check()
    page.goto("/")
    assert watch.dialogs == ["beforeunload"]
