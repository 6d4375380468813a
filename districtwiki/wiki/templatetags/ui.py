"""The design system's building blocks for templates: icons and avatars.

Icons are Lucide's (ISC licence, static/districtwiki/icons/LICENSE), drawn inline so they take the text's
colour and size and cost no extra request; each file is read once per process. Avatars are initials on a
colour picked from the name, so no picture service is ever asked."""

import re
import zlib
from functools import cache
from pathlib import Path

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

ICON_DIR = Path(settings.BASE_DIR) / "static" / "districtwiki" / "icons"
ICON_NAME = re.compile(r"[a-z0-9-]{1,40}")
AVATAR_COLOURS = 6  # --avatar-1 … --avatar-6 in wiki.css, each AA with white initials
AVATAR_SIZES = ("small", "medium", "large")


@cache
def icon_shapes(name: str) -> str:
    """The inner shapes of a vendored icon (the <svg> element is written by `icon`)."""
    if not ICON_NAME.fullmatch(name):
        raise template.TemplateSyntaxError(f"Not an icon name: {name!r}")
    path = ICON_DIR / f"{name}.svg"
    if not path.is_file():
        raise template.TemplateSyntaxError(f"No icon {name!r} in {ICON_DIR}")
    svg = path.read_text(encoding="utf-8")
    return svg[svg.index(">", svg.index("<svg")) + 1 : svg.rindex("</svg>")].strip()


@register.simple_tag
def icon(name: str, label: str = "", css_class: str = "") -> str:
    """`{% icon "bell" %}` is decorative (hidden from screen readers);
    `{% icon "bell" label="Notifications" %}` is an image with that name,
    for a control with no text of its own."""
    classes = f"icon {css_class}".strip()
    shapes = mark_safe(icon_shapes(name))  # our own vendored files, never user input
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" viewBox="0 0 24 24" fill="none" stroke="currentColor"'
            ' stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{}</svg>',
            classes,
            label,
            shapes,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false" viewBox="0 0 24 24" fill="none"'
        ' stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        classes,
        shapes,
    )


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
