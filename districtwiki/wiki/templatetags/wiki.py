from urllib.parse import quote

from django import template
from django.utils.html import format_html

from .. import tabs
from ..titles import title_path

register = template.Library()


@register.filter(name="title_path")
def title_path_filter(title: str) -> str:
    """A title as a URL path segment: `Some page?` → `Some_page%3F`."""
    return title_path(title)


@register.filter
def signed(number: int) -> str:
    """A size change as +120 / −35 / 0."""
    if number > 0:
        return f"+{number:,}"
    return f"−{-number:,}" if number < 0 else "0"


@register.filter
def member(user) -> str:
    """Who did something, as shown beside it: a link to the member's profile, "former member" (no link:
    the account is deleted) or "Anonymous"."""
    if user is None:
        return "Anonymous"
    if user.is_former_member:
        return user.public_name
    return format_html(
        '<a href="/members/{}">{}</a>', quote(user.get_username(), safe=""), user.get_username()
    )


@register.simple_tag
def feature_tabs(page, current: str, counts=None) -> list[tabs.ShownTab]:
    """The tabs features registered (wiki/tabs.py), for wiki/_page_tabs.html."""
    return tabs.shown_tabs(page, current, counts)
