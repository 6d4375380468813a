"""The design system's building blocks for templates: icons and avatars.

Icons are Lucide's (ISC licence, static/districtwiki/icons/LICENSE), drawn from one sprite file with <use>
(wiki/icons.py), so they take the text's colour and size and cost a page about a hundred bytes each. Avatars
are initials on a colour picked from the name, so no picture service is ever asked."""

import re
import zlib
from functools import lru_cache

from django import template
from django.template.library import parse_bits
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import icons

register = template.Library()

ICON_NAME = re.compile(r"[a-z0-9-]{1,40}")
AVATAR_COLOURS = 6  # --avatar-1 … --avatar-6 in wiki.css, each AA with white initials
AVATAR_SIZES = ("small", "medium", "large")


def icon(name: str, label: str = "", css_class: str = "") -> str:
    """`{% icon "bell" %}` is decorative (hidden from screen readers);
    `{% icon "bell" label="Notifications" %}` is an image with that name,
    for a control with no text of its own."""
    return drawn_icon(name, label, css_class)


class IconNode(template.Node):
    """An icon whose name or label comes from a variable, drawn when the template renders."""

    def __init__(self, args: list, kwargs: dict) -> None:
        self.args, self.kwargs = args, kwargs

    def render(self, context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        return icon(*args, **kwargs)


class DrawnNode(template.Node):
    """Markup made once, when the template is compiled."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def render(self, context) -> str:
        return self.markup


@register.tag(name="icon")
def icon_tag(parser, token) -> template.Node:
    """{% icon %}: with only literal arguments (almost every use) the icon is drawn once, when the
    template is compiled, and a bad name fails then; rendering it costs nothing. A page draws dozens."""
    args, kwargs = parse_bits(
        parser,
        token.split_contents()[1:],
        params=["name", "label", "css_class"],
        varargs=None,
        varkw=None,
        defaults=("", ""),
        kwonly=[],
        kwonly_defaults=None,
        takes_context=False,
        name="icon",
    )
    given = [*args, *kwargs.values()]
    if all(isinstance(value.var, str) and not value.filters for value in given):
        return DrawnNode(
            icon(*[arg.var for arg in args], **{key: value.var for key, value in kwargs.items()})
        )
    return IconNode(args, kwargs)


@lru_cache(maxsize=1024)
def drawn_icon(name: str, label: str, css_class: str) -> str:
    """The markup of one icon; the same few dozen are drawn on every page, so each is made once."""
    if not ICON_NAME.fullmatch(name):
        raise template.TemplateSyntaxError(f"Not an icon name: {name!r}")
    if name not in icons.names():
        raise template.TemplateSyntaxError(f"No icon {name!r} in {icons.ICON_DIR}")
    classes = f"icon {css_class}".strip()
    href = f"{icons.sprite_url()}#{name}"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}"><use href="{}"></use></svg>', classes, label, href
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', classes, href
    )


@register.tag(name="logo")
def logo_tag(parser, token) -> template.Node:
    """{% logo %}: the site's mark (templates/_logo.html), drawn once when the template is compiled."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% logo %} takes no arguments")
    return DrawnNode(mark_safe(render_to_string("_logo.html")))


def initials(name: str) -> str:
    """Up to two letters: the first of the first and last words ("Maria de la Cruz" → "MC")."""
    words = [w for w in re.split(r"[\s._-]+", name) if w]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(name: str) -> int:
    """The same name always gets the same colour (1…AVATAR_COLOURS)."""
    return zlib.crc32(name.casefold().encode()) % AVATAR_COLOURS + 1


@register.simple_tag
def avatar(name: str, size: str = "small") -> str:
    """`{% avatar "Maria Lopez" %}`: initials in a circle, decorative
    (the name is always written beside it)."""
    if size not in AVATAR_SIZES:
        raise template.TemplateSyntaxError(f"Avatar size must be one of {AVATAR_SIZES}")
    name = str(name or "")
    return format_html(
        '<span class="avatar avatar-{} avatar-colour-{}" aria-hidden="true">{}</span>',
        size,
        avatar_colour(name),
        initials(name),
    )
