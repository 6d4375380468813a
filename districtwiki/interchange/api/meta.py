"""meta=siteinfo, meta=userinfo and meta=tokens."""

from django.conf import settings
from django.utils import timezone

from districtwiki.wiki import access
from districtwiki.wiki.models import Page, Revision

from . import tokens
from .pageset import NAMESPACE_NAMES
from .params import Param, format_timestamp

# mwclient and other clients read the MediaWiki version from "MediaWiki X.Y…": the request and response
# shapes here are those of MediaWiki 1.39 (slots, formatversion 2, continue), so we say so, and who we are.
GENERATOR = "MediaWiki 1.39.0-districtwiki"
MARKUP_NOTE = (
    "Page content is Markdown (CommonMark with tables, footnotes and task lists) plus [[Wiki Links]] and "
    "[[Category:Name]], not wikitext: send Markdown in action=edit and expect Markdown from prop=revisions."
)
SITEINFO_PROPERTIES = (
    "general",
    "namespaces",
    "namespacealiases",
    "statistics",
    "interwikimap",
    "specialpagealiases",
    "magicwords",
    "extensions",
    "rightsinfo",
    "usergroups",
    "libraries",
    "fileextensions",
)


def siteinfo(ctx) -> dict:
    properties = ctx.params.multi("siprop", "siteinfo")
    result = {}
    if "general" in properties:
        result["general"] = _general(ctx)
    if "namespaces" in properties:
        result["namespaces"] = _namespaces(ctx)
    for empty in (
        "namespacealiases",
        "interwikimap",
        "specialpagealiases",
        "magicwords",
        "extensions",
        "libraries",
        "fileextensions",
        "usergroups",
    ):
        if empty in properties:
            result[empty] = []
    if "statistics" in properties:
        result["statistics"] = _statistics()
    if "rightsinfo" in properties:
        result["rightsinfo"] = {"url": "", "text": ""}
    return result


def _general(ctx) -> dict:
    origin = ctx.request.build_absolute_uri("/").rstrip("/")
    return {
        "mainpage": "Main Page",
        "base": origin + "/",
        "sitename": settings.SITE_NAME,
        "generator": GENERATOR,
        "districtwiki": "districtwiki, a community wiki; this is its MediaWiki-compatible Action API subset",
        "contentmodel": "markdown",
        "markup": MARKUP_NOTE,
        "case": "first-letter",
        "lang": "en",
        "fallback8bitEncoding": "windows-1252",
        "writeapi": True,
        "maxarticlesize": settings.MAX_PAGE_BYTES,
        "timezone": "UTC",
        "timeoffset": 0,
        "articlepath": "/wiki/$1",
        "scriptpath": "/w",
        "script": "/w/api.php",
        "server": origin,
        "servername": ctx.request.get_host().split(":")[0],
        "wikiid": "districtwiki",
        "time": format_timestamp(timezone.now()),
        "legaltitlechars": " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+",
        "maxuploadsize": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        # Keys clients expect in every MediaWiki's answer (pywikibot reads them); nothing to configure here.
        "thumblimits": {},
        "imagelimits": {},
        "magiclinks": {"ISBN": False, "PMID": False, "RFC": False},
    }


def _namespaces(ctx) -> dict:
    result = {}
    for number, name in sorted(NAMESPACE_NAMES.items()):
        entry = (
            {"id": number, "case": "first-letter", "canonical": name}
            if name
            else {"id": number, "case": "first-letter"}
        )
        entry[ctx.content_key if ctx.formatversion == 1 else "name"] = name
        entry.update(subpages=number == 0, content=number == 0, nonincludable=False)
        result[str(number)] = entry
    return result


def _statistics() -> dict:
    return {
        "pages": Page.objects.live().count(),
        "articles": Page.objects.articles().filter(namespace="").count(),
        "edits": Revision.objects.count(),
        "images": Page.objects.live().filter(namespace="File").count(),
    }


USERINFO_PROPERTIES = (
    "blockinfo",
    "hasmsg",
    "groups",
    "groupmemberships",
    "implicitgroups",
    "rights",
    "changeablegroups",
    "options",
    "editcount",
    "ratelimits",
    "email",
    "realname",
    "acceptlang",
    "registrationdate",
    "unreadcount",
    "centralids",
    "latestcontrib",
    "cancreateaccount",
)


def groups_of(request) -> list[str]:
    user = request.user
    if not access.is_signed_in(user):
        return ["*"]
    groups = ["*", "user", "autoconfirmed"]
    if getattr(request, "api_token", None) is not None or request.session.get("api_bot_token"):
        groups.append("bot")
    if access.is_trusted(user):
        groups.append("trusted")
    if access.is_admin(user):
        groups.append("sysop")
    return groups


def rights_of(user) -> list[str]:
    """MediaWiki's rights for what our roles allow; mwclient's Page.can() looks up protection levels here."""
    rights = ["read"]
    if access.can_edit(user, None):
        rights += ["edit", "createpage", "writeapi", "minoredit"]
    if access.is_trusted(user) and access.can_edit(user, None):
        rights += ["move", "move-subpages", "protect", "trusted", "rollback"]
    if access.is_admin(user):
        rights += ["delete", "undelete", "editprotected", "sysop"]
    return rights


def userinfo(ctx) -> dict:
    properties = ctx.params.multi("uiprop", "userinfo")
    user = ctx.user
    if access.is_signed_in(user):
        result = {"id": user.pk, "name": user.get_username()}
    else:
        result = {"id": 0, "name": ctx.request.META.get("REMOTE_ADDR", "127.0.0.1"), "anon": True}
    if "groups" in properties:
        result["groups"] = groups_of(ctx.request)
    if "rights" in properties:
        # A session signed in with an API token is a bot: MediaWiki grants the group's "bot" right with it.
        bot = ["bot"] if "bot" in groups_of(ctx.request) else []
        result["rights"] = rights_of(user) + bot
    if "editcount" in properties and access.is_signed_in(user):
        result["editcount"] = Revision.objects.filter(author=user).count()
    if "registrationdate" in properties and access.is_signed_in(user):
        result["registrationdate"] = format_timestamp(user.date_joined)
    return result


TOKEN_TYPES = ("csrf", "login", "watch", "rollback")


def token_values(ctx) -> dict:
    types = ctx.params.multi("type", "tokens")
    result = {}
    for kind in types:
        if kind == "login":
            result["logintoken"] = tokens.login_token(ctx.request)
        else:
            # One token for every write: MediaWiki's separate watch and rollback tokens add nothing here.
            result[f"{kind}token"] = tokens.csrf_token(ctx.request)
    return result


SITEINFO_PARAMETERS = (Param("prop", SITEINFO_PROPERTIES, "general", multi=True),)
USERINFO_PARAMETERS = (Param("prop", USERINFO_PROPERTIES, multi=True),)
TOKENS_PARAMETERS = (Param("type", TOKEN_TYPES, "csrf", multi=True),)
