from django import template

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
