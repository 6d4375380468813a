from functools import lru_cache

from django import template
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from .. import people, tabs
from ..titles import title_path
from . import ui

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


@register.simple_tag(takes_context=True)
def member(context, person, fallback: str = "Anonymous", avatar: bool = False) -> str:
    """Who did something, as this viewer may see them (people.name_for): a link to the member's profile;
    "former member" without a link (the account is deleted); `fallback` when there is no account (an
    anonymous edit, or a row whose author was erased: pass its stored name). With avatar=True, their
    initials before it. Select the person's people.related() relations in the queryset, or this costs a
    query per row. A long listing makes people.credit() rows in its view and uses credit_link."""
    return credit_link(people.credit(person, context.get("user"), fallback), avatar)


@register.filter
def credit_link(credit: people.Credit, avatar: bool = False) -> str:
    """A people.Credit as the member tag shows it: `{{ row.by|credit_link }}`."""
    shown = credit.name
    if credit.username:
        shown = format_html('<a class="member-link" href="{}">{}</a>', credit.profile_url, credit.name)
    if avatar:
        return format_html('<span class="author">{}{}</span>', ui.avatar(credit.name), shown)
    return shown


@register.filter(is_safe=True)
def when(moment) -> str:
    """`{{ revision.timestamp|when }}`: the moment in the site's time zone as the one date format every
    page uses, "6 Dec 2026, 15:20", in a <time> element carrying the exact moment for machines. Listings
    draw dozens, so it is built from numbers rather than through a date-format string."""
    if not moment:
        return ""
    local = template_localtime(moment)
    month = month_abbreviations()[local.month - 1]
    shown = f"{local.day} {month} {local.year}, {local.hour:02d}:{local.minute:02d}"
    return mark_safe(f'<time datetime="{local.isoformat()}">{shown}</time>')  # digits and month names only


@lru_cache(maxsize=8)
def _month_abbreviations(language: str) -> tuple[str, ...]:
    return tuple(str(MONTHS_3[number]).title() for number in range(1, 13))


def month_abbreviations() -> tuple[str, ...]:
    """ "Jan" … "Dec" as Django's "M" date format writes them in the active language."""
    return _month_abbreviations(get_language())


@register.simple_tag(takes_context=True)
def member_name(context, person, fallback: str = "Anonymous") -> str:
    """The name alone, where a link cannot go (inside another link, a title attribute)."""
    return fallback if person is None else people.name_for(person, context.get("user"))


@register.simple_tag
def feature_tabs(page, current: str, counts=None) -> list[tabs.ShownTab]:
    """The tabs features registered (wiki/tabs.py), for wiki/_page_tabs.html."""
    return tabs.shown_tabs(page, current, counts)
