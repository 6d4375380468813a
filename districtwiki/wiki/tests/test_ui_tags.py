"""The design system's template tags: icons drawn inline from the vendored set, avatars from initials."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from districtwiki.wiki.templatetags.ui import avatar_colour, initials


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def test_decorative_icon_is_hidden_from_screen_readers():
    html = render('{% icon "bell" %}')
    assert html.startswith('<svg class="icon" aria-hidden="true" focusable="false"')
    assert "<path" in html and "<!--" not in html and "lucide" not in html


def test_labelled_icon_is_an_image_with_its_name():
    html = render('{% icon "bell" label="Notifications" css_class="icon-large" %}')
    assert 'role="img" aria-label="Notifications"' in html
    assert 'class="icon icon-large"' in html


def test_unknown_or_malformed_icon_names_fail_loudly():
    with pytest.raises(TemplateSyntaxError, match="No icon"):
        render('{% icon "no-such-icon" %}')
    with pytest.raises(TemplateSyntaxError, match="Not an icon name"):
        render('{% icon "../../settings" %}')


@pytest.mark.parametrize(
    ("name", "letters"),
    [("Maria de la Cruz", "MC"), ("ada", "A"), ("bob.smith", "BS"), ("  ", "?"), ("émile zola", "ÉZ")],
)
def test_initials(name, letters):
    assert initials(name) == letters


def test_avatar_is_initials_with_a_stable_colour_and_escapes_the_name():
    html = render("{% avatar name 'large' %}", name="<b>Zed</b> Q")
    assert 'class="avatar avatar-large avatar-colour-' in html
    assert ">&lt;Q<" in html or ">&lt;Q</span>" in html
    assert avatar_colour("Maria Lopez") == avatar_colour("maria lopez")
    assert 1 <= avatar_colour("anyone") <= 6


def test_avatar_size_must_be_known():
    with pytest.raises(TemplateSyntaxError, match="Avatar size"):
        render("{% avatar 'Ann' 'huge' %}")
