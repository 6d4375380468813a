"""What gets indexed for a page, and how a database snippet becomes safe HTML.

The index holds the plain text of the revision's rendered HTML rather than its Markdown, so snippets read
like the page (no `**`, `[[...|...]]` or table pipes). Both backends mark matches with two private-use
characters that are removed from indexed text, so after escaping the snippet they are the only places a
<mark> can appear.
"""

import html
import itertools
import re

from django.utils.safestring import SafeString, mark_safe

MARK_START = "\ue000"
MARK_END = "\ue001"
MARKERS = re.compile(f"([{MARK_START}{MARK_END}])")
BLOCK_TAGS = {
    "p", "div", "li", "dt", "dd", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "blockquote", "br", "hr", "section", "table",
}  # fmt: skip


# A line break before every block element's tags, so that its text does not run into the next one's.
# (Matched empty, so that the replacement is a literal, which the re module inserts without calling Python.)
BEFORE_BLOCK_TAG = re.compile(r"(?=</?(?:" + "|".join(sorted(BLOCK_TAGS)) + r")\b)")


# Stored revision HTML is what the sanitiser (nh3, html5ever's serialiser) wrote: no comments, no raw-text
# elements, every "<" in text escaped, every attribute value in double quotes with any '"' in it escaped.
# So a tag is exactly "<", then anything but ">" outside double quotes, then ">"; and the table of contents
# is the one <nav>, which holds no other.
SERIALISED_TAG = re.compile(r'<[^>"]*+(?:"[^"]*+"[^>"]*+)*+>')
TABLE_OF_CONTENTS = re.compile(r'<nav\b[^>"]*+(?:"[^"]*+"[^>"]*+)*+>.*?</nav>', re.DOTALL)


def plain_text(fragment: str) -> str:
    """Text content of sanitised revision HTML, one line per block, without the generated table of contents
    (the <nav>, which repeats the headings). Every save indexes its page, so the tags are cut out by two
    patterns over the serialiser's output (above) instead of parsing it again: the same text as a parser
    reads (test_search.py compares them), in less than half the time."""
    spaced = BEFORE_BLOCK_TAG.sub("\n", fragment)
    text = html.unescape(SERIALISED_TAG.sub("", TABLE_OF_CONTENTS.sub("", spaced)))
    text = text.replace(MARK_START, "").replace(MARK_END, "")
    # Each line's words joined by single spaces; lines with none left out.
    return "\n".join(filter(None, map(" ".join, map(str.split, text.splitlines()))))


def indexed_body(page, revision, search_text: str | None = None) -> str | None:
    """The text to index for `page` at `revision`, or None when the page must not be in the index;
    `search_text` is plain_text(revision.html) when the caller has it already."""
    if revision is None or page.redirect_to or page.deleted_at is not None:
        return None
    return plain_text(revision.html) if search_text is None else search_text


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


# --- Snippets made here, from a bounded part of the text --------------------------------------------------

# A snippet is looked for in the first SNIPPET_SCAN_CHARS characters of a page (and, when none is there,
# around the first match further down); of its matches, the first SNIPPET_MAX_MATCHES are weighed. So no
# page's content can make its snippet cost more than a scan of its text.
SNIPPET_SCAN_CHARS = 20_000
SNIPPET_MAX_MATCHES = 200
SNIPPET_CHARS = 160
SNIPPET_LEAD_CHARS = 40
HYPHEN_OPTIONAL = "[-\u2010\u2011]?"
NOT_WORD = re.compile(r"[\W_]+")
# A line of its own (the plain text has one line per block) naming a closing list of the page.
APPARATUS_HEADING = re.compile(
    r"^(?:Sources|References|Related pages|See also|Further reading)$", re.MULTILINE | re.IGNORECASE
)
APPARATUS_WEIGHT = 0.25


def term_pattern(terms) -> re.Pattern:
    """A case-insensitive pattern for the query's terms (query.Term) in any of their spellings: each word as
    a whole word, a phrase's words with anything but letters and digits between them, a prefix term's last
    word as a word start. A one-word spelling may have hyphens between its letters, so that "erate" (found
    through the joined index, spellings.py) marks "E-Rate"; the engine still reads each letter once."""
    alternatives = []
    for term in terms:
        for spelling in term.spellings:
            words = [re.escape(word) for word in spelling]
            if len(words) == 1:
                words = [HYPHEN_OPTIONAL.join(re.escape(letter) for letter in spelling[0])]
            tail = r"\w*" if term.prefix else r"(?!\w)"
            alternative = r"[\W_]+".join(words) + tail
            # Each alternative starts with a letter or digit (query.WORD), which the engine looks for before
            # anything else; the word-start check comes after it, as "no word character before the one
            # just read". Put first, the check ran at every position of the text: 3–4 times slower.
            alternatives.append(alternative[0] + r"(?<!\w.)" + alternative[1:])
    return re.compile("|".join(alternatives), re.IGNORECASE)


def make_snippet(text: str, pattern: re.Pattern) -> str:
    """About SNIPPET_CHARS characters of `text` around its best place for the query, matches between
    MARK_START and MARK_END (as the databases' snippet functions mark them), "…" where text was cut."""
    matches = list(itertools.islice(pattern.finditer(text, 0, SNIPPET_SCAN_CHARS), SNIPPET_MAX_MATCHES))
    if not matches and len(text) > SNIPPET_SCAN_CHARS and (later := pattern.search(text, SNIPPET_SCAN_CHARS)):
        matches = [later]
    start = _best_start(matches, _apparatus_start(text)) if matches else 0
    start = _word_start(text, max(0, start - SNIPPET_LEAD_CHARS)) if start else 0
    end = _word_end(text, min(len(text), start + SNIPPET_CHARS))
    pieces, position = ["…" if start else ""], start
    for match in pattern.finditer(text, start, end):
        pieces += [text[position : match.start()], MARK_START, match.group(), MARK_END]
        position = match.end()
    pieces += [text[position:end], "…" if end < len(text) else ""]
    return " ".join("".join(pieces).split())


def _apparatus_start(text: str) -> int:
    """Where the page's closing lists (Sources, References, Related pages, See also) begin, or the end of
    the scanned text: their lines cite and link rather than explain, so the snippet prefers the body."""
    heading = APPARATUS_HEADING.search(text, 0, SNIPPET_SCAN_CHARS)
    return heading.start() if heading else SNIPPET_SCAN_CHARS


def _best_start(matches: list[re.Match], apparatus: int) -> int:
    """Where the window of SNIPPET_CHARS with the best score begins (the first such): each different matched
    word counts APPARATUS_WEIGHT when it is in the page's closing lists, 1 elsewhere."""
    best, best_start, ahead = 0.0, matches[0].start(), 0
    words = [NOT_WORD.sub("", found.group().lower()) for found in matches]
    found_weights = [APPARATUS_WEIGHT if found.start() >= apparatus else 1.0 for found in matches]
    for index, match in enumerate(matches):
        ahead = max(ahead, index)
        while ahead + 1 < len(matches) and matches[ahead + 1].end() - match.start() <= SNIPPET_CHARS:
            ahead += 1
        weights: dict[str, float] = {}
        for word, weight in zip(words[index : ahead + 1], found_weights[index : ahead + 1], strict=True):
            weights[word] = max(weights.get(word, 0.0), weight)
        if (score := sum(weights.values())) > best:
            best, best_start = score, match.start()
    return best_start


def _word_start(text: str, position: int) -> int:
    space = text.rfind(" ", max(0, position - 20), position)
    return space + 1 if space != -1 else position


def _word_end(text: str, position: int) -> int:
    space = text.find(" ", position, position + 20)
    return space if space != -1 else position
