"""Markdown to safe HTML, once per revision.

CommonMark with tables, strikethrough, task lists, footnotes and heading anchors, plus our wiki rules:
`[[Title]]`, `[[Title|label]]`, `[[Title#Section]]`, `[[Category:Name]]` (files the page, shows nothing),
`[[:Category:Name]]` (a plain link to the category), `[[File:name.pdf]]` and `![alt](File:name.png)`,
and `#REDIRECT [[Target]]` on the first line.

Wiki links are stored as `<a data-wikilink="Title" ...>`: whether a link is red or blue is decided when the
page is shown (`resolve_links`), so it is right the moment the target is created or deleted, without
re-rendering anything.
"""

import contextlib
import functools
import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from .titles import InvalidTitle, namespace_of, normalize_title, title_path, url_form

REDIRECT_PATTERN = re.compile(r"\A\s*#REDIRECT\s*\[\[([^\]\n]+)\]\]", re.IGNORECASE)
TOC_MIN_HEADINGS = 3
EXTERNAL_REL = "nofollow ugc noopener"
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")


@dataclass
class Rendered:
    html: str
    links: set[str] = field(default_factory=set)
    categories: list[str] = field(default_factory=list)
    redirect_to: str = ""


def page_url(title: str, section: str = "") -> str:
    if namespace_of(title) == "Category":
        return "/category/" + quote(url_form(title.partition(":")[2]), safe="/")
    url = "/wiki/" + title_path(title)
    return url + ("#" + slugify(section) if section else "")


def file_url(title: str) -> str:
    return "/file/" + quote(url_form(title.partition(":")[2]), safe="")


# --- The [[...]] inline rule -------------------------------------------------------------------------


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("[[", start):
        return False
    end = src.find("]]", start + 2)
    if end == -1 or "\n" in src[start:end]:
        return False
    inner = src[start + 2 : end]
    link = parse_wikilink(inner)
    if link is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = link
        token.content = inner
    state.pos = end + 2
    return True


def parse_wikilink(inner: str) -> dict | None:
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


def render_wikilink(self, tokens: list[Token], idx: int, options, env) -> str:
    link = tokens[idx].meta
    title, section, label = link["title"], link["section"], link["label"]
    if link["kind"] == "category":
        return ""
    if link["kind"] == "file" and title.lower().endswith(IMAGE_EXTENSIONS):
        alt = html.escape(label or title.partition(":")[2])
        return f'<img src="{file_url(title)}" alt="{alt}" data-file="{html.escape(title)}">'
    text = label or (f"{title} § {section}" if section else title)
    href = file_url(title) if link["kind"] == "file" else page_url(title, section)
    if namespace_of(title) == "Category":
        return f'<a href="{href}">{html.escape(text)}</a>'
    return f'<a data-wikilink="{html.escape(title)}" href="{href}">{html.escape(text)}</a>'


# --- Renderer overrides --------------------------------------------------------------------------------


def render_link_open(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if href.startswith(("http://", "https://", "//")):
        token.attrSet("rel", EXTERNAL_REL)
    return self.renderToken(tokens, idx, options, env)


def render_image(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if src.startswith("File:"):
        try:
            title = normalize_title(unquote(src))
        except InvalidTitle:
            title = ""
        if title:
            token.attrSet("src", file_url(title))
            token.attrSet("data-file", title)
    token.attrSet("alt", self.renderInlineAsText(token.children or [], options, env))
    token.attrSet("loading", "lazy")
    return self.renderToken(tokens, idx, options, env)


@functools.cache
def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # label=True: the item's text labels its checkbox (WCAG 1.3.1/4.1.2; axe rule "label").
    md.use(front_matter_plugin).use(footnote_plugin).use(tasklists_plugin, label=True).use(
        anchors_plugin, min_level=1, max_level=6
    )
    default_validate = md.validateLink
    # markdown-it refuses the file: scheme; our `File:` targets are page names, not URLs.
    md.validateLink = lambda url: url.startswith("File:") or default_validate(url)  # type: ignore[method-assign]
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.add_render_rule("wikilink", render_wikilink)
    md.add_render_rule("link_open", render_link_open)
    md.add_render_rule("image", render_image)
    return md


# --- Rendering ------------------------------------------------------------------------------------------


def collect(tokens: list[Token], rendered: Rendered) -> list[tuple[int, str, str]]:
    """Gather links and categories; turn table alignment styles into classes (CSP forbids inline style)."""
    headings = []
    for index, token in enumerate(tokens):
        if token.type in ("th_open", "td_open") and token.attrGet("style"):
            align = str(token.attrGet("style")).removeprefix("text-align:")
            token.attrs.pop("style", None)
            token.attrSet("class", f"align-{align}")
        if token.type == "heading_open":
            headings.append((int(token.tag[1]), str(token.attrGet("id") or ""), tokens[index + 1].content))
        for child in token.children or []:
            note_link(child, rendered)
    return headings


def note_link(token: Token, rendered: Rendered) -> None:
    if token.type == "wikilink":
        link = token.meta
        if link["kind"] == "category":
            if link["title"].partition(":")[2] not in rendered.categories:
                rendered.categories.append(link["title"].partition(":")[2])
        else:
            rendered.links.add(link["title"])
    elif token.type == "image" and str(token.attrGet("src") or "").startswith("File:"):
        with contextlib.suppress(InvalidTitle):
            rendered.links.add(normalize_title(unquote(str(token.attrGet("src")))))


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


def render(text: str) -> Rendered:
    """Render a revision's Markdown to sanitised HTML and the links and categories it declares."""
    redirect = REDIRECT_PATTERN.match(text)
    rendered = Rendered(html="")
    if redirect and (link := parse_wikilink(redirect.group(1))) and link["kind"] == "page":
        rendered.redirect_to = link["title"]
        text = "Redirect to [[" + redirect.group(1) + "]]" + text[redirect.end() :]
    md = markdown_parser()
    env: dict = {}
    tokens = md.parse(text, env)
    headings = collect(tokens, rendered)
    body = md.renderer.render(tokens, md.options, env)
    rendered.html = sanitize(table_of_contents(headings) + body)
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


def sanitize(fragment: str) -> str:
    """The last word on what HTML may reach a reader: an allowlist of tags, attributes and URL schemes."""
    return nh3.clean(
        fragment,
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
