"""The edit form's "About this page" fields: the front matter split off the text on the way in and
composed back on the way out, byte for byte where nothing changed."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from districtwiki.content import loader
from districtwiki.wiki import frontmatter
from districtwiki.wiki.models import Page, Revision
from districtwiki.wiki.titles import url_form

BLOCK = """---
audience: [director, superintendent, coordinator]
district_size: [any]
reviewed: 2026-11-28
review_every: 6
time_sensitive: false
sources:
  - title: "A report"
    publisher: "A publisher"
    date: "2024"
---
"""
BODY = "# Heading\n\nLine one.\n\nLine two."


class FormReader(HTMLParser):
    """What a browser sends for #editor-form: its fields, a textarea without the newline that follows its
    start tag, and line breaks sent as CRLF."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.textarea: str | None = None
        self.textarea_value = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == "editor-form":
            self.in_form = True
        if not self.in_form or "name" not in attributes:
            return
        if tag == "textarea":
            self.textarea, self.textarea_value = attributes["name"], ""
        elif tag == "input" and attributes.get("type") not in ("checkbox", "submit"):
            self.fields.append((attributes["name"], attributes.get("value") or ""))
        elif tag == "input" and "checked" in attributes:
            self.fields.append((attributes["name"], attributes.get("value", "on")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea_value += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            value = self.textarea_value.removeprefix("\n")
            self.fields.append((self.textarea, value.replace("\n", "\r\n")))
            self.textarea = None
        if tag == "form":
            self.in_form = False


def form_fields(response) -> dict[str, list[str]]:
    reader = FormReader()
    reader.feed(response.content.decode())
    fields: dict[str, list[str]] = {}
    for name, value in reader.fields:
        fields.setdefault(name, []).append(value.replace("\n", "\r\n") if name == "about-layout" else value)
    return fields


def submit(client, title: str, fields: dict, button: str = "save"):
    return client.post(f"/edit/{url_form(title)}", {**fields, button: "1"})


def edit_fields(client, title: str) -> dict[str, list[str]]:
    response = client.get(f"/edit/{url_form(title)}")
    assert response.status_code == 200
    return form_fields(response)


# --- Round trips --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_starter_page_round_trips_byte_for_byte(alice_client):
    loader.load()
    titles = [shipped.title for shipped in loader.shipped_pages()]
    revisions = Revision.objects.count()
    for title in titles:
        fields = edit_fields(alice_client, title)
        assert fields["about-editing"] == ["1"], f"{title}: its front matter is not in the fields"
        assert not fields["text"][0].startswith("---"), f"{title}: the front matter is still in the text"
        response = submit(alice_client, title, fields)
        assert response.status_code == 302, f"{title}: {response.status_code}"
    assert Revision.objects.count() == revisions  # every save was "nothing changed"
    latest = Page.objects.get(title=titles[0]).latest.text
    assert latest == dict((s.title, s.text) for s in loader.shipped_pages())[titles[0]]


def test_unchanged_fields_show_no_changes(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    response = submit(alice_client, "Props", edit_fields(alice_client, "Props"), "show_changes")
    assert b"diff-insert" not in response.content
    assert b"diff-delete" not in response.content


def test_a_changed_field_rewrites_only_its_line(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    fields = edit_fields(alice_client, "Props")
    fields["about-review_every"] = ["12"]
    assert submit(alice_client, "Props", fields).status_code == 302
    assert Page.objects.get().latest.text == (BLOCK + BODY).replace("review_every: 6", "review_every: 12")


def test_an_added_audience_goes_after_the_page_own_order(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    fields = edit_fields(alice_client, "Props")
    fields["about-audience"].append("technician")
    submit(alice_client, "Props", fields)
    assert "audience: [director, superintendent, coordinator, technician]\n" in Page.objects.get().latest.text


def test_clearing_every_field_removes_the_block(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    fields = {
        k: v
        for k, v in edit_fields(alice_client, "Props").items()
        if not k.startswith("about-") or k in ("about-editing", "about-layout")
    }
    fields = {k: v for k, v in fields.items() if not re.fullmatch(r"sources-\d+-\w+", k)}
    submit(alice_client, "Props", fields)
    assert Page.objects.get().latest.text == BODY


def test_page_without_front_matter_gets_none_from_empty_fields(alice_client, make_page):
    make_page("Plain", "Just text.")
    fields = edit_fields(alice_client, "Plain")
    assert fields["text"] == ["Just text."]
    fields["text"] = ["Just more text."]
    submit(alice_client, "Plain", fields)
    assert Page.objects.get().latest.text == "Just more text."


def test_filled_fields_add_a_block_as_starter_pages_write_it(alice_client, make_page):
    make_page("Plain", "Just text.")
    fields = edit_fields(alice_client, "Plain")
    fields |= {
        "about-audience": ["coordinator", "technician"],
        "about-reviewed": ["2026-02-03"],
        "about-time_sensitive": ["on"],
        "sources-0-title": ['The "Act"'],
        "sources-0-url": ["https://example.org/act"],
    }
    submit(alice_client, "Plain", fields)
    assert Page.objects.get().latest.text == (
        "---\naudience: [technician, coordinator]\nreviewed: 2026-02-03\ntime_sensitive: true\n"
        'sources:\n  - title: "The \\"Act\\""\n    url: "https://example.org/act"\n---\nJust text.'
    )
    assert Page.objects.get().properties.sources == [{"title": 'The "Act"', "url": "https://example.org/act"}]


def test_new_page_from_the_form(alice_client, db):
    fields = edit_fields(alice_client, "Brand new")
    fields |= {"text": ["Hello."], "about-district_size": ["any"]}
    assert submit(alice_client, "Brand new", fields).status_code == 302
    assert Page.objects.get().latest.text == "---\ndistrict_size: [any]\n---\nHello."


def test_unknown_key_keeps_the_block_in_the_text(alice_client, make_page):
    """A key the fields do not know (saved before the check, or by a newer version): the block stays in
    the text, as written, and survives a save unchanged."""
    text = "---\naudience: [director]\nlegacy_note: kept as written\n---\nBody."
    page = make_page("Old", "Body.").page
    Revision.objects.filter(pk=page.latest_id).update(text=text)
    fields = edit_fields(alice_client, "Old")
    assert "about-editing" not in fields
    assert fields["text"] == [text.replace("\n", "\r\n")]
    response = alice_client.get("/edit/Old")
    assert b"legacy_note" in response.content and b"does not know" in response.content


def test_source_written_as_a_bare_title_round_trips(alice_client, make_page):
    text = "---\nsources:\n  - plain title\n---\nBody."
    make_page("Odd", text)
    fields = edit_fields(alice_client, "Odd")
    assert fields["about-editing"] == ["1"]
    submit(alice_client, "Odd", fields)
    assert Revision.objects.filter(page__title="Odd").count() == 1  # nothing changed


def test_invalid_block_in_an_old_revision_stays_in_the_text(alice_client, make_page):
    page = make_page("Old", "Body.").page
    Revision.objects.filter(pk=page.latest_id).update(text="---\naudience: [unclosed\n---\nBody.")
    fields = edit_fields(alice_client, "Old")
    assert "about-editing" not in fields
    assert fields["text"][0].startswith("---\r\naudience: [unclosed")


# --- Errors beside their field ---------------------------------------------------------------------------


def field_block(content: str, name: str) -> str:
    """The HTML of the field wrapper that holds input `name`."""
    at = content.index(f'name="{name}"')
    start = content.rindex('<div class="field', 0, at)
    return content[start : content.index("</div>", at)]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "about-review_every",
            "0",
            "Front matter field `review_every` must be a number of months from 1 to 120.",
        ),
        ("about-review_every", "soon", "Front matter field `review_every` must be a number of months"),
        (
            "about-reviewed",
            "28/11/2026",
            "Front matter field `reviewed` must be a date written like 2026-11-28.",
        ),
        (
            "sources-1-url",
            "ftp://example.org",
            "Front matter field `sources` item 2 has a `url` that is not http(s).",
        ),
        ("sources-1-publisher", "Only a publisher", "Front matter field `sources` item 2 needs a `title`."),
    ],
)
def test_bad_field_is_400_with_message_beside_it_and_nothing_saved(
    alice_client, make_page, name, value, message
):
    make_page("Props", BLOCK + BODY)
    fields = edit_fields(alice_client, "Props")
    fields[name] = [value]
    response = submit(alice_client, "Props", fields)
    assert response.status_code == 400
    content = unescape(response.content.decode())
    error_at = name.replace("publisher", "title")
    assert message in field_block(content, error_at)
    assert '<details class="about-page" id="about-page" open>' in content
    assert Revision.objects.count() == 1


def test_audience_outside_the_allowed_values_is_refused(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    fields = edit_fields(alice_client, "Props") | {"about-audience": ["wizard"]}
    response = submit(alice_client, "Props", fields)
    assert response.status_code == 400
    assert "Front matter field `audience` has “wizard”" in unescape(response.content.decode())
    assert Revision.objects.count() == 1


def test_front_matter_typed_into_the_text_beside_filled_fields_is_refused(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    fields = edit_fields(alice_client, "Props")
    fields["text"] = ["---\naudience: [technician]\n---\n" + BODY]
    response = submit(alice_client, "Props", fields)
    assert response.status_code == 400
    assert "put the page's details in “About this page”" in unescape(response.content.decode())
    assert Revision.objects.count() == 1


# --- Preview once, changes, conflicts ---------------------------------------------------------------------


def test_preview_without_javascript_is_shown_once_in_the_preview_pane(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    fields = edit_fields(alice_client, "Props") | {"text": ["**bold once**"]}
    content = submit(alice_client, "Props", fields, "preview").content.decode()
    assert content.count("<strong>bold once</strong>") == 1
    assert content.count('class="editor-pane preview live-preview"') == 1
    pane = content[
        content.index('id="live-preview"') - 80 : content.index(
            "</section>", content.index('id="live-preview"')
        )
    ]
    assert "hidden" not in pane[: pane.index(">", 80)]  # shown, where the live preview goes
    assert "data-rendered" in pane  # and the script does not fetch it a second time
    assert Revision.objects.count() == 1


def test_edit_form_has_one_preview_pane_hidden_until_used(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    content = alice_client.get("/edit/Props").content.decode()
    assert content.count('id="live-preview"') == 1
    assert re.search(r'id="live-preview"[^>]* hidden>', content)


def test_show_changes_endpoint_composes_the_fields(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    fields = edit_fields(alice_client, "Props")
    fields |= {"text": [BODY.replace("Line two.", "Line 2.")], "mode": ["changes"], "title": ["Props"]}
    content = alice_client.post("/special/preview", fields).content.decode()
    assert "<ins>2</ins>" in content
    assert "audience" not in content.split("diff-delete", 1)[-1]  # the front matter is not shown as removed
    assert content.count("diff-delete") == 1


def test_show_changes_endpoint_reports_a_bad_field(alice_client, make_page):
    make_page("Props", BLOCK + BODY)
    fields = edit_fields(alice_client, "Props") | {"about-review_every": ["999"], "mode": ["changes"]}
    response = alice_client.post("/special/preview", fields)
    assert response.status_code == 400
    assert "`review_every`" in response.json()["detail"]


def test_field_edit_merges_with_a_body_edit_made_meanwhile(alice_client, make_page, bob):
    base = make_page("Props", BLOCK + BODY).revision
    fields = edit_fields(alice_client, "Props")
    make_page("Props", BLOCK + BODY.replace("Line one.", "Line 1."), author=bob, base_revision=base.pk)
    fields["about-reviewed"] = ["2027-01-15"]
    assert submit(alice_client, "Props", fields).status_code == 302
    assert Page.objects.get().latest.text == (BLOCK + BODY).replace("Line one.", "Line 1.").replace(
        "2026-11-28", "2027-01-15"
    )


def test_conflicting_field_edit_is_409_with_fields_kept(alice_client, make_page, bob):
    base = make_page("Props", BLOCK + BODY).revision
    fields = edit_fields(alice_client, "Props")
    theirs = make_page(
        "Props", (BLOCK + BODY).replace("2026-11-28", "2026-12-01"), author=bob, base_revision=base.pk
    )
    fields["about-reviewed"] = ["2027-01-15"]
    response = submit(alice_client, "Props", fields)
    assert response.status_code == 409
    again = form_fields(response)
    assert again["about-reviewed"] == ["2027-01-15"]
    assert again["base_revision"] == [str(theirs.revision.pk)]
    assert Revision.objects.count() == 2
    assert submit(alice_client, "Props", again).status_code == 302
    assert "reviewed: 2027-01-15\n" in Page.objects.get().latest.text


# --- Writing values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ['say "hi"', "back\\slash", "tab\there", "a\u2028b", "del\x7f", "é § ’ 😀", "# not a comment"]
)
def test_quoted_source_values_read_back_the_same(value):
    block = frontmatter.compose({"sources": [{"title": value}]}, None)
    assert frontmatter.parse(block + "x").sources == [{"title": value.strip()}]
