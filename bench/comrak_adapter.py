"""An evaluation of comrak behind `markup.render`, for bench.markup_candidates: not part of the wiki.

comrak renders the Markdown (tables, strikethrough, task lists, footnotes, `[[Title|label]]` wiki links,
raw HTML escaped); one regular-expression pass over its HTML then makes ours: wiki links resolved and
collected as `markup.render` does (category links vanish, `File:` images become <img>), heading ids made
by our slug and numbering, the table of contents, table alignment as classes, task items labelled,
external links marked, `File:` images pointed at the file. Front matter is cut off first with
markdown-it's rule, and the same sanitiser runs last.

Known gaps before it could replace markdown-it (measured by bench.markup_candidates, see its report):
raw HTML is escaped as comrak's HTML blocks (shown verbatim, no Markdown inside) where markdown-it treats
it as text; no nesting bound (html5ever under nh3 is quadratic in depth: 20,000 `>` cost 1.2 s);
`[[A|b|c]]` is text; the link-text and footnote bounds of docs/limits.md are comrak's, not ours.
"""

import functools
import html
import importlib
import re
from urllib.parse import unquote

from districtwiki.wiki import markup
from districtwiki.wiki.titles import InvalidTitle, normalize_title

WIKILINK = r'<a href="([^"]*)" data-wikilink="true">([^<]*)</a>'
HEADING = r"<(h[1-6])>(.*?)</h[1-6]>"
TABLE_CELL = r'<(t[hd]) align="(\w+)">'
TASK_ITEM = (
    r'<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox"( checked="")?'
    r' disabled="" /> (\n<p>)?'
)
EXTERNAL_LINK = r'<a href="((?:https?:)?//[^"]*)"'
IMAGE = r'<img src="([^"]*)" alt="([^"]*)"( title="[^"]*")? />'
OUR_PARTS = re.compile("|".join((WIKILINK, HEADING, TABLE_CELL, TASK_ITEM, EXTERNAL_LINK, IMAGE)), re.S)
TASK_LABEL = re.compile(
    r'(<label><input class="task-list-item-checkbox"[^>]*>)(.*?)(?=</p>|</li>|<ul|<ol)', re.S
)
TAG = re.compile(r"<[^>]*>")


@functools.cache
def comrak_options():
    comrak = importlib.import_module("comrak")
    extensions = comrak.ExtensionOptions()
    extensions.table = extensions.strikethrough = extensions.tasklist = extensions.footnotes = True
    extensions.wikilinks_title_after_pipe = True  # [[Title|label]]
    options = comrak.RenderOptions()
    options.escape = True  # raw HTML shown as text
    options.unsafe_ = True  # keeps `File:` targets; the sanitiser still refuses unsafe schemes
    options.tasklist_classes = True
    return comrak.render_markdown, extensions, options


def split_front_matter(text: str) -> tuple[bool, str]:
    """mdit-py-plugins' front matter rule: a first line of three or more dashes (whatever follows them), up
    to a line of at least as many dashes or of `...`; without that closing line there is no front matter."""
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


class OurParts:
    """The replacement for each of comrak's constructs that our HTML spells differently."""

    def __init__(self, rendered: markup.Rendered):
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
            return f'<{cell} class="align-{align}">'
        if external:
            return f'<a href="{external}" rel="{markup.EXTERNAL_REL}"'
        if src is not None:
            return self.image(src, alt, title or "")
        state = ' checked="checked"' if checked else ""
        box = f'<input class="task-list-item-checkbox"{state} disabled="disabled" type="checkbox">'
        return f'<li class="task-list-item">{"<p>" if loose else ""}<label>{box} '

    def wikilink(self, href: str, label: str) -> str:
        target, label = unquote(html.unescape(href)), html.unescape(label)
        inner = target if label == target else f"{target}|{label}"
        link = None
        if "\n" not in inner and len(inner) <= markup.WIKILINK_MAX_CHARS:
            link = markup.parse_wikilink(inner)
        if link is None:
            return "[[" + html.escape(inner, quote=False) + "]]"
        if link["kind"] == "category":
            name = link["title"].partition(":")[2]
            if name not in self.rendered.categories:
                self.rendered.categories.append(name)
        else:
            self.rendered.links.add(link["title"])
        token = markup.Token("wikilink", "", 0, meta=link)
        return markup.render_wikilink(None, [token], 0, None, None)

    def heading(self, tag: str, inside: str) -> str:
        inside = OUR_PARTS.sub(self, inside)
        text = html.unescape(TAG.sub("", inside))
        anchor = markup.unique_id(markup.slugify(text), self.taken, self.next_suffix)
        self.headings.append((int(tag[1]), anchor, text))
        return f'<{tag} id="{anchor}">{inside}</{tag}>'

    def image(self, src: str, alt: str, title: str) -> str:
        data_file = ""
        if src.startswith("File:"):
            try:
                name = normalize_title(unquote(html.unescape(src)))
            except InvalidTitle:
                name = ""
            if name:
                self.rendered.links.add(name)
                src, data_file = markup.file_url(name), f' data-file="{html.escape(name)}"'
        return f'<img src="{src}" alt="{alt}"{title}{data_file} loading="lazy">'


def close_task_label(match: re.Match) -> str:
    text = match.group(2)
    return match.group(1) + text.rstrip("\n") + "</label>" + ("\n" if text.endswith("\n") else "")


def render(text: str) -> markup.Rendered:
    """As `markup.render`, with comrak as the parser."""
    redirect = markup.REDIRECT_PATTERN.match(text)
    rendered = markup.Rendered(html="")
    if redirect and (link := markup.parse_wikilink(redirect.group(1))) and link["kind"] == "page":
        rendered.redirect_to = link["title"]
        text = "Redirect to [[" + redirect.group(1) + "]]" + text[redirect.end() :]
    has_front_matter, text = split_front_matter(text)
    render_markdown, extensions, options = comrak_options()
    parts = OurParts(rendered)
    body = OUR_PARTS.sub(parts, render_markdown(text, extension_options=extensions, render_options=options))
    body = ("\n" if has_front_matter else "") + TASK_LABEL.sub(close_task_label, body)
    rendered.html = markup.sanitize(markup.table_of_contents(parts.headings) + body)
    return rendered
