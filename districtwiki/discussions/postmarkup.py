"""Post text: rendering with the wiki's Markdown and sanitiser, @mentions, and quoting.

A post is rendered once, when it is saved; mentions of existing members become links to their profiles.
"""

import html
import re
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db.models import Q

from districtwiki.wiki import markup

MAX_MENTIONS = 20  # more than this in one post is a broadcast, not a conversation
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
FENCED_CODE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?(?:^[ \t]*\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+)[^`]*?\1")
QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
HTML_PIECES = re.compile(r"(<[^>]*>)")
NO_LINK_TAGS = {"a", "code", "pre"}


def _own_words(text: str) -> str:
    """The text without code and quoted lines: a quoted @name is someone else's mention, not a new one."""
    for pattern in (FENCED_CODE, INLINE_CODE, QUOTED_LINE):
        text = pattern.sub(" ", text)
    return text


def _candidates(text: str) -> list[str]:
    """Names after @, each also without trailing sentence punctuation (`thanks @bob.`)."""
    names: list[str] = []
    for match in MENTION.finditer(_own_words(text)):
        for name in (match.group(1), match.group(1).rstrip(".+-")):
            if name and name not in names:
                names.append(name)
    return names[: MAX_MENTIONS * 2]


def mentioned_users(text: str) -> list:
    """The active members mentioned in `text` (case-insensitive, as usernames are unique in any case)."""
    names = _candidates(text)
    if not names:
        return []
    same_name = Q()
    for name in names:
        same_name |= Q(username__iexact=name)
    users = get_user_model().objects.filter(same_name, is_active=True).order_by("username")
    return list(users[:MAX_MENTIONS])


def render(text: str, mentioned: list) -> str:
    """Sanitised HTML for a post, with each mention of a member in `mentioned` linked to their profile."""
    rendered = markup.render(text).html
    return link_mentions(rendered, {user.username.lower(): user.username for user in mentioned})


def link_mentions(fragment: str, usernames: dict[str, str]) -> str:
    """Link @name in text nodes of already-sanitised HTML, outside links and code."""
    if not usernames:
        return fragment
    pieces = HTML_PIECES.split(fragment)
    depth = 0
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):
            depth += _tag_depth_change(piece)
        elif depth == 0 and "@" in piece:
            pieces[index] = MENTION.sub(lambda match: _mention_link(match, usernames), piece)
    return "".join(pieces)


def _tag_depth_change(tag: str) -> int:
    name = tag.strip("</>").split()[0].lower() if tag.strip("</>").split() else ""
    if name not in NO_LINK_TAGS or tag.endswith("/>"):
        return 0
    return -1 if tag.startswith("</") else 1


def _mention_link(match: re.Match, usernames: dict[str, str]) -> str:
    raw = match.group(1)
    for name in (raw, raw.rstrip(".+-")):
        username = usernames.get(name.lower())
        if username:
            return mention_link(username) + html.escape(raw[len(name) :])
    return match.group(0)


def mention_link(username: str) -> str:
    """A mention of a member as stored in post HTML (erased again by privacy.unlink_mentions)."""
    href = "/members/" + quote(username, safe="")
    return f'<a class="mention" href="{href}">@{html.escape(username)}</a>'


MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#])")


def quote_markdown(post) -> str:
    """The start of a reply that quotes `post`: a Markdown blockquote with who wrote it and a link."""
    author = MARKDOWN_SPECIALS.sub(r"\\\1", post.author_name)
    lines = [">" + (" " + line if line.strip() else "") for line in post.text.splitlines()]
    header = f"> **{author}** [wrote]({post.get_absolute_url()}):"
    return "\n".join([header, ">", *lines]) + "\n\n"
