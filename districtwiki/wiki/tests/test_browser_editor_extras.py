"""The editor's extras in Chromium: the [[link]] picker, images pasted or dropped into the text, and the
edit-conflict view. Every page is watched for console errors and CSP violations (browser.PageWatch)."""

import base64

import pytest
from playwright.sync_api import expect

from districtwiki.wiki import actions
from districtwiki.wiki.models import FileUpload, Page

from .browser import axe_violations, describe_violations, sign_in, watched_page
from .test_uploads import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISPATCH_FILE = """([kind, b64, name, type]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type}));
  const text = document.querySelector("#id_text");
  text.focus();
  const init = {bubbles: true, cancelable: true};
  const event = kind === "paste"
    ? new ClipboardEvent("paste", {...init, clipboardData: transfer})
    : new DragEvent("drop", {...init, dataTransfer: transfer});
  text.dispatchEvent(event);
  return event.defaultPrevented;
}"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(chromium, live_server, watch, alice, make_page):
    for title in ["E-Rate basics", "E-Rate forms", "Network"]:
        make_page(title, f"About {title}.")
    context = chromium.new_context(base_url=live_server.url)
    sign_in(context, live_server.url, alice)
    page = watched_page(context, watch)
    page.goto("/edit/Sandbox")
    yield page
    context.close()


def picker(page):
    return page.get_by_role("listbox", name="Pages to link to")


# --- The [[link]] picker -------------------------------------------------------------------------------


def test_typing_double_brackets_suggests_matching_titles(editor):
    editor.locator("#id_text").press_sequentially("See [[e-r")
    expect(picker(editor).get_by_role("option")).to_have_text(["E-Rate basics", "E-Rate forms"])
    expect(editor.locator("#link-picker-status")).to_have_text(
        "2 pages match. Up and down arrows choose, Enter inserts the link."
    )


def test_arrows_and_enter_insert_the_chosen_title(editor):
    text = editor.locator("#id_text")
    text.press_sequentially("See [[e-r")
    expect(picker(editor).get_by_role("option")).to_have_count(2)
    text.press("ArrowDown")
    text.press("ArrowDown")
    expect(text).to_have_attribute("aria-activedescendant", "link-picker-option-1")
    text.press("Enter")
    expect(text).to_have_value("See [[E-Rate forms]]")
    expect(picker(editor)).to_be_hidden()


def test_tab_inserts_the_first_title_and_escape_closes(editor):
    text = editor.locator("#id_text")
    text.press_sequentially("[[netw")
    expect(picker(editor).get_by_role("option")).to_have_count(1)
    text.press("Tab")
    expect(text).to_have_value("[[Network]]")
    text.press_sequentially(" and [[E-")
    expect(picker(editor).get_by_role("option")).to_have_count(2)
    text.press("Escape")
    expect(picker(editor)).to_be_hidden()
    text.press("Enter")
    expect(text).to_have_value("[[Network]] and [[E-\n")


def test_toolbar_link_button_then_typing_suggests_and_replaces_the_placeholder(editor):
    editor.get_by_role("button", name="[[Link]]").click()
    editor.keyboard.type("E-Rate f")
    expect(picker(editor).get_by_role("option")).to_have_text(["E-Rate forms"])
    editor.keyboard.press("Enter")  # nothing chosen yet: Enter is not taken
    editor.locator("#id_text").press("Backspace")
    editor.keyboard.press("ArrowDown")
    editor.keyboard.press("Enter")
    expect(editor.locator("#id_text")).to_have_value("[[E-Rate forms]]")


def test_changing_the_target_of_a_labelled_link_keeps_its_label(editor):
    text = editor.locator("#id_text")
    text.fill("See [[Netx|our network]] now.")
    text.evaluate("t => { t.focus(); t.setSelectionRange(9, 9); }")  # after "[[Net"
    text.press("Backspace")
    text.press_sequentially("t")
    expect(picker(editor).get_by_role("option")).to_have_text(["Network"])
    text.press("Tab")
    expect(text).to_have_value("See [[Network|our network]] now.")
    editor.wait_for_timeout(300)
    expect(picker(editor)).to_be_hidden()


def test_clicking_a_title_inserts_it(editor):
    editor.locator("#id_text").press_sequentially("[[E-Rate b")
    picker(editor).get_by_role("option", name="E-Rate basics").click()
    expect(editor.locator("#id_text")).to_have_value("[[E-Rate basics]]")


def test_open_picker_has_no_accessibility_violations(editor):
    editor.locator("#id_text").press_sequentially("[[e-r")
    expect(picker(editor).get_by_role("option")).to_have_count(2)
    editor.locator("#id_text").press("ArrowDown")
    violations = axe_violations(editor)
    assert violations == [], describe_violations(violations)


# --- Images pasted or dropped --------------------------------------------------------------------------


def dispatch_file(page, kind: str, content: bytes, name: str, content_type: str) -> bool:
    encoded = base64.b64encode(content).decode()
    return page.evaluate(DISPATCH_FILE, [kind, encoded, name, content_type])


def test_pasted_image_is_uploaded_and_embedded_with_its_alt_text_selected(editor):
    text = editor.locator("#id_text")
    text.fill("Map: ")
    text.press("End")
    assert dispatch_file(editor, "paste", image_bytes("PNG"), "image.png", "image/png")
    expect(text).to_have_value("Map: ![Sandbox image](File:Sandbox_image.png)")
    selected = text.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)")
    assert selected == "Sandbox image"
    expect(editor.locator("#image-upload-status")).to_contain_text("Uploaded Sandbox image.png.")
    assert FileUpload.objects.get().page.title == "File:Sandbox image.png"


def test_dropped_image_keeps_its_name_and_takes_a_free_one(editor, alice):
    actions.save_revision("File:Map.png", "An older map.", alice, None, "")
    text = editor.locator("#id_text")
    assert dispatch_file(editor, "drop", image_bytes("PNG"), "map.png", "image/png")
    expect(text).to_have_value("![Map 2](File:Map_2.png)")
    assert Page.objects.filter(title="File:Map 2.png").exists()


def test_refused_image_says_why_and_leaves_the_text_as_it_was(editor, watch, settings):
    watch.allow("status of 413")
    settings.MAX_UPLOAD_BYTES = 100
    text = editor.locator("#id_text")
    text.fill("Intro")
    text.press("End")
    dispatch_file(editor, "paste", image_bytes("PNG", size=(200, 200)) + b"x" * 500, "big.png", "image/png")
    status = editor.locator("#image-upload-status")
    expect(status).to_have_text(
        "big.png was not uploaded: The file is larger than the upload limit of 100 bytes."
    )
    expect(text).to_have_value("Intro")
    assert not FileUpload.objects.exists()


def test_dropped_document_is_not_uploaded(editor):
    assert dispatch_file(editor, "drop", b"%PDF-1.4\n", "plan.pdf", "application/pdf")
    expect(editor.locator("#image-upload-status")).to_contain_text("Only PNG, JPEG, GIF or WebP images")
    expect(editor.locator("#id_text")).to_have_value("")


# --- The edit conflict ---------------------------------------------------------------------------------


def open_conflict(editor, bob, watch, mine="About Network today."):
    watch.allow("status of 409")
    editor.goto("/edit/Network")
    current = Page.objects.get(title="Network").latest
    actions.save_revision("Network", "About the school network.", bob, current.pk, "")
    editor.locator("#id_text").fill(mine)
    editor.get_by_role("button", name="Save page").click()
    expect(editor.get_by_role("heading", name="Edit conflict")).to_be_visible()


def test_conflict_shows_both_versions_with_the_differing_words_marked(editor, bob, watch):
    open_conflict(editor, bob, watch)
    expect(editor.locator("[data-conflict-theirs] mark")).to_have_text(["the school network"])
    expect(editor.locator("[data-conflict-mine] mark")).to_have_text(["Network today"])
    violations = axe_violations(editor)
    assert violations == [], describe_violations(violations)


def test_use_their_version_swaps_the_part_in_the_editor_and_back(editor, bob, watch):
    open_conflict(editor, bob, watch)
    text = editor.locator("#id_text")
    text.fill("Intro.\nAbout Network today.")  # the part is found wherever it now stands
    button = editor.get_by_role("button", name="Use their version of this part")
    button.click()
    expect(text).to_have_value("Intro.\nAbout the school network.")
    expect(editor.locator("#conflict-note-1")).to_contain_text("Their version of part 1 is now in the editor")
    editor.get_by_role("button", name="Use my version again").click()
    expect(text).to_have_value("Intro.\nAbout Network today.")


def test_use_their_version_changes_nothing_once_the_part_was_edited(editor, bob, watch):
    open_conflict(editor, bob, watch)
    text = editor.locator("#id_text")
    text.fill("About Network today and tomorrow.")
    editor.get_by_role("button", name="Use their version of this part").click()
    expect(editor.locator("#conflict-note-1")).to_contain_text("This part has changed in the editor")
    expect(text).to_have_value("About Network today and tomorrow.")


def test_a_long_conflicting_part_scrolls_and_can_be_reached_by_keyboard(editor, bob, watch):
    open_conflict(
        editor, bob, watch, mine="\n".join(["About Network today.", *[f"Line {n}" for n in range(80)]])
    )
    mine = editor.locator("[data-conflict-mine]")
    assert mine.evaluate("pre => pre.scrollHeight > pre.clientHeight")
    violations = axe_violations(editor)
    assert violations == [], describe_violations(violations)
