"""action=query: the page set (titles, pageids, revids or a generator), its prop modules, list modules and
meta modules, and MediaWiki's `continue` object that lets a client page through all of them."""

from . import list_changes, list_pages, meta, pageset, props
from .errors import ApiError, bad_value

LISTS = {
    "allpages": (list_pages.allpages, "ap"),
    "categorymembers": (list_pages.categorymembers, "cm"),
    "backlinks": (list_pages.backlinks, "bl"),
    "search": (list_pages.search, "sr"),
    "recentchanges": (list_changes.recentchanges, "rc"),
    "usercontribs": (list_changes.usercontribs, "uc"),
}
LIST_GENERATORS = ("allpages", "categorymembers", "backlinks", "search", "recentchanges")
PROP_GENERATORS = {"categories": (props.categories, "cl"), "links": (props.links, "pl")}
PROPS = {
    "info": props.info,
    "revisions": props.revisions,
    "categories": props.categories,
    "links": props.links,
}
# Asked for by common clients (mwclient's generators ask for imageinfo); they add nothing to our pages.
QUIET_PROPS = ("imageinfo", "pageprops")
META = {"siteinfo": meta.siteinfo, "userinfo": meta.userinfo, "tokens": meta.token_values}
PAGE_SOURCES = ("titles", "pageids", "revids", "generator")


def run(ctx) -> dict:
    params = ctx.params
    metas = params.multi("meta", tuple(META), "query")
    lists = params.multi("list", tuple(LISTS), "query")
    asked_props = params.multi("prop", (*PROPS, *QUIET_PROPS), "query")
    prop_names = [name for name in asked_props if name in PROPS]
    if "imageinfo" in asked_props:
        params.used.update(name for name in params.values if name.startswith("ii"))
    query: dict = {}
    prop_continuation: dict[str, str] = {}
    list_continuation: dict[str, str] = {}
    pages, generator_continuation = _page_set(ctx)
    if pages is not None:
        for name in prop_names:
            PROPS[name](ctx, pages, prop_continuation)
        _page_output(ctx, pages, query)
    resuming = bool(params.values.get("continue"))
    for name in lists:
        function, prefix = LISTS[name]
        if resuming and not _has_continue(params, prefix):
            continue  # finished in an earlier request of this continuation
        result = function(ctx, prefix)
        query[name] = result.items
        list_continuation.update(result.continuation)
        if result.info:
            query[name + "info"] = result.info
    for name in metas:
        answer = META[name](ctx)
        query.update(answer if name == "siteinfo" else {name: answer})
    return _assemble(query, prop_continuation, list_continuation, generator_continuation)


def _has_continue(params, prefix: str) -> bool:
    return any(name in params.values for name in (prefix + "continue", prefix + "offset"))


def _page_set(ctx):
    params = ctx.params
    given = [name for name in PAGE_SOURCES if params.values.get(name)]
    if params.values.get("generator") in PROP_GENERATORS:
        given = ["generator"]  # it reads titles, pageids or revids itself: the pages whose links it lists
    if len(given) > 1:
        quoted = ", ".join(f'"{name}"' for name in given)
        raise ApiError("invalidparammix", f"The parameters {quoted} can not be used together.")
    follow = params.has("redirects")
    if not given:
        return None, {}
    source = given[0]
    if source == "generator":
        return _generate(ctx, follow)
    values = params.multi(source)
    if source == "titles":
        return pageset.from_titles(values, follow), {}
    if source == "pageids":
        return pageset.from_pageids(values, follow), {}
    return pageset.from_revids(values), {}


def _generate(ctx, follow: bool):
    name = ctx.params.get("generator")
    continuation: dict[str, str] = {}
    if name in LIST_GENERATORS:
        function, prefix = LISTS[name]
        result = function(ctx, "g" + prefix)
        return pageset.from_generator(result.titles, follow), result.continuation
    if name in PROP_GENERATORS:
        function, prefix = PROP_GENERATORS[name]
        source = _source_for_prop_generator(ctx)
        titles = function(ctx, source, continuation, "g" + prefix)
        return pageset.from_generator(titles, follow), continuation
    raise bad_value("generator", name or "")


def _source_for_prop_generator(ctx):
    params = ctx.params
    if params.values.get("pageids"):
        return pageset.from_pageids(params.multi("pageids"), params.has("redirects"))
    if params.values.get("revids"):
        return pageset.from_revids(params.multi("revids"))
    return pageset.from_titles(params.multi("titles"), params.has("redirects"))


def _page_output(ctx, pages, query: dict) -> None:
    if pages.normalized:
        query["normalized"] = pages.normalized
    if pages.redirects:
        query["redirects"] = pages.redirects
    if pages.bad_revids:
        missing = [{"revid": revid, "missing": True} for revid in pages.bad_revids]
        query["badrevids"] = missing if ctx.formatversion == 2 else {str(m["revid"]): m for m in missing}
    output = pages.output(ctx.formatversion)
    if ctx.params.has("indexpageids") and ctx.formatversion == 1:
        query["pageids"] = list(output)
    if pages.entries:
        query["pages"] = output


def _assemble(
    query: dict, prop_continuation: dict, list_continuation: dict, generator_continuation: dict
) -> dict:
    """While a prop module has more for this batch of pages, the generator stays where it is (the client
    keeps its old generator key), as in MediaWiki; only then does the generator move on."""
    result: dict = {}
    continuation = {**list_continuation, **prop_continuation}
    if not prop_continuation:
        result["batchcomplete"] = True
        continuation.update(generator_continuation)
        marker = next(iter(generator_continuation), "-")
    else:
        marker = "||"
    if continuation:
        result["continue"] = {**continuation, "continue": marker if marker == "||" else f"{marker}||"}
    if query:
        result["query"] = query
    return result
