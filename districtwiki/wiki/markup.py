"""Markdown to safe HTML, once per revision.

CommonMark with tables, strikethrough, task lists, footnotes and heading anchors, plus our wiki rules:
`[[Title]]`, `[[Title|label]]`, `[[Title#Section]]`, `[[Category:Name]]` (files the page, shows nothing),
`[[:Category:Name]]` (a plain link to the category), `[[File:name.pdf]]` and `![alt](File:name.png)`,
and `#REDIRECT [[Target]]` on the first line.

Wiki links are stored as `<a data-wikilink="Title" ...>`: whether a link is red or blue is decided when the
page is shown (`resolve_links`), so it is right the moment the target is created or deleted, without
re-rendering anything.

comrak (a compiled CommonMark parser) parses; one pass over its HTML then spells the constructs it writes
differently as the wiki always has (bench/markup_candidates.py checks that the starter pages, the bench
corpus and the CommonMark spec examples come out as they did with markdown-it), and nh3 sanitises last.
"""

import contextlib
import functools
import html
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

import comrak
import nh3
from mdit_py_plugins.anchors.index import slugify

from .titles import InvalidTitle, namespace_of, normalize_title, title_path, url_form

REDIRECT_PATTERN = re.compile(r"\A\s*#REDIRECT\s*\[\[([^\]\n]+)\]\]", re.IGNORECASE)
TOC_MIN_HEADINGS = 3
EXTERNAL_REL = "nofollow ugc noopener"
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")

# Bounds on the parser's worst cases (docs/limits.md). A wiki link's inside may be this long at most.
WIKILINK_MAX_CHARS = 1_000
# html5ever (under nh3) costs the square of the depth of nested elements: elements deeper than this are
# left out before sanitising, their text kept (comrak itself nests without a bound).
MAX_NESTING = 32


@dataclass
class Rendered:
    html: str
    links: set[str] = field(default_factory=set)
    categories: list[str] = field(default_factory=list)
    redirect_to: str = ""
    # The text the search index keeps of `html`, when whoever rendered it has cut it already (a bulk
    # writer's worker process, wiki/bulk.py); None: the save cuts it.
    search_text: str | None = None
    # search.spellings.joined_words(search_text), made there too; None: the save makes it.
    search_joined: str | None = None


def page_url(title: str, section: str = "") -> str:
    if namespace_of(title) == "Category":
        return "/category/" + quote(url_form(title.partition(":")[2]), safe="/")
    url = "/wiki/" + title_path(title)
    return url + ("#" + slugify(section) if section else "")


def file_url(title: str) -> str:
    return "/file/" + quote(url_form(title.partition(":")[2]), safe="")


# --- Wiki links ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def parse_wikilink(inner: str) -> dict | None:
    """The link `[[inner]]` makes, or None when its target is no title. Cached (a page names the same titles
    again and again, a bulk load the same few hundred); callers never change the dict."""
    target, _, label = inner.partition("|")
    leading_colon = target.startswith(":")
    target, _, section = target.lstrip(":").partition("#")
    try:
        title = normalize_title(target)
    except InvalidTitle:
        return None
    kind = "page"
    namespace = namespace_of(title)
    if namespace == "Category" and not leading_colon:
        kind = "category"
    elif namespace == "File" and not leading_colon:
        kind = "file"
    return {"title": title, "section": section.strip(), "label": label.strip(), "kind": kind}


def wikilink_html(link: dict) -> str:
    title, section, label = link["title"], link["section"], link["label"]
    if link["kind"] == "category":
        return ""
    if link["kind"] == "file" and title.lower().endswith(IMAGE_EXTENSIONS):
        alt = html.escape(label or title.partition(":")[2])
        return f'<img src="{file_url(title)}" alt="{alt}" data-file="{html.escape(title)}" />'
    text = label or (f"{title} § {section}" if section else title)
    href = file_url(title) if link["kind"] == "file" else page_url(title, section)
    if namespace_of(title) == "Category":
        return f'<a href="{href}">{html.escape(text)}</a>'
    return f'<a data-wikilink="{html.escape(title)}" href="{href}">{html.escape(text)}</a>'


def unique_id(slug: str, taken: set[str], next_suffix: dict[str, int]) -> str:
    """`slug`, or `slug-1`, `slug-2`, … as GitHub numbers repeated headings; each name remembers its next
    suffix, so n headings of one name cost n steps, not n²."""
    candidate = slug
    while candidate in taken:
        suffix = next_suffix.get(slug, 1)
        next_suffix[slug] = suffix + 1
        candidate = f"{slug}-{suffix}"
    taken.add(candidate)
    return candidate


# --- The parser: comrak, then our spelling of what it renders differently --------------------------------


@functools.cache
def comrak_options() -> tuple:
    extensions = comrak.ExtensionOptions()
    extensions.table = extensions.strikethrough = extensions.tasklist = extensions.footnotes = True
    extensions.wikilinks_title_after_pipe = True  # [[Title|label]]
    options = comrak.RenderOptions()
    options.escape = True  # raw HTML is shown as text
    # comrak would empty a `File:` destination (it refuses the file: scheme); the sanitiser refuses every
    # scheme but http, https and mailto anyway.
    options.unsafe_ = True
    options.tasklist_classes = True
    return extensions, options


def split_front_matter(text: str) -> tuple[bool, str]:
    """The front matter rule the wiki has always rendered with (mdit-py-plugins'): a first line of three or
    more dashes, up to a line of at least as many dashes or of `...`; without that line, no front matter."""
    if not text.startswith("---"):
        return False, text
    lines = text.split("\n")
    markers = len(lines[0]) - len(lines[0].lstrip("-"))
    for number, line in enumerate(lines[1:], start=1):
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        dashes = len(stripped) - len(stripped.lstrip("-"))
        closes = (indent == 0 and stripped.startswith("...") and not stripped[3:].strip(" \t")) or (
            indent < 4 and dashes >= markers and not stripped[dashes:].strip(" \t")
        )
        if closes:
            return True, "\n".join(lines[number + 1 :])
    return False, text


# What comrak writes for each construct we spell differently (one pass finds them all).
COMRAK_WIKILINK = r'<a href="([^"]*)" data-wikilink="true">([^<]*)</a>'
COMRAK_HEADING = r"<(h[1-6])>(.*?)</h[1-6]>"
COMRAK_TABLE_CELL = r'<(t[hd]) align="(\w+)">'
COMRAK_TASK_ITEM = (
    r'<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox"( checked="")?'
    r' disabled="" /> (\n<p>)?'
)
COMRAK_EXTERNAL_LINK = r'<a href="((?:https?:)?//[^"]*)"'
COMRAK_IMAGE = r'<img src="([^"]*)" alt="([^"]*)"( title="[^"]*")? />'
COMRAK_PARTS = re.compile(
    "|".join(
        (
            COMRAK_WIKILINK,
            COMRAK_HEADING,
            COMRAK_TABLE_CELL,
            COMRAK_TASK_ITEM,
            COMRAK_EXTERNAL_LINK,
            COMRAK_IMAGE,
        )
    ),
    re.DOTALL,
)
TASK_LABEL = re.compile(
    r'(<label><input class="task-list-item-checkbox"[^>]*>)(.*?)(?=</p>|</li>|<ul|<ol)', re.DOTALL
)
ANY_TAG = re.compile(r"<[^>]*>")
COMRAK_FOOTNOTES = '<section class="footnotes" data-footnotes>\n<ol>'
OUR_FOOTNOTES = '<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">'
COMRAK_FOOTNOTE_PARTS = re.compile(r'<li id="(fn-[^"]*)">|data-footnote-ref>(\d+)</a>')


def footnote_part(match: re.Match) -> str:
    item, number = match.groups()
    return f'<li id="{item}" class="footnote-item">' if item else f">[{number}]</a>"


def spell_footnotes(body: str) -> str:
    """comrak's footnotes with the classes and separator markdown-it's footnote plugin gave them."""
    if COMRAK_FOOTNOTES not in body:
        return body
    return COMRAK_FOOTNOTE_PARTS.sub(footnote_part, body.replace(COMRAK_FOOTNOTES, OUR_FOOTNOTES))


class OurSpelling:
    """Replaces each of comrak's constructs with ours, noting the links, categories and headings met."""

    def __init__(self, rendered: Rendered):
        self.rendered = rendered
        self.headings: list[tuple[int, str, str]] = []
        self.taken: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def __call__(self, match: re.Match) -> str:
        link, label, heading, inside, cell, align, checked, loose, external, src, alt, title = match.groups()
        if link is not None:
            return self.wikilink(link, label)
        if heading:
            return self.heading(heading, inside)
        if cell:
            return f'<{cell} class="align-{align}">'  # CSP forbids the inline style
        if external:
            return f'<a href="{external}" rel="{EXTERNAL_REL}"'
        if src is not None:
            return self.image(src, alt, title or "")
        return task_item(bool(checked), bool(loose))

    def wikilink(self, href: str, label: str) -> str:
        spelled, link = spell_wikilink(href, label)
        if link is None:
            return spelled
        if link["kind"] == "category":
            name = link["title"].partition(":")[2]
            if name not in self.rendered.categories:
                self.rendered.categories.append(name)
        else:
            self.rendered.links.add(link["title"])
        return spelled

    def heading(self, tag: str, inside: str) -> str:
        inside = COMRAK_PARTS.sub(self, inside)
        text = html.unescape(ANY_TAG.sub("", inside))
        anchor = unique_id(slugify(text), self.taken, self.next_suffix)
        self.headings.append((int(tag[1]), anchor, text))
        return f'<{tag} id="{anchor}">{inside}</{tag}>'

    def image(self, src: str, alt: str, title: str) -> str:
        data_file = ""
        if src.startswith("File:"):
            with contextlib.suppress(InvalidTitle):
                name = normalize_title(unquote(html.unescape(src)))
                self.rendered.links.add(name)
                src, data_file = file_url(name), f' data-file="{html.escape(name)}"'
        return f'<img src="{src}" alt="{alt}"{title}{data_file} loading="lazy" />'


@functools.lru_cache(maxsize=4096)
def spell_wikilink(href: str, label: str) -> tuple[str, dict | None]:
    """Our HTML for the wiki link comrak wrote with `href` and `label`, and the link (None: not a title, shown
    as typed). Cached as parse_wikilink is: a page names the same titles again and again."""
    target, label = unquote(html.unescape(href)), html.unescape(label)
    inner = target if label == target else f"{target}|{label}"
    link = None
    if "\n" not in inner and len(inner) <= WIKILINK_MAX_CHARS:
        link = parse_wikilink(inner)
    if link is None:
        return "[[" + html.escape(inner, quote=False) + "]]", None
    return wikilink_html(link), link


def task_item(checked: bool, loose: bool) -> str:
    """The start of a task item: its text labels the checkbox (WCAG 1.3.1/4.1.2; axe rule "label")."""
    state = ' checked="checked"' if checked else ""
    checkbox = f'<input class="task-list-item-checkbox"{state} disabled="disabled" type="checkbox" />'
    return f'<li class="task-list-item">{"<p>" if loose else ""}<label>{checkbox} '


def close_task_label(match: re.Match) -> str:
    text = match.group(2)
    return match.group(1) + text.rstrip("\n") + "</label>" + ("\n" if text.endswith("\n") else "")


# --- Rendering ------------------------------------------------------------------------------------------


def table_of_contents(headings: list[tuple[int, str, str]]) -> str:
    if len(headings) < TOC_MIN_HEADINGS:
        return ""
    top = min(level for level, _, _ in headings)
    items = []
    for level, anchor, text in headings:
        depth = level - top
        items.append(
            f'<li class="toc-level-{depth}"><a href="#{html.escape(anchor)}">{html.escape(text)}</a></li>'
        )
    return (
        '<nav class="toc" aria-labelledby="toc-heading"><h2 id="toc-heading">Contents</h2>'
        f"<ol>{''.join(items)}</ol></nav>"
    )


# Texts rendered ahead, by another process, for saves about to run (rendered_ahead()); else None.
_ahead: ContextVar[dict[str, Rendered] | None] = ContextVar("rendered_ahead", default=None)


@contextlib.contextmanager
def rendered_ahead(renders: dict[str, Rendered]):
    """Inside the block, render(text) gives renders[text] when the text is there, once: a bulk writer has
    rendered what it is about to save in a worker process (rendering depends on the text alone). A text
    that is not there, such as one a merge changed, is rendered as usual."""
    token = _ahead.set(renders)
    try:
        yield
    finally:
        _ahead.reset(token)


def render_each(texts: list[str]) -> dict[str, Rendered]:
    """render() of every text, by text: what a worker process gives rendered_ahead()."""
    return {text: render(text) for text in texts}


def render(text: str) -> Rendered:
    """Render a revision's Markdown to sanitised HTML and the links and categories it declares."""
    ahead = _ahead.get()
    if ahead is not None and (done := ahead.pop(text, None)) is not None:
        return done
    redirect = REDIRECT_PATTERN.match(text)
    rendered = Rendered(html="")
    if redirect and (link := parse_wikilink(redirect.group(1))) and link["kind"] == "page":
        rendered.redirect_to = link["title"]
        text = "Redirect to [[" + redirect.group(1) + "]]" + text[redirect.end() :]
    has_front_matter, text = split_front_matter(text)
    extensions, options = comrak_options()
    spelling = OurSpelling(rendered)
    body = comrak.render_markdown(text, extension_options=extensions, render_options=options)
    body = spell_footnotes(TASK_LABEL.sub(close_task_label, COMRAK_PARTS.sub(spelling, body)))
    body = bound_nesting(("\n" if has_front_matter else "") + body)
    rendered.html = sanitize(table_of_contents(spelling.headings) + body)
    return rendered


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "input", "kbd", "label", "li", "nav", "ol", "p", "pre", "s",
    "section", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title", "rel", "data-wikilink"},
    "img": {"src", "alt", "title", "loading", "data-file"},
    "input": {"type", "checked", "disabled"},
    "nav": {"aria-labelledby"},
    "ol": {"start"},
}


# html5ever (under nh3) appends each character reference to its text node by copying it, so a text of n
# ampersands costs n² there. An empty comment every AMPERSANDS_PER_TEXT of them starts a new text node;
# the sanitiser drops the comment, so the output is unchanged.
AMPERSANDS_PER_TEXT = 256
TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
AMPERSAND_RUN = re.compile(rf"(?:&[^&]*){{{AMPERSANDS_PER_TEXT}}}")


def bound_nesting(fragment: str) -> str:
    """`fragment` with the tags of elements nested deeper than MAX_NESTING left out (their text stays).

    Every element here is closed, and void ones are written `<… />`, as comrak and this module write them.
    """
    parts = TAG_OR_TEXT.split(fragment)
    dropped: list[bool] = []  # for each open element: was its tag left out?
    depth, too_deep = 0, False
    for index in range(1, len(parts), 2):
        tag = parts[index]
        if tag.startswith("</"):
            if dropped and dropped.pop():
                parts[index] = ""
            else:
                depth -= 1
        elif not tag.endswith("/>"):
            dropped.append(depth >= MAX_NESTING)
            if dropped[-1]:
                parts[index], too_deep = "", True
            else:
                depth += 1
    return "".join(parts) if too_deep else fragment


def split_long_texts(fragment: str) -> str:
    """Text between tags (even parts: comrak escapes every `<` in text) with many `&` split up."""
    if fragment.count("&") <= AMPERSANDS_PER_TEXT:
        return fragment  # no text between tags can hold more
    parts = TAG_OR_TEXT.split(fragment)
    for index in range(0, len(parts), 2):
        if parts[index].count("&") > AMPERSANDS_PER_TEXT:
            parts[index] = AMPERSAND_RUN.sub(r"\g<0><!---->", parts[index])
    return "".join(parts)


def sanitize(fragment: str) -> str:
    """The last word on what HTML may reach a reader: an allowlist of tags, attributes and URL schemes."""
    return nh3.clean(
        split_long_texts(fragment),
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=None,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    )


# --- Red and blue links at view time --------------------------------------------------------------------

WIKILINK_TAG = re.compile(r'<a data-wikilink="([^"]*)" href="([^"]*)">')


def link_targets(fragment: str) -> set[str]:
    return {html.unescape(match.group(1)) for match in WIKILINK_TAG.finditer(fragment)}


def resolve_links(fragment: str, existing: set[str]) -> str:
    """Mark links to missing pages red and point them at the create form."""

    def mark(match: re.Match) -> str:
        title = html.unescape(match.group(1))
        if title in existing:
            return f'<a class="wikilink" href="{match.group(2)}">'
        if namespace_of(title) == "File":
            href = "/special/upload?name=" + quote(title.partition(":")[2])
        else:
            href = "/edit/" + title_path(title)
        tip = html.escape(f"{title} (page does not exist)")
        return f'<a class="wikilink new" href="{href}" title="{tip}">'

    return WIKILINK_TAG.sub(mark, fragment)
