"""A page's stored HTML with its links pointed at the files of an offline copy.

The HTML was written by markup.render and cleaned by nh3, so every attribute is double-quoted and a tag
is one `<a …>` or `<img …>` of `name="value"` pairs: a regular expression over the tags is exact here,
and linear (a value ends at its quote, a tag at the first character that cannot continue it). Links to
pages in the copy become relative paths (`../Policies/Phones.html`), links to pages that are not in it
turn red and lead nowhere, and nothing is left that the browser would fetch from a server: an image
from another site becomes a link to it.
"""

import functools
import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

from districtwiki.wiki.titles import normalize_title

from ..markdown_names import relative_href

# Attribute by attribute, so that a `>` inside a quoted value (html5ever does not escape it) stays in it.
TAG = re.compile(r'<(a|img)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*/?>')
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')


@dataclass
class Paths:
    """Where each title of the copy is, relative to its root; and the file the link is written from."""

    pages: dict[str, str]  # title → "Policies/Phones.html" (categories: "Category:X" → "_categories/X.html")
    files: dict[str, str]  # "File:Logo.png" → "_files/Logo.png" (the bytes)
    here: str = ""

    def href(self, path: str, fragment: str = "") -> str:
        return relative_href(self.here, path) + (f"#{fragment}" if fragment else "")


def rewrite(fragment: str, paths: Paths) -> str:
    return TAG.sub(lambda match: _tag(match, paths), fragment)


def attributes_of(match: re.Match) -> dict[str, str]:
    """A TAG match's attributes, their values unescaped."""
    return {name: html.unescape(value) for name, value in ATTRIBUTE.findall(match.group(2) or "")}


def _tag(match: re.Match, paths: Paths) -> str:
    attributes = attributes_of(match)
    if match.group(1) == "img":
        return _image(attributes, paths)
    return _anchor(attributes, paths)


def _anchor(attributes: dict, paths: Paths) -> str:
    href = attributes.pop("href", "")
    title = attributes.pop("data-wikilink", "") or title_of(href)
    if href.startswith(("http://", "https://", "mailto:", "#")) and not title:
        attributes["href"] = href
        return _tag_text("a", attributes)
    target, _, fragment = href.partition("#")
    path = paths.files.get(title) if title.startswith("File:") else paths.pages.get(title)
    if path is not None:
        attributes["href"] = paths.href(path, fragment)
        if "wikilink" not in attributes.get("class", "") and not title.startswith(("File:", "Category:")):
            attributes["class"] = " ".join(filter(None, [attributes.get("class"), "wikilink"]))
        return _tag_text("a", attributes)
    # A page of the wiki that is not in this copy, or a link to the wiki's own screens: no way to follow it.
    attributes["class"] = " ".join(filter(None, [attributes.get("class"), "wikilink new"]))
    attributes["title"] = f"{title or target} (not in this copy)"
    return _tag_text("a", attributes)


@functools.lru_cache(maxsize=8192)
def title_of(href: str) -> str:
    """The title a site-relative link of the wiki points at, or ""."""
    path = unquote(href.partition("#")[0])
    for prefix, namespace in (("/wiki/", ""), ("/category/", "Category:"), ("/file/", "File:")):
        if path.startswith(prefix):
            try:
                return normalize_title(namespace + path[len(prefix) :])
            except ValueError:
                return ""
    return ""


def _image(attributes: dict, paths: Paths) -> str:
    source = attributes.pop("src", "")
    title = attributes.pop("data-file", "") or title_of(source)
    path = paths.files.get(title)
    if path is not None:
        attributes["src"] = paths.href(path)
        return _tag_text("img", attributes)
    alt = attributes.get("alt") or title or source
    if source.startswith(("http://", "https://")):
        return f'<a class="external-image" href="{html.escape(source)}">{html.escape(alt)}</a>'
    return f'<span class="missing-file">{html.escape(alt)}</span>'


def _tag_text(name: str, attributes: dict) -> str:
    written = "".join(f' {key}="{html.escape(value)}"' for key, value in attributes.items())
    return f"<{name}{written}>"
