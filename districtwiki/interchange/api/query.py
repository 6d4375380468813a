"""action=query: the page set (titles, pageids, revids or a generator), its prop modules, list modules and
meta modules, and MediaWiki's `continue` object that lets a client page through all of them."""

from dataclasses import dataclass

from . import list_changes, list_pages, meta, pageset, props
from .errors import ApiError
from .params import Param


@dataclass(frozen=True)
class Submodule:
    """A prop, list or meta module: how it runs, its parameters' prefix and the parameters themselves."""

    group: str  # "prop", "list" or "meta"
    run: object
    prefix: str
    parameters: tuple[Param, ...]
    generator: bool = False


LISTS = {
    "allpages": Submodule("list", list_pages.allpages, "ap", list_pages.ALLPAGES_PARAMETERS, True),
    "categorymembers": Submodule(
        "list", list_pages.categorymembers, "cm", list_pages.CATEGORYMEMBERS_PARAMETERS, True
    ),
    "backlinks": Submodule("list", list_pages.backlinks, "bl", list_pages.BACKLINKS_PARAMETERS, True),
    "search": Submodule("list", list_pages.search, "sr", list_pages.SEARCH_PARAMETERS, True),
    "recentchanges": Submodule(
        "list", list_changes.recentchanges, "rc", list_changes.RECENTCHANGES_PARAMETERS, True
    ),
    "usercontribs": Submodule("list", list_changes.usercontribs, "uc", list_changes.USERCONTRIBS_PARAMETERS),
}
PROPS = {
    "info": Submodule("prop", props.info, "in", props.INFO_PARAMETERS),
    "revisions": Submodule("prop", props.revisions, "rv", props.REVISIONS_PARAMETERS),
    "categories": Submodule("prop", props.categories, "cl", props.CATEGORIES_PARAMETERS, True),
    "links": Submodule("prop", props.links, "pl", props.LINKS_PARAMETERS, True),
    # Asked for by common clients (mwclient's generators ask for imageinfo); they add nothing to our pages.
    "imageinfo": Submodule("prop", None, "ii", props.IMAGEINFO_PARAMETERS),
    "pageprops": Submodule("prop", None, "pp", (Param("prop", multi=True),)),
    "categoryinfo": Submodule("prop", None, "ci", ()),  # pywikibot's page generators ask for it
}
META = {
    "siteinfo": Submodule("meta", meta.siteinfo, "si", meta.SITEINFO_PARAMETERS),
    "userinfo": Submodule("meta", meta.userinfo, "ui", meta.USERINFO_PARAMETERS),
    "tokens": Submodule("meta", meta.token_values, "", meta.TOKENS_PARAMETERS),
}
SUBMODULES = {**PROPS, **LISTS, **META}
GENERATORS = tuple(name for name, module in SUBMODULES.items() if module.generator)
PAGE_SOURCES = ("titles", "pageids", "revids", "generator")
PARAMETERS = (
    Param("prop", tuple(PROPS), multi=True),
    Param("list", tuple(LISTS), multi=True),
    Param("meta", tuple(META), multi=True),
    Param("indexpageids", "boolean"),
    Param("continue"),
    Param("titles", multi=True),
    Param("pageids", "integer", multi=True),
    Param("revids", "integer", multi=True),
    Param("generator", GENERATORS),
    Param("redirects", "boolean"),
)


def run(ctx) -> dict:
    params = ctx.params
    metas = _asked(params, "meta")
    lists = _asked(params, "list")
    prop_names = [name for name in _asked(params, "prop") if PROPS[name].run is not None]
    query: dict = {}
    prop_continuation: dict[str, str] = {}
    list_continuation: dict[str, str] = {}
    pages, generator_continuation = _page_set(ctx)
    if pages is not None:
        for name in prop_names:
            PROPS[name].run(ctx, pages, prop_continuation)
        _page_output(ctx, pages, query)
    resuming = bool(params.values.get("continue"))
    for name in lists:
        module = LISTS[name]
        if resuming and not _has_continue(params, module.prefix):
            continue  # finished in an earlier request of this continuation
        result = module.run(ctx, module.prefix)
        query[name] = result.items
        list_continuation.update(result.continuation)
        if result.info:
            query[name + "info"] = result.info
    for name in metas:
        answer = META[name].run(ctx)
        query.update(answer if name == "siteinfo" else {name: answer})
    return _assemble(query, prop_continuation, list_continuation, generator_continuation)


def _asked(params, group: str) -> list[str]:
    """The modules of `group` the request names, their parameters declared (so read and not unknown)."""
    names = params.multi(group, "query")
    for name in names:
        module = SUBMODULES[name]
        params.declare(module.parameters, module.prefix)
    return names


def _has_continue(params, prefix: str) -> bool:
    return any(name in params.values for name in (prefix + "continue", prefix + "offset"))


def _page_set(ctx):
    params = ctx.params
    given = [name for name in PAGE_SOURCES if params.values.get(name)]
    if params.values.get("generator") in PROPS:
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
    params = ctx.params
    name = params.choice("generator")
    module = SUBMODULES[name]
    params.declare(module.parameters, "g" + module.prefix)
    if module.group == "list":
        result = module.run(ctx, "g" + module.prefix)
        return pageset.from_generator(result.titles, follow), result.continuation
    continuation: dict[str, str] = {}
    source = _source_for_prop_generator(ctx)
    titles = module.run(ctx, source, continuation, "g" + module.prefix)
    return pageset.from_generator(titles, follow), continuation


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


# MediaWiki lets a client without the right to read (signed out of a private wiki) ask for tokens and
# nothing else from action=query: no other module, no page set; the flags below expose nothing.
READ_FREE = ("meta", "indexpageids", "continue")


def reads_nothing(params) -> bool:
    sent = [name for name in params.values if name in {p.name for p in PARAMETERS}]
    return params.values.get("meta") == "tokens" and all(name in READ_FREE for name in sent)
