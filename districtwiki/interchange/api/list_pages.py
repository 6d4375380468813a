"""list=allpages, list=categorymembers, list=backlinks and list=search (each also a generator)."""

from django.db.models import Q

from districtwiki.wiki import search as wiki_search
from districtwiki.wiki.models import CategoryMembership, Page, PageLink
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from .errors import ApiError
from .listing import (
    MAX_LIMIT,
    ListResult,
    bare_name,
    namespace_param,
    namespaces_param,
    page_of,
    title_in_namespace,
    title_param,
)
from .pageset import namespace_number, page_entry
from .params import Param, format_timestamp

DIRECTIONS = ("ascending", "descending")


def _ordered(pages, field: str, direction: str, start: str | None, end: str | None):
    """Keyset order on a title column: `start` is where this page of results begins (inclusive)."""
    ascending = direction in ("ascending", "asc", "newer")
    if start is not None:
        pages = pages.filter(**{f"{field}__gte" if ascending else f"{field}__lte": start})
    if end is not None:
        pages = pages.filter(**{f"{field}__lte" if ascending else f"{field}__gte": end})
    return pages.order_by(field if ascending else f"-{field}")


def allpages(ctx, prefix: str) -> ListResult:
    params = ctx.params
    namespace = namespace_param(ctx, prefix + "namespace")
    limit = params.limit(prefix + "limit", "allpages")
    direction = params.choice(prefix + "dir")
    redirects = params.choice(prefix + "filterredir")
    start = params.get(prefix + "continue") or params.get(prefix + "from")
    end, starts_with = params.get(prefix + "to"), params.get(prefix + "prefix")
    pages = Page.objects.live().filter(namespace=namespace)
    languages = params.choice(prefix + "filterlanglinks")
    if languages == "withlanglinks":
        pages = pages.none()  # no page here has language links
    if redirects != "all":
        pages = pages.exclude(redirect_to="") if redirects == "redirects" else pages.filter(redirect_to="")
    if starts_with:
        pages = pages.filter(title__startswith=title_in_namespace(namespace, starts_with))
    pages = _ordered(
        pages,
        "title",
        direction,
        title_in_namespace(namespace, start) if start else None,
        title_in_namespace(namespace, end) if end else None,
    )
    shown, after = page_of(list(pages.only("pk", "title", "namespace")[: limit + 1]), limit)
    continuation = {prefix + "continue": bare_name(after.title)} if after else {}
    return ListResult([page_entry(page) for page in shown], continuation)


def categorymembers(ctx, prefix: str) -> ListResult:
    params = ctx.params
    category = _category_name(ctx, prefix)
    limit = params.limit(prefix + "limit", "categorymembers")
    direction = params.choice(prefix + "dir")
    params.choice(prefix + "sort")
    kinds = params.multi(prefix + "type", "categorymembers")
    wanted = {"page": "", "subcat": "Category", "file": "File"}
    namespaces = namespaces_param(ctx, prefix + "namespace", "categorymembers")
    allowed = [wanted[kind] for kind in kinds if namespaces is None or wanted[kind] in namespaces]
    properties = params.multi(prefix + "prop", "categorymembers")
    members = CategoryMembership.objects.filter(
        category=category, page__deleted_at__isnull=True, page__namespace__in=allowed
    ).select_related("page")
    members = _ordered(
        members,
        "page__title",
        direction,
        params.get(prefix + "continue"),
        None,
    )
    shown, after = page_of(list(members[: limit + 1]), limit)
    continuation = {prefix + "continue": after.page.title} if after else {}
    return ListResult([_member(m.page, properties) for m in shown], continuation)


def _category_name(ctx, prefix: str) -> str:
    pageid = ctx.params.integer(prefix + "pageid")
    if pageid is not None:
        page = Page.objects.live().filter(pk=pageid, namespace="Category").first()
        if page is None:
            raise ApiError("nosuchpageid", f"There is no category page with ID {pageid}.")
        return bare_name(page.title)
    title = title_param(ctx, prefix + "title")
    if namespace_number(title) != 14:
        raise ApiError(
            "invalidcategory", f"“{title}” is not a category title: it must start with “Category:”."
        )
    return bare_name(title)


def _member(page: Page, properties: list[str]) -> dict:
    item = {"ns": namespace_number(page), "title": page.title}
    if "ids" in properties:
        item["pageid"] = page.pk
    if "sortkeyprefix" in properties:
        item["sortkeyprefix"] = ""
    if "type" in properties:
        item["type"] = {"Category": "subcat", "File": "file"}.get(page.namespace, "page")
    if "timestamp" in properties:
        item["timestamp"] = format_timestamp(page.touched_at)
    return item


def backlinks(ctx, prefix: str) -> ListResult:
    params = ctx.params
    target = _backlink_target(ctx, prefix)
    limit = params.limit(prefix + "limit", "backlinks")
    direction = params.choice(prefix + "dir")
    redirects = params.choice(prefix + "filterredir")
    namespaces = namespaces_param(ctx, prefix + "namespace", "backlinks")
    sources = Page.objects.live().filter(pk__in=PageLink.objects.filter(target=target).values("source_id"))
    if namespaces is not None:
        sources = sources.filter(namespace__in=namespaces)
    if redirects != "all":
        sources = (
            sources.exclude(redirect_to="") if redirects == "redirects" else sources.filter(redirect_to="")
        )
    sources = _ordered(sources, "title", direction, params.get(prefix + "continue"), None)
    shown, after = page_of(list(sources.only("pk", "title", "namespace", "redirect_to")[: limit + 1]), limit)
    items = [
        {**page_entry(page), "redirect": page.is_redirect} if page.is_redirect else page_entry(page)
        for page in shown
    ]
    return ListResult(items, {prefix + "continue": after.title} if after else {})


def _backlink_target(ctx, prefix: str) -> str:
    pageid = ctx.params.integer(prefix + "pageid")
    if pageid is None:
        return title_param(ctx, prefix + "title")
    page = Page.objects.live().filter(pk=pageid).first()
    if page is None:
        raise ApiError("nosuchpageid", f"There is no page with ID {pageid}.")
    return page.title


MAX_SEARCH_OFFSET = 10_000  # as MediaWiki's CirrusSearch: deeper pages cost more than anyone reads
WORDCOUNT_LIMIT = 50  # a word count reads each page's text


def search(ctx, prefix: str) -> ListResult:
    params = ctx.params
    query = params.text(prefix + "search").strip()
    if not query:
        raise ApiError("missingparam", f'The "{prefix}search" parameter must be set.')
    what = params.choice(prefix + "what")
    properties = params.multi(prefix + "prop", "search")
    maximum = WORDCOUNT_LIMIT if "wordcount" in properties else MAX_LIMIT
    limit = params.limit(prefix + "limit", "search", maximum)
    offset = params.integer(prefix + "offset", 0) or 0
    if offset + limit > MAX_SEARCH_OFFSET:
        raise ApiError(
            "badvalue", f"Search results can be paged up to {MAX_SEARCH_OFFSET}; narrow the search instead."
        )
    namespaces = namespaces_param(ctx, prefix + "namespace", "search")
    info = params.multi(prefix + "info", "search")
    if what == "nearmatch":
        return _near_match(query)
    results = wiki_search.search_pages(query, limit=limit + 1, offset=offset)
    hits, after = page_of(results.hits, limit)
    pages = Page.objects.select_related("latest").in_bulk([hit.page_id for hit in hits])
    items = [_hit(hit, pages.get(hit.page_id), properties) for hit in hits]
    items = [item for item in items if namespaces is None or item["_namespace"] in namespaces]
    for item in items:
        del item["_namespace"]
    continuation = {prefix + "offset": str(offset + limit)} if after else {}
    return ListResult(items, continuation, search_info(results) if "totalhits" in info else {})


def search_info(results) -> dict:
    """searchinfo's totalhits; an estimated total (a huge result set) also says so, as totalhitsestimated."""
    if results.total_is_estimate:
        return {"totalhits": results.total, "totalhitsestimated": True}
    return {"totalhits": results.total}


SEARCH_PROPERTIES = (
    "size",
    "wordcount",
    "timestamp",
    "snippet",
    "titlesnippet",
    "redirecttitle",
    "sectiontitle",
    "categorysnippet",
    "isfilematch",
    "score",
    "hasrelated",
    "extensiondata",
)


def _hit(hit, page, properties: list[str]) -> dict:
    item = {"ns": namespace_number(hit.title), "title": hit.title, "pageid": hit.page_id}
    item["_namespace"] = page.namespace if page else ""
    latest = page.latest if page else None
    if "size" in properties and latest:
        item["size"] = latest.size
    if "wordcount" in properties and latest:
        item["wordcount"] = len(latest.text.split())
    if "timestamp" in properties and latest:
        item["timestamp"] = format_timestamp(latest.timestamp)
    if "snippet" in properties:
        item["snippet"] = hit.snippet.replace("<mark>", '<span class="searchmatch">').replace(
            "</mark>", "</span>"
        )
    if "titlesnippet" in properties:
        item["titlesnippet"] = ""
    return item


def _near_match(query: str) -> ListResult:
    try:
        title = normalize_title(query)
    except InvalidTitle:
        return ListResult([])
    page = Page.objects.live().filter(Q(title=title)).first()
    return ListResult([page_entry(page)] if page else [])


# --- What each module takes, without its prefix (ap, cm, bl, sr; with a "g" before it as a generator).

REDIRECT_FILTERS = ("all", "redirects", "nonredirects")
ALLPAGES_PARAMETERS = (
    Param("from"),
    Param("continue"),
    Param("to"),
    Param("prefix"),
    Param("namespace", "namespace", default="0"),
    Param("filterredir", REDIRECT_FILTERS, default="all"),
    Param("filterlanglinks", ("all", "withlanglinks", "withoutlanglinks"), default="all"),
    Param("limit", "limit", default="10", max=MAX_LIMIT),
    Param("dir", DIRECTIONS, default="ascending"),
)
CATEGORYMEMBERS_PARAMETERS = (
    Param("title"),
    Param("pageid", "integer"),
    Param("prop", ("ids", "title", "sortkey", "sortkeyprefix", "type", "timestamp"), "ids|title", multi=True),
    Param("namespace", "namespace", multi=True),
    Param("type", ("page", "subcat", "file"), "page|subcat|file", multi=True),
    Param("continue"),
    Param("limit", "limit", default="10", max=MAX_LIMIT),
    Param("sort", ("sortkey",), default="sortkey"),
    Param("dir", ("asc", "desc", "ascending", "descending", "newer", "older"), default="ascending"),
)
BACKLINKS_PARAMETERS = (
    Param("title"),
    Param("pageid", "integer"),
    Param("continue"),
    Param("namespace", "namespace", multi=True),
    Param("dir", DIRECTIONS, default="ascending"),
    Param("filterredir", REDIRECT_FILTERS, default="all"),
    Param("limit", "limit", default="10", max=MAX_LIMIT),
)
SEARCH_PARAMETERS = (
    Param("search", required=True),
    Param("namespace", "namespace", default="0", multi=True),
    Param("what", ("text", "title", "nearmatch"), default="text"),
    Param("info", ("totalhits", "suggestion", "rewrittenquery"), "totalhits", multi=True),
    Param("prop", SEARCH_PROPERTIES, "size|wordcount|timestamp|snippet", multi=True),
    Param("offset", "integer", default="0"),
    Param("limit", "limit", default="10", max=MAX_LIMIT),
)
