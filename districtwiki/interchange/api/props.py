"""prop=revisions, prop=info, prop=categories and prop=links, filled into the query's page entries."""

from django.db.models import Q

from districtwiki.wiki.models import LISTED_REVISION_FIELDS, CategoryMembership, Page, PageLink, Revision
from districtwiki.wiki.titles import title_path

from .errors import ApiError
from .listing import MAX_LIMIT, namespaces_param
from .pageset import PageSet, namespace_number
from .params import Param, continue_integer, format_timestamp, split_keyed_continue
from .revision_fields import revision_fields

CONTENT_MODEL = "markdown"
CONTENT_FORMAT = "text/markdown"
CONTENT_LIMIT = 50  # revisions with their text per request, as MediaWiki
PAGES_CONTINUE = (
    "page|"  # rvcontinue through many pages' current revisions; a bare number: one page's history
)

# --- prop=info


PROTECTION_LEVELS = {Page.Protection.TRUSTED: "trusted", Page.Protection.ADMIN: "sysop"}


def info(ctx, pageset: PageSet, continuation: dict) -> None:
    properties = ctx.params.multi("inprop", "info")
    ctx.params.multi("intestactions")
    new_pages = _single_revision_pages(pageset.pages)
    for page in pageset.pages:
        entry = pageset.entry_for(page)
        entry.update(
            contentmodel=CONTENT_MODEL,
            pagelanguage="en",
            pagelanguagehtmlcode="en",
            pagelanguagedir="ltr",
            touched=format_timestamp(page.touched_at),
            lastrevid=page.latest_id or 0,
            length=page.latest.size if page.latest else 0,
        )
        if page.is_redirect:
            entry["redirect"] = True
        if page.pk in new_pages:
            entry["new"] = True
        _info_extras(ctx, entry, page, properties)
    for entry in pageset.entries:
        if entry.get("missing") and "title" in entry:
            entry["contentmodel"] = CONTENT_MODEL
            _info_extras(ctx, entry, None, properties)


def _single_revision_pages(pages: list[Page]) -> set[int]:
    """Pages whose latest revision has no parent: one query for all of them."""
    latest = [page.latest_id for page in pages if page.latest_id]
    return set(Revision.objects.filter(pk__in=latest, parent__isnull=True).values_list("page_id", flat=True))


def _info_extras(ctx, entry: dict, page: Page | None, properties: list[str]) -> None:
    if "protection" in properties:
        level = PROTECTION_LEVELS.get(page.protection) if page else None
        entry["protection"] = (
            [{"type": action, "level": level, "expiry": "infinity"} for action in ("edit", "move")]
            if level
            else []
        )
        entry["restrictiontypes"] = ["edit", "move"] if page else ["create"]
    if "url" in properties:
        path = "/wiki/" + title_path(entry["title"])
        origin = ctx.request.build_absolute_uri("/").rstrip("/")
        entry.update(
            fullurl=origin + path,
            editurl=origin + "/edit/" + title_path(entry["title"]),
            canonicalurl=origin + path,
        )
    if "displaytitle" in properties:
        entry["displaytitle"] = entry["title"]
    if "readable" in properties:
        entry["readable"] = True


# --- prop=revisions

RV_PROPERTIES = (
    "ids",
    "flags",
    "timestamp",
    "user",
    "userid",
    "size",
    "slotsize",
    "sha1",
    "slotsha1",
    "contentmodel",
    "comment",
    "parsedcomment",
    "content",
    "tags",
    "roles",
)
SINGLE_PAGE_PARAMETERS = (
    "rvlimit",
    "rvstartid",
    "rvendid",
    "rvstart",
    "rvend",
    "rvdir",
    "rvuser",
    "rvexcludeuser",
    "rvcontinue",
)


def revisions(ctx, pageset: PageSet, continuation: dict) -> None:
    params = ctx.params
    properties = params.multi("rvprop", "revisions")
    slots = params.multi("rvslots")
    if slots and any(slot not in ("main", "*") for slot in slots):
        raise ApiError(
            "badvalue", 'Unrecognized value for parameter "rvslots": this wiki has only the "main" slot.'
        )
    if params.get("rvsection") not in (None, ""):
        raise ApiError("badvalue", "rvsection is not supported: pages are Markdown; read the whole text.")
    resuming_pages = params.values.get("rvcontinue", "").startswith(PAGES_CONTINUE)
    single = [name for name in SINGLE_PAGE_PARAMETERS if name in params.values]
    if resuming_pages:
        single.remove("rvcontinue")
    if pageset.revids:
        chosen = _asked_revisions(pageset, properties)
    elif single:
        if len(pageset.pages) > 1:
            raise ApiError(
                "multpages",
                f"titles, pageids or a generator gave several pages, but {', '.join(single)} "
                "may only be used with a single page.",
            )
        chosen = _page_history(ctx, pageset, properties, continuation)
    else:
        chosen = _latest_revisions(ctx, pageset, properties, continuation)
    for revision in chosen:
        entry = pageset.by_id[revision.page_id]
        entry.setdefault("revisions", []).append(_revision(ctx, revision, properties, bool(slots)))


def _fields(properties: list[str]) -> list[str]:
    fields = [*LISTED_REVISION_FIELDS, "sha1"]
    return [*fields, "text"] if "content" in properties else fields


def _asked_revisions(pageset: PageSet, properties: list[str]) -> list[Revision]:
    ids = [revid for revids in pageset.revids.values() for revid in revids]
    if "content" in properties and len(ids) > CONTENT_LIMIT:
        raise ApiError(
            "toomanyvalues", f"At most {CONTENT_LIMIT} revisions can be read with their content at once."
        )
    return list(Revision.objects.filter(pk__in=ids).only(*_fields(properties)).order_by("id"))


def _latest_revisions(ctx, pageset: PageSet, properties: list[str], continuation: dict) -> list[Revision]:
    """The current revision of each page; with content, of at most CONTENT_LIMIT pages per request, the rest
    reached through rvcontinue ("page|<page id>", while a generator stays on the same batch of pages)."""
    pages = sorted((page for page in pageset.pages if page.latest_id), key=lambda page: page.pk)
    raw = ctx.params.get("rvcontinue")
    if raw is not None:
        first = continue_integer("rvcontinue", raw.removeprefix(PAGES_CONTINUE))
        pages = [page for page in pages if page.pk >= first]
    if "content" in properties and len(pages) > CONTENT_LIMIT:
        continuation["rvcontinue"] = f"{PAGES_CONTINUE}{pages[CONTENT_LIMIT].pk}"
        pages = pages[:CONTENT_LIMIT]
    ids = [page.latest_id for page in pages]
    return list(Revision.objects.filter(pk__in=ids).only(*_fields(properties)).order_by("page_id"))


def _page_history(ctx, pageset: PageSet, properties: list[str], continuation: dict) -> list[Revision]:
    params = ctx.params
    maximum = CONTENT_LIMIT if "content" in properties else MAX_LIMIT
    limit = params.limit("rvlimit", "revisions", maximum, default=1 if "content" in properties else 10)
    newer = params.choice("rvdir") == "newer"
    if not pageset.pages:
        return []
    history = Revision.objects.filter(page=pageset.pages[0])
    bounds = {
        "rvstartid": ("id__gte", "id__lte"),
        "rvendid": ("id__lte", "id__gte"),
    }
    for name, (if_newer, if_older) in bounds.items():
        value = params.integer(name)
        if value is not None:
            history = history.filter(**{if_newer if newer else if_older: value})
    start, end = params.timestamp("rvstart"), params.timestamp("rvend")
    if start is not None:
        history = history.filter(timestamp__gte=start) if newer else history.filter(timestamp__lte=start)
    if end is not None:
        history = history.filter(timestamp__lte=end) if newer else history.filter(timestamp__gte=end)
    if user := params.get("rvuser"):
        history = history.filter(author_name=user)
    if excluded := params.get("rvexcludeuser"):
        history = history.exclude(author_name=excluded)
    if (raw := params.get("rvcontinue")) is not None:
        revid = continue_integer("rvcontinue", raw)
        history = history.filter(id__gte=revid) if newer else history.filter(id__lte=revid)
    rows = list(history.only(*_fields(properties)).order_by("id" if newer else "-id")[: limit + 1])
    if len(rows) > limit:
        continuation["rvcontinue"] = str(rows[limit].pk)
    return rows[:limit]


def _revision(ctx, revision: Revision, properties: list[str], with_slots: bool) -> dict:
    item: dict = {}
    if "ids" in properties:
        item.update(revid=revision.pk, parentid=revision.parent_id or 0)
    if "flags" in properties:
        item["minor"] = revision.minor
    revision_fields(item, revision, properties)
    if "size" in properties:
        item["size"] = revision.size
    if "sha1" in properties:
        item["sha1"] = revision.sha1
    if "tags" in properties:
        item["tags"] = []
    _content(ctx, item, revision, properties, with_slots)
    return item


def _content(ctx, item: dict, revision: Revision, properties: list[str], with_slots: bool) -> None:
    wanted = [name for name in ("contentmodel", "content", "slotsize", "slotsha1") if name in properties]
    if not wanted:
        return
    slot: dict = {}
    if "slotsize" in properties:
        slot["size"] = revision.size
    if "slotsha1" in properties:
        slot["sha1"] = revision.sha1
    if "contentmodel" in properties or "content" in properties:
        slot["contentmodel"] = CONTENT_MODEL
    if "content" in properties:
        slot["contentformat"] = CONTENT_FORMAT
        slot[ctx.content_key] = revision.text
    if with_slots:
        item["slots"] = {"main": slot}
    else:
        item.update(slot)


# --- prop=categories and prop=links


def categories(ctx, pageset: PageSet, continuation: dict, prefix: str = "cl") -> list[str]:
    """Fill each page's categories; as a generator, the category titles instead."""
    params = ctx.params
    limit = params.limit(prefix + "limit", "categories")
    params.multi(prefix + "prop", "categories")
    wanted = [_category_name(title) for title in params.multi(prefix + "categories")]
    rows = CategoryMembership.objects.filter(page__in=[page.pk for page in pageset.pages])
    if wanted:
        rows = rows.filter(category__in=wanted)
    descending = params.choice(prefix + "dir") == "descending"
    rows = _from_key(rows, prefix, params.get(prefix + "continue"), ("page_id", "category"), descending)
    order = "-category" if descending else "category"
    found = list(rows.order_by("page_id", order).values_list("page_id", "category")[: limit + 1])
    if len(found) > limit:
        continuation[prefix + "continue"] = f"{found[limit][0]}|{found[limit][1]}"
    return _attach(pageset, "categories", [(page_id, f"Category:{name}") for page_id, name in found[:limit]])


def _category_name(title: str) -> str:
    return title.partition(":")[2] if title.startswith("Category:") else title


def links(ctx, pageset: PageSet, continuation: dict, prefix: str = "pl") -> list[str]:
    params = ctx.params
    limit = params.limit(prefix + "limit", "links")
    namespaces = namespaces_param(ctx, prefix + "namespace", "links")
    targets = params.multi(prefix + "titles")
    rows = PageLink.objects.filter(source__in=[page.pk for page in pageset.pages])
    if targets:
        rows = rows.filter(target__in=targets)
    if namespaces is not None:
        rows = rows.filter(_namespace_filter(namespaces))
    descending = params.choice(prefix + "dir") == "descending"
    rows = _from_key(rows, prefix, params.get(prefix + "continue"), ("source_id", "target"), descending)
    order = "-target" if descending else "target"
    found = list(rows.order_by("source_id", order).values_list("source_id", "target")[: limit + 1])
    if len(found) > limit:
        continuation[prefix + "continue"] = f"{found[limit][0]}|{found[limit][1]}"
    return _attach(pageset, "links", found[:limit])


def _namespace_filter(namespaces: list[str]) -> Q:
    """Link targets are titles: their namespace is their prefix."""
    condition = Q()
    for namespace in namespaces:
        if namespace:
            condition |= Q(target__startswith=namespace + ":")
        else:
            condition |= ~(Q(target__startswith="File:") | Q(target__startswith="Category:"))
    return condition


def _from_key(rows, prefix: str, raw: str | None, fields: tuple[str, str], descending: bool):
    """Rows from a `page id|name` key on: pages in id order, names within a page in the asked order."""
    key = split_keyed_continue(prefix + "continue", raw, 2)
    if key is None:
        return rows
    page_field, name_field = fields
    page_id = continue_integer(prefix + "continue", key[0])
    same_page = {page_field: page_id, f"{name_field}__{'lte' if descending else 'gte'}": key[1]}
    return rows.filter(Q(**{f"{page_field}__gt": page_id}) | Q(**same_page))


def _attach(pageset: PageSet, name: str, found: list[tuple[int, str]]) -> list[str]:
    for page_id, title in found:
        pageset.by_id[page_id].setdefault(name, []).append({"ns": namespace_number(title), "title": title})
    return [title for _, title in found]


# --- What each module takes, without its prefix (in, rv, cl, pl; gcl and gpl as generators).

INFO_PARAMETERS = (
    Param(
        "prop",
        (
            "protection", "url", "displaytitle", "talkid", "subjectid", "watched", "notificationtimestamp",
            "preload", "varianttitles", "linkclasses", "associatedpage", "readable",
        ),
        multi=True,
    ),
    Param("testactions", multi=True),
)  # fmt: skip
REVISIONS_PARAMETERS = (
    Param("prop", RV_PROPERTIES, "ids|timestamp|flags|comment|user", multi=True),
    Param("slots", multi=True),  # "main" or "*": this wiki has one slot (checked by revisions())
    Param("limit", "limit", max=MAX_LIMIT),
    Param("section"),
    Param("startid", "integer"),
    Param("endid", "integer"),
    Param("start", "timestamp"),
    Param("end", "timestamp"),
    Param("dir", ("newer", "older"), default="older"),
    Param("user", "user"),
    Param("excludeuser", "user"),
    Param("continue"),
)
DIRECTIONS = ("ascending", "descending")
CATEGORIES_PARAMETERS = (
    Param("prop", ("sortkey", "timestamp", "hidden"), multi=True),
    Param("categories", multi=True),
    Param("continue"),
    Param("limit", "limit", default="10", max=MAX_LIMIT),
    Param("dir", DIRECTIONS, default="ascending"),
)
LINKS_PARAMETERS = (
    Param("namespace", "namespace", multi=True),
    Param("titles", multi=True),
    Param("continue"),
    Param("limit", "limit", default="10", max=MAX_LIMIT),
    Param("dir", DIRECTIONS, default="ascending"),
)
# prop=imageinfo answers nothing (files are pages here); mwclient's generators ask for it with these.
IMAGEINFO_PARAMETERS = (
    Param("prop", multi=True),
    Param("limit", "limit", default="1", max=MAX_LIMIT),
    Param("start", "timestamp"),
    Param("end", "timestamp"),
    Param("urlwidth", "integer"),
    Param("urlheight", "integer"),
    Param("continue"),
)
