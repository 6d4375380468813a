"""Markdown written by members (bios, messages) through the wiki's renderer and sanitiser (nh3)."""

from districtwiki.wiki import markup
from districtwiki.wiki.models import Page


def render(text: str) -> str:
    """Sanitised HTML, stored beside the text so that showing it never re-parses Markdown."""
    return markup.render(text).html if text.strip() else ""


def resolved_html(stored_html: str) -> str:
    """Stored HTML with each wiki link coloured by whether its page exists now (one query at most)."""
    return resolved_many([stored_html])[0]


def resolved_many(fragments: list[str]) -> list[str]:
    """resolved_html for several stored fragments with one query between them all."""
    targets = set().union(*(markup.link_targets(fragment) for fragment in fragments)) if fragments else set()
    existing = (
        set(Page.objects.live().filter(title__in=targets).order_by().values_list("title", flat=True))
        if targets
        else set()
    )
    return [markup.resolve_links(fragment, existing) for fragment in fragments]
