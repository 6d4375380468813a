"""What a signed-in member's page view shows of them (wiki/memberviews.py): the header's account menu and
the e-mail reminder, and the facts they are made from.

The member's own name: the header shows their display name (User.own_name). Everywhere else a page names
members as the reader may see them (visibility.display_name_for), and a member always sees their own display
name: when theirs is hidden from other members, a page naming them reads differently to them than to anyone
else of their role, so their views are rendered for them alone (the fact `hides_name`).
"""

from types import SimpleNamespace

from django.db import connections

from districtwiki.accounts.actions import must_confirm_email
from districtwiki.wiki import memberviews

from .models import Profile, Visibility


def nav_part(viewer, page_path: str) -> tuple[tuple, dict]:
    unread = viewer.facts.get("unread", 0)
    key = (viewer.username, viewer.own_name, viewer.is_wiki_admin, unread)
    return key, {"user": viewer, "bell": SimpleNamespace(unread=unread)}


def banner_part(viewer, page_path: str) -> tuple[tuple, dict]:
    show = must_confirm_email(viewer)
    return (show, viewer.email if show else ""), {"show": show, "user": viewer}


def banner_in_page(context: dict) -> dict:
    """As the settings page wants it: it shows its own reminder and says so with `must_confirm`."""
    user = context.get("user")
    show = user is not None and "must_confirm" not in context and must_confirm_email(user)
    return {"show": show, "user": user}


def register() -> None:
    quote = connections["default"].ops.quote_name
    table = quote(Profile._meta.db_table)
    shown_to_members = ", ".join(f"'{level}'" for level in (Visibility.PUBLIC, Visibility.MEMBERS))
    own_name = f"SELECT NULLIF(p.display_name, '') FROM {table} p WHERE p.user_id = u.id"
    hides_name = (
        f"SELECT COUNT(*) FROM {table} p WHERE p.user_id = u.id AND p.display_name <> '' "
        f"AND p.display_name_visibility NOT IN ({shown_to_members})"
    )
    rows = ((Profile, "user_id"),)
    memberviews.register_fact(memberviews.Fact("own_name", own_name, rows=rows))
    memberviews.register_fact(memberviews.Fact("hides_name", hides_name, renders_own=True, rows=rows))
    memberviews.register_part(memberviews.Part("nav", "accounts/_member_nav.html", nav_part))
    memberviews.register_part(
        memberviews.Part("email_banner", "accounts/_confirmation_banner.html", banner_part, banner_in_page)
    )
