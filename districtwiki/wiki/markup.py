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
from types import SimpleNamespace
from urllib.parse import quote, unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_ref
from mdit_py_plugins.front_matter import front_matter_plugin

from .titles import InvalidTitle, namespace_of, normalize_title, title_path, url_form

REDIRECT_PATTERN = re.compile(r"\A\s*#REDIRECT\s*\[\[([^\]\n]+)\]\]", re.IGNORECASE)
TOC_MIN_HEADINGS = 3
EXTERNAL_REL = "nofollow ugc noopener"
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")

# Bounds on the parser's worst cases (docs/limits.md). A wiki link's inside is looked for within this many
# characters of its `[[`, so the rule costs at most this much per `[[` whatever follows.
WIKILINK_MAX_CHARS = 1_000
# markdown-it finds the `]` closing a link's text by scanning forward from each `[`: a page of unclosed `[`
# would cost the square of its length. A link's text may span at most LINK_TEXT_MAX_STEPS inline tokens,
# and one page spends at most LINK_TEXT_STEPS_PER_PAGE such steps in all; past that, a `[` is plain text.
LINK_TEXT_MAX_STEPS = 1_000
LINK_TEXT_STEPS_PER_PAGE = 200_000
LINK_TEXT_BUDGET = "districtwiki_link_text_steps"
# A footnote reference `[^label]`: the plugin scans from every `[^` to the next space, so the label is
# matched here first, within a bounded length.
FOOTNOTE_REF = re.compile(r"\[\^[^\s\]]{1,100}\]")


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
    end = src.find("]]", start + 2, start + 2 + WIKILINK_MAX_CHARS)
    if end == -1 or src.find("\n", start, end) != -1:
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


# --- Bounded link text and unique heading ids -----------------------------------------------------------


def bounded_link_label(state: StateInline, start: int, disable_nested: bool = False) -> int:
    """markdown-it's parseLinkLabel (the end of the link text opened at `start`, or -1), with a step budget.

    The same scan as the library's, stopped after LINK_TEXT_MAX_STEPS tokens or when the page's budget is
    spent, so that unclosed brackets cost linear time.
    """
    budget = state.env.setdefault(LINK_TEXT_BUDGET, LINK_TEXT_STEPS_PER_PAGE)
    allowed = steps = min(budget, LINK_TEXT_MAX_STEPS)
    old_pos, state.pos, level, found = state.pos, start + 1, 1, False
    while state.pos < state.posMax and steps > 0:
        marker = state.src[state.pos]
        if marker == "]":
            level -= 1
            if level == 0:
                found = True
                break
        previous = state.pos
        state.md.inline.skipToken(state)
        steps -= 1
        if marker == "[" and previous == state.pos - 1:
            level += 1
        elif marker == "[" and disable_nested:
            break
    state.env[LINK_TEXT_BUDGET] = budget - (allowed - steps)
    label_end = state.pos if found else -1
    state.pos = old_pos
    return label_end


def bounded_footnote_ref(state: StateInline, silent: bool) -> bool:
    if not FOOTNOTE_REF.match(state.src, state.pos, state.posMax):
        return False
    return footnote_ref(state, silent)


TASK_ITEM = re.compile(r"\[([ xX])\][ \t\n\v\f\r]+")


def task_lists(state: StateCore) -> None:
    """GitHub task lists: a list item starting `[ ]` or `[x]` gets a disabled checkbox, its text as the
    label (WCAG 1.3.1/4.1.2), as mdit-py-plugins' tasklists plugin with label=True renders them; but each
    item's list is known from a stack, where the plugin scans back for it (the square of the items)."""
    tokens, open_lists = state.tokens, []
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            open_lists.append(index)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            open_lists.pop()
        elif (
            token.type == "inline"
            and index >= 2
            and tokens[index - 1].type == "paragraph_open"
            and tokens[index - 2].type == "list_item_open"
            and (marker := TASK_ITEM.match(token.content))
        ):
            make_task_item(token, checked=marker.group(1) != " ")
            tokens[index - 2].attrSet("class", "task-list-item")
            tokens[open_lists[-1]].attrSet("class", "contains-task-list")


def make_task_item(token: Token, checked: bool) -> None:
    children = token.children or []
    children[0].content = children[0].content[3:]
    token.content = token.content[3:]
    state = ' checked="checked"' if checked else ""
    checkbox = f'<input class="task-list-item-checkbox"{state} disabled="disabled" type="checkbox">'
    token.children = [
        Token("html_inline", "", 0, content="<label>"),
        Token("html_inline", "", 0, content=checkbox),
        *children,
        Token("html_inline", "", 0, content="</label>"),
    ]


def heading_ids(state: StateCore) -> None:
    """Give every heading an id from its text, made unique with -1, -2, … as GitHub does.

    mdit-py-plugins' anchors plugin makes the same ids but tries every suffix from 1 for each repeat, which
    costs the square of the number of same-named headings; here each name remembers its next suffix.
    """
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        children = state.tokens[index + 1].children or []
        slug = slugify("".join(child.content for child in children if child.type in ("text", "code_inline")))
        token.attrSet("id", unique_id(slug, taken, next_suffix))


def unique_id(slug: str, taken: set[str], next_suffix: dict[str, int]) -> str:
    candidate = slug
    while candidate in taken:
        suffix = next_suffix.get(slug, 1)
        next_suffix[slug] = suffix + 1
        candidate = f"{slug}-{suffix}"
    taken.add(candidate)
    return candidate


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
    # Inline footnotes (`^[…]`) are left out: their rule scans for the closing bracket without a bound.
    md.use(front_matter_plugin).use(footnote_plugin, inline=False)
    md.core.ruler.after("inline", "task_lists", task_lists)
    md.inline.ruler.at("footnote_ref", bounded_footnote_ref)
    md.core.ruler.push("heading_ids", heading_ids)
    # This parser's own helpers (the library's module stays as it is): link text found within a budget.
    md.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkLabel=bounded_link_label,
        parseLinkDestination=parseLinkDestination,
        parseLinkTitle=parseLinkTitle,
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


# html5ever (under nh3) appends each character reference to its text node by copying it, so a text of n
# ampersands costs n² there. An empty comment every AMPERSANDS_PER_TEXT of them starts a new text node;
# the sanitiser drops the comment, so the output is unchanged.
AMPERSANDS_PER_TEXT = 256
TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
AMPERSAND_RUN = re.compile(rf"(?:&[^&]*){{{AMPERSANDS_PER_TEXT}}}")


def split_long_texts(fragment: str) -> str:
    """Text between tags (even parts: markdown-it escapes every `<` in text) with many `&` split up."""
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
