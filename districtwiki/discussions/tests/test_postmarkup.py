from types import SimpleNamespace

from districtwiki.discussions import postmarkup


def test_link_mentions_skips_code_and_links():
    html = "<p>@bob <code>@bob</code> <a href='/x'>@bob</a></p>"
    linked = postmarkup.link_mentions(html, {"bob": "bob"})
    assert linked.count('class="mention"') == 1
    assert "<code>@bob</code>" in linked


def test_link_mentions_keeps_trailing_punctuation_outside_the_link():
    assert postmarkup.link_mentions("<p>hi @bob.</p>", {"bob": "bob"}) == (
        '<p>hi <a class="mention" href="/members/bob">@bob</a>.</p>'
    )


def test_link_mentions_quotes_unusual_usernames():
    linked = postmarkup.link_mentions("<p>@a+b</p>", {"a+b": "a+b"})
    assert 'href="/members/a%2Bb"' in linked


def test_quote_markdown_escapes_the_author_name_and_quotes_every_line():
    post = SimpleNamespace(
        author_name="a_*b", text="one\n\ntwo", get_absolute_url=lambda: "/discussions/posts/3"
    )
    assert postmarkup.quote_markdown(post) == (
        "> **a\\_\\*b** [wrote](/discussions/posts/3):\n>\n> one\n>\n> two\n\n"
    )
