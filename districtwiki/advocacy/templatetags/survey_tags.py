"""Small filters for the survey pages."""

from django import template

from ..survey_actions import number_text
from ..survey_actions import other_label as question_other_label

register = template.Library()


@register.filter
def other_label(question) -> str:
    return question_other_label(question)


@register.filter
def plain_number(value) -> str:
    """1000 → "1,000"; 0.5 → "0.5"."""
    return number_text(value) if isinstance(value, int | float) else ""
