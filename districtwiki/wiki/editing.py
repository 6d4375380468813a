"""The edit form: a revision's text split into the "About this page" fields and the Markdown body, and
composed back into exactly the text history, the API and merges see.

The stored text stays Markdown with its YAML front matter (frontmatter.py). On the way in, the block is
read into fields when they can stand for it faithfully; on the way out, frontmatter.compose writes
unchanged fields byte for byte, so saving without changes gives back the same text. A block the fields
cannot hold (not YAML, an unknown key, an invalid value) stays at the top of the text, as written, and
the form works as it always did.

A POST without the `about-editing` marker (an old form, a script) carries the whole text in `text`.
"""

import datetime
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.formats import date_format

from . import frontmatter
from .forms import AUDIENCE_LABELS, DISTRICT_SIZE_LABELS, AboutPageForm, EditForm, SourceFormSet

ABOUT_PREFIX = "about"
SOURCES_PREFIX = "sources"
BLANK_SOURCE_ROWS = 2  # rows to fill in without JavaScript; with it, "Add a source" adds more
FIELD_NAMED = "Front matter field `"


@dataclass
class Editor:
    """The forms of the edit page. `about` and `sources` are None when the front matter stays in the
    text; `note` then says why."""

    edit: EditForm
    about: AboutPageForm | None = None
    sources: SourceFormSet | None = None
    layout: frontmatter.Layout | None = None
    note: str = ""
    composed: str = field(default="", init=False)

    @property
    def forms(self) -> list:
        return [form for form in (self.edit, self.about, self.sources) if form is not None]

    def is_valid(self) -> bool:
        if not all([form.is_valid() for form in self.forms]):
            return False
        if self.about is None:
            self.composed = self.edit.cleaned_data["text"]
            return True
        block = self._block()
        if block is None:
            return False
        body = self.edit.cleaned_data["text"]
        if block and frontmatter.BLOCK.match(body):
            self.edit.add_error(
                "text",
                "The text starts with a front matter block (between --- lines); "
                "put the page's details in “About this page” instead.",
            )
            return False
        self.composed = block + body
        return True

    @property
    def text(self) -> str:
        """The whole text to save; only after is_valid() returned True."""
        return self.composed

    def _block(self) -> str | None:
        values = about_values(self.about.cleaned_data, self.layout)
        sources = self._sources()
        if sources is None:
            return None
        if sources:
            values["sources"] = sources
        block = frontmatter.compose(values, self.layout)
        try:
            frontmatter.parse(block)
        except frontmatter.InvalidFrontMatter as error:
            self._report(str(error))
            return None
        return block

    def _sources(self) -> list[dict] | None:
        """The filled-in rows, in order; None when a row is wrong (its error is on its field)."""
        sources, valid = [], True
        for form in self.sources:
            source = form.source()
            if not source:
                continue
            sources.append(source)
            number = len(sources)
            if "title" not in source:
                form.add_error("title", f"{FIELD_NAMED}sources` item {number} needs a `title`.")
                valid = False
            if source.get("url") and not source["url"].startswith(("https://", "http://")):
                form.add_error("url", f"{FIELD_NAMED}sources` item {number} has a `url` that is not http(s).")
                valid = False
        if len(sources) > frontmatter.MAX_SOURCES:
            limit = frontmatter.MAX_SOURCES
            message = f"{FIELD_NAMED}sources` has {len(sources)} items; it may have at most {limit}."
            self.about.add_error(None, message)
            valid = False
        return sources if valid else None

    def _report(self, message: str) -> None:
        """frontmatter.parse's message, beside the field it names when the form has that field."""
        name = message[len(FIELD_NAMED) :].split("`", 1)[0] if message.startswith(FIELD_NAMED) else ""
        self.about.add_error(name if name in self.about.fields else None, message)

    @property
    def about_has_errors(self) -> bool:
        return bool(
            (self.about is not None and self.about.errors)
            or (self.sources is not None and (any(self.sources.errors) or self.sources.non_form_errors()))
        )

    def first_error(self) -> str:
        for form in self.forms:
            for errors in form.errors if isinstance(form.errors, list) else [form.errors]:
                for messages in errors.values():
                    return str(messages[0])
            if isinstance(form, SourceFormSet) and form.non_form_errors():
                return str(form.non_form_errors()[0])
        return "some fields are not filled in as they should be."

    def rebased(self, base_revision: int) -> "Editor":
        """The same submitted forms on another base revision (after an edit conflict)."""
        data = self.edit.data.copy()
        data["base_revision"] = str(base_revision)
        return editor_from_post(data)


def about_values(cleaned: dict, layout: frontmatter.Layout | None) -> dict:
    """The known fields to write. A list keeps the order the page gave its values in, new values after
    them in the allowed order; `time_sensitive: false` is written only where the page said so already,
    and not on its own."""
    before = layout.values if layout else {}
    values: dict = {}
    for name, allowed in (("audience", frontmatter.AUDIENCES), ("district_size", frontmatter.DISTRICT_SIZES)):
        if chosen := cleaned[name]:
            kept = [value for value in before.get(name, []) if value in chosen]
            values[name] = kept + [value for value in allowed if value in chosen and value not in kept]
    for name in ("reviewed", "review_every"):
        if cleaned[name] is not None:
            values[name] = cleaned[name]
    if cleaned["time_sensitive"] or "time_sensitive" in before:
        values["time_sensitive"] = cleaned["time_sensitive"]
    return {} if values == {"time_sensitive": False} else values  # false alone says nothing


# --- Building the forms -------------------------------------------------------------------------------


def editor_for_text(text: str, base_revision: int | None) -> Editor:
    """The forms for editing `text` (GET): its front matter as fields when they can hold it."""
    match = frontmatter.BLOCK.match(text)
    layout = frontmatter.layout_of(text[: match.end()]) if match else None
    if match and (layout is None or layout.unknown):
        edit = EditForm(initial={"text": text, "base_revision": base_revision})
        return Editor(edit, note=raw_note(layout))
    body = text[match.end() :] if match else text
    edit = EditForm(initial={"text": body, "base_revision": base_revision})
    block = text[: match.end()] if match else ""
    values = layout.values if layout else {}
    about = AboutPageForm(prefix=ABOUT_PREFIX, initial={"layout": block, "editing": "1", **values})
    rows = values.get("sources", []) + [{}] * BLANK_SOURCE_ROWS
    sources = SourceFormSet(prefix=SOURCES_PREFIX, initial=rows)
    return Editor(edit, about, sources, layout)


def editor_from_post(data: QueryDict) -> Editor:
    edit = EditForm(data)
    if data.get(f"{ABOUT_PREFIX}-editing") != "1":
        return Editor(edit, note=raw_note(None))
    block = data.get(f"{ABOUT_PREFIX}-layout", "").replace("\r\n", "\n")
    layout = frontmatter.layout_of(block) if block else None
    about = AboutPageForm(data, prefix=ABOUT_PREFIX)
    sources = SourceFormSet(data, prefix=SOURCES_PREFIX)
    return Editor(edit, about, sources, layout)


def raw_note(layout: frontmatter.Layout | None) -> str:
    if layout is not None and layout.unknown:
        return (
            f"This page's details include `{layout.unknown[0]}`, which the form below does not know, so they "
            "stay at the top of the text, between the --- lines. Edit them there."
        )
    return (
        "This page's details are written at the top of the text, between the --- lines, in a way the "
        "fields cannot show. Edit them there."
    )


# --- The closed panel's one-line summary ----------------------------------------------------------------


def digest(editor: Editor) -> str:
    """ "Coordinators, directors · any size · reviewed 28 Nov 2026 · 3 sources", or "" when nothing is set."""
    values = current_values(editor)
    parts = []
    if values.get("audience"):
        names = [AUDIENCE_LABELS.get(v, v) for v in values["audience"]]
        parts.append(", ".join([names[0], *(name.lower() for name in names[1:])]))
    if values.get("district_size"):
        parts.append(", ".join(DISTRICT_SIZE_LABELS.get(v, v).lower() for v in values["district_size"]))
    if isinstance(values.get("reviewed"), datetime.date):
        parts.append("reviewed " + date_format(values["reviewed"], "j M Y"))
    if values.get("time_sensitive"):
        parts.append("time-sensitive")
    if count := len(values.get("sources") or []):
        parts.append(f"{count} source{'s' if count != 1 else ''}")
    return " · ".join(parts)


def current_values(editor: Editor) -> dict:
    """What the fields say now: the submitted values after a POST, the page's before."""
    if editor.about is None:
        return {}
    if not editor.about.is_bound:
        return editor.layout.values if editor.layout else {}
    cleaned = getattr(editor.about, "cleaned_data", {})
    values = dict(cleaned)
    if editor.sources is not None and editor.sources.is_bound:
        values["sources"] = [form.source() for form in editor.sources if getattr(form, "cleaned_data", None)]
        values["sources"] = [source for source in values["sources"] if source]
    return values
