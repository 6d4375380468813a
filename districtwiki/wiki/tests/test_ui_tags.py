"""The design system's template tags: icons drawn from the vendored sprite, avatars from initials."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError

from districtwiki.wiki import icons
from districtwiki.wiki.templatetags.ui import avatar_colour, initials


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def test_decorative_icon_is_hidden_from_screen_readers_and_drawn_from_the_sprite():
    html = render('{% icon "bell" %}')
    assert re.fullmatch(
        r'<svg class="icon" aria-hidden="true" focusable="false">'
        r'<use href="/static/districtwiki/icons\.svg\?v=[0-9a-f]{12}#bell"></use></svg>',
        html,
    ), html


def test_the_committed_sprite_holds_every_vendored_icon():
    assert icons.SPRITE.read_text(encoding="utf-8") == icons.build_sprite(), (
        "static/districtwiki/icons.svg is stale: run `python -m districtwiki.wiki.icons`"
    )
    sprite = icons.SPRITE.read_text(encoding="utf-8")
    assert len(icons.names()) > 70
    for name in icons.names():
        assert f'<symbol id="{name}" viewBox="0 0 24 24" fill="none" stroke="currentColor"' in sprite
    assert "<script" not in sprite and not re.search(r"\son\w+=", sprite)


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
