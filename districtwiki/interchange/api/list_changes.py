"""list=recentchanges and list=usercontribs: revisions newest first (or oldest first), paged by
(timestamp, id) keys so that a bot can walk the whole history at constant cost per request."""

from django.db.models import F, Q

from districtwiki.accounts.models import User
from districtwiki.wiki.models import Revision

from .errors import ApiError
from .listing import MAX_LIMIT, ListResult, namespaces_param, page_of
from .pageset import namespace_number
from .params import (
    Param,
    continue_integer,
    parse_integer,
    parse_timestamp,
    split_keyed_continue,
)
from .revision_fields import revision_fields

LISTED = (
    "id", "page_id", "parent_id", "author_id", "author_name", "timestamp", "summary", "minor", "size", "sha1",
    "page__title", "page__namespace", "page__latest_id", "page__redirect_to", "parent__size",
)  # fmt: skip


def _revisions(ctx, prefix: str, module: str):
    """Revisions of live pages between start and end, in the asked direction, from the continue key."""
    params = ctx.params
    direction = params.choice(prefix + "dir")
    newer = direction == "newer"
    revisions = Revision.objects.filter(page__deleted_at__isnull=True).select_related("page", "parent")
    start, end = params.timestamp(prefix + "start"), params.timestamp(prefix + "end")
    if start is not None:
        revisions = (
            revisions.filter(timestamp__gte=start) if newer else revisions.filter(timestamp__lte=start)
        )
    if end is not None:
        revisions = revisions.filter(timestamp__lte=end) if newer else revisions.filter(timestamp__gte=end)
    key = split_keyed_continue(prefix + "continue", params.get(prefix + "continue"), 2)
    if key is not None:
        moment = parse_timestamp(prefix + "continue", key[0])
        revid = continue_integer(prefix + "continue", key[1])
        after = Q(timestamp__gt=moment) | Q(timestamp=moment, id__gte=revid)
        before = Q(timestamp__lt=moment) | Q(timestamp=moment, id__lte=revid)
        revisions = revisions.filter(after if newer else before)
    namespaces = namespaces_param(ctx, prefix + "namespace", module)
    if namespaces is not None:
        revisions = revisions.filter(page__namespace__in=namespaces)
    order = ("timestamp", "id") if newer else ("-timestamp", "-id")
    return revisions.only(*LISTED).order_by(*order)


def _continue_key(revision: Revision) -> str:
    # Microseconds are part of the key: many saves share a second.
    return revision.timestamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ") + f"|{revision.pk}"


def _apply_show(revisions, shown: list[str]):
    for flag in shown:
        negate, name = flag.startswith("!"), flag.lstrip("!")
        condition = {
            "minor": Q(minor=True),
            "anon": Q(author__isnull=True),
            "redirect": ~Q(page__redirect_to=""),
            "new": Q(parent__isnull=True),
            "top": Q(page__latest_id=F("id")),
        }.get(name)
        if name == "bot":
            revisions = revisions.none() if not negate else revisions
            continue
        if condition is not None:
            revisions = revisions.exclude(condition) if negate else revisions.filter(condition)
    return revisions


RC_PROPERTIES = (
    "user",
    "userid",
    "comment",
    "parsedcomment",
    "flags",
    "timestamp",
    "title",
    "ids",
    "sizes",
    "redirect",
    "sha1",
    "tags",
    "loginfo",
    "patrolled",
)
RC_SHOW = (
    "minor",
    "!minor",
    "bot",
    "!bot",
    "anon",
    "!anon",
    "redirect",
    "!redirect",
    "patrolled",
    "!patrolled",
    "unpatrolled",
)


def recentchanges(ctx, prefix: str) -> ListResult:
    params = ctx.params
    limit = params.limit(prefix + "limit", "recentchanges")
    properties = params.multi(prefix + "prop", "recentchanges")
    if prefix.startswith("g"):
        properties = [*properties, "title"]  # as a generator, its items are pages
    types = params.multi(prefix + "type", "recentchanges")
    revisions = _apply_show(
        _revisions(ctx, prefix, "recentchanges"),
        params.multi(prefix + "show", "recentchanges"),
    )
    if "edit" not in types:
        revisions = revisions.filter(parent__isnull=True)
    if "new" not in types:
        revisions = revisions.filter(parent__isnull=False)
    if "edit" not in types and "new" not in types:
        revisions = revisions.none()
    if user := params.get(prefix + "user"):
        revisions = revisions.filter(_by_author(user))
    if excluded := params.get(prefix + "excludeuser"):
        revisions = revisions.exclude(_by_author(excluded))
    if params.has(prefix + "toponly"):
        revisions = revisions.filter(page__latest_id=F("id"))
    shown, after = page_of(list(revisions[: limit + 1]), limit)
    items = [_change(revision, properties) for revision in shown]
    return ListResult(items, {prefix + "continue": _continue_key(after)} if after else {})


def _by_author(name: str) -> Q:
    """A member's revisions through the (author, timestamp) index; a name without an account by name."""
    account = User.objects.filter(username=name).values_list("pk", flat=True).first()
    return Q(author_id=account) if account is not None else Q(author__isnull=True, author_name=name)


def _change(revision: Revision, properties: list[str]) -> dict:
    page = revision.page
    item = {"type": "new" if revision.parent_id is None else "edit"}
    if "title" in properties:
        item.update(ns=namespace_number(page), title=page.title)
    if "ids" in properties:
        item.update(pageid=page.pk, revid=revision.pk, old_revid=revision.parent_id or 0, rcid=revision.pk)
    revision_fields(item, revision, properties)
    if "flags" in properties:
        item.update(new=revision.parent_id is None, minor=revision.minor, bot=False)
    if "sizes" in properties:
        item.update(oldlen=revision.parent.size if revision.parent_id else 0, newlen=revision.size)
    if "redirect" in properties and page.redirect_to:
        item["redirect"] = True
    if "sha1" in properties:
        item["sha1"] = revision.sha1
    if "tags" in properties:
        item["tags"] = []
    return item


UC_PROPERTIES = (
    "ids",
    "title",
    "timestamp",
    "comment",
    "parsedcomment",
    "size",
    "sizediff",
    "flags",
    "patrolled",
    "tags",
)
UC_SHOW = (
    "minor",
    "!minor",
    "top",
    "!top",
    "new",
    "!new",
    "patrolled",
    "!patrolled",
    "autopatrolled",
    "!autopatrolled",
)


def usercontribs(ctx, prefix: str) -> ListResult:
    params = ctx.params
    limit = params.limit(prefix + "limit", "usercontribs")
    names = params.multi(prefix + "user")
    if not names and not params.get(prefix + "userids"):
        raise ApiError(
            "missingparam", f'One of the parameters "{prefix}user", "{prefix}userids" is required.'
        )
    ids = [parse_integer(prefix + "userids", raw, 1) for raw in params.multi(prefix + "userids")]
    users = User.objects.filter(Q(username__in=names) | Q(pk__in=ids)).values_list("pk", flat=True)
    properties = params.multi(prefix + "prop", "usercontribs")
    revisions = _revisions(ctx, prefix, "usercontribs").filter(author_id__in=list(users))
    revisions = _apply_show(revisions, params.multi(prefix + "show", "usercontribs"))
    shown, after = page_of(list(revisions[: limit + 1]), limit)
    items = [_contribution(revision, properties) for revision in shown]
    return ListResult(items, {prefix + "continue": _continue_key(after)} if after else {})


def _contribution(revision: Revision, properties: list[str]) -> dict:
    page = revision.page
    item = {"userid": revision.author_id, "user": revision.author_name}
    if "ids" in properties:
        item.update(pageid=page.pk, revid=revision.pk, parentid=revision.parent_id or 0)
    if "title" in properties:
        item.update(ns=namespace_number(page), title=page.title)
    revision_fields(item, revision, [p for p in properties if p != "user"])
    if "flags" in properties:
        item.update(new=revision.parent_id is None, minor=revision.minor, top=page.latest_id == revision.pk)
    if "size" in properties:
        item["size"] = revision.size
    if "sizediff" in properties:
        item["sizediff"] = revision.size - (revision.parent.size if revision.parent_id else 0)
    if "tags" in properties:
        item["tags"] = []
    return item


# --- What each module takes, without its prefix (rc, uc; grc as a generator).

CHANGES_PARAMETERS = (
    Param("start", "timestamp"),
    Param("end", "timestamp"),
    Param("dir", ("newer", "older"), default="older"),
    Param("namespace", "namespace", multi=True),
    Param("continue"),
    Param("limit", "limit", default="10", max=MAX_LIMIT),
)
RECENTCHANGES_PARAMETERS = (
    *CHANGES_PARAMETERS,
    Param("user", "user"),
    Param("excludeuser", "user"),
    Param("prop", RC_PROPERTIES, "title|timestamp|ids", multi=True),
    Param("show", RC_SHOW, multi=True),
    Param("type", ("edit", "new", "log", "external", "categorize"), "edit|new|log|categorize", multi=True),
    Param("toponly", "boolean"),
)
USERCONTRIBS_PARAMETERS = (
    *CHANGES_PARAMETERS,
    Param("user", "user", multi=True),
    Param("userids", "integer", multi=True),
    Param("prop", UC_PROPERTIES, "ids|title|timestamp|comment|size|flags", multi=True),
    Param("show", UC_SHOW, multi=True),
)
