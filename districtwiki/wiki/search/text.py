"""What gets indexed for a page, and how a database snippet becomes safe HTML.

The index holds the plain text of the revision's rendered HTML rather than its Markdown, so snippets read
like the page (no `**`, `[[...|...]]` or table pipes). Both backends mark matches with two private-use
characters that are removed from indexed text, so after escaping the snippet they are the only places a
<mark> can appear.
"""

import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe

MARK_START = "\ue000"
MARK_END = "\ue001"
MARKERS = re.compile(f"([{MARK_START}{MARK_END}])")
BLOCK_TAGS = {
    "p", "div", "li", "dt", "dd", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "blockquote", "br", "hr", "section", "table",
}  # fmt: skip


# A line break before every block element's tags, so that its text does not run into the next one's.
BLOCK_TAG = re.compile(r"<(/?)(" + "|".join(sorted(BLOCK_TAGS)) + r")\b")


def plain_text(fragment: str) -> str:
    """Text content of sanitised revision HTML, one line per block, without the generated table of contents
    (the <nav>, which repeats the headings). nh3 (html5ever) parses it: several times faster than Python's
    HTMLParser, which matters because every save indexes its page."""
    spaced = BLOCK_TAG.sub(lambda match: "\n<" + match.group(1) + match.group(2), fragment)
    text = html.unescape(nh3.clean(spaced, tags=set(), clean_content_tags={"nav"}))
    text = text.replace(MARK_START, "").replace(MARK_END, "")
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
