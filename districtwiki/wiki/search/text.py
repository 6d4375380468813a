"""What gets indexed for a page, and how a database snippet becomes safe HTML.

The index holds the plain text of the revision's rendered HTML rather than its Markdown, so snippets read
like the page (no `**`, `[[...|...]]` or table pipes). Both backends mark matches with two private-use
characters that are removed from indexed text, so after escaping the snippet they are the only places a
<mark> can appear.
"""

import html
import re
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

MARK_START = "\ue000"
MARK_END = "\ue001"
MARKERS = re.compile(f"([{MARK_START}{MARK_END}])")
BLOCK_TAGS = {
    "p", "div", "li", "dt", "dd", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "blockquote", "br", "hr", "section", "table",
}  # fmt: skip


class _TextExtractor(HTMLParser):
    """Text content of sanitised revision HTML, without the generated table of contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0  # >0 inside <nav>: the contents list repeats the headings

    def handle_starttag(self, tag, attrs):
        if tag == "nav" or self.skip_depth:
            self.skip_depth += tag == "nav"
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "nav" and self.skip_depth:
            self.skip_depth -= 1
        elif tag in BLOCK_TAGS and not self.skip_depth:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data)


def plain_text(fragment: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    text = "".join(extractor.parts).replace(MARK_START, "").replace(MARK_END, "")
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def indexed_body(page, revision) -> str | None:
    """The text to index for `page` at `revision`, or None when the page must not be in the index."""
    if revision is None or page.redirect_to or page.deleted_at is not None:
        return None
    return plain_text(revision.html)


def marked_snippet(raw: str) -> SafeString:
    """A database snippet as HTML: every piece escaped, the match markers turned into balanced <mark>s."""
    parts, inside = [], False
    for piece in MARKERS.split(raw):
        if piece in (MARK_START, MARK_END):
            if inside != (piece == MARK_START):
                parts.append("<mark>" if piece == MARK_START else "</mark>")
                inside = not inside
        else:
            parts.append(html.escape(piece))
    if inside:
        parts.append("</mark>")
    return mark_safe("".join(parts))
