"""`{% member_part "name" %}`: a piece of a page that differs between signed-in members (wiki/memberviews.py).
In a page rendered for a reader it is the part itself; in a shared shell, the marker the fill replaces."""

from django import template

from .. import memberviews

register = template.Library()


@register.simple_tag(takes_context=True)
def member_part(context, name: str) -> str:
    return memberviews.render_part_in_page(name, context)
