"""A page's sources are listed once: in its text's own "## Sources" section (every starter page has one,
content-brief.md), whose titles the page view links to the URLs the front matter gives for them. The info
box then only points to that section; a page without one gets the front matter's list in the box."""

from html import escape

from django.utils.html import format_html

SECTION_START = '<h2 id="sources">'
SECTION_END = "<h2"


def has_section(html: str) -> bool:
    return SECTION_START in html


def link_titles(html: str, sources: list[dict]) -> str:
    """`html` with the first *Title* of each front-matter source that has a URL, within the Sources
    section, made a link to it. One pass per source over that section only (at most MAX_SOURCES)."""
    start = html.find(SECTION_START)
    if start < 0:
        return html
    end = html.find(SECTION_END, start + len(SECTION_START))
    end = len(html) if end < 0 else end
    section = html[start:end]
    for source in sources:
        if source.get("url") and source.get("title"):
            section = link_title(section, source["title"], source["url"])
    return html[:start] + section + html[end:]


def link_title(section: str, title: str, url: str) -> str:
    """The text often writes a title's trailing "(final rule, 89 FR 31320)" after the italics: the title
    without it is tried second."""
    for candidate in (title, without_trailing_note(title)):
        shown = "<em>" + escape(candidate, quote=False).replace('"', "&quot;") + "</em>"
        if shown in section and shown + "</a>" not in section:  # already a link in the text
            link = format_html('<em><a href="{}" rel="nofollow ugc noopener">{}</a></em>', url, candidate)
            return section.replace(shown, link, 1)
    return section


def without_trailing_note(title: str) -> str:
    """ "Rule (final rule, 89 FR 31320)" → "Rule" (string steps only: no regex to backtrack on)."""
    opening = title.rfind("(")
    if not title.endswith(")") or opening <= 0:
        return title
    return title[:opening].rstrip()
