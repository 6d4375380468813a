"""action=parse: a page's (or a revision's, or a posted Markdown text's) HTML as our renderer makes it:
sanitised by the same allowlist as every page view, with wiki links coloured by whether their pages exist."""

from django.utils.html import escape

from districtwiki import ratelimits
from districtwiki.wiki import actions, markup
from districtwiki.wiki.models import CategoryMembership, Page, PageLink, Revision

from .errors import ApiError
from .failures import CORE_ERRORS, translate
from .listing import title_param
from .pageset import namespace_number
from .params import Param

PROPERTIES = (
    "text",
    "categories",
    "links",
    "revid",
    "displaytitle",
    "sections",
    "langlinks",
    "templates",
    "images",
    "externallinks",
    "iwlinks",
    "properties",
    "parsewarnings",
    "wikitext",
    "headhtml",
    "modules",
    "jsconfigvars",
    "encodedjsconfigvars",
    "indicators",
    "limitreportdata",
    "limitreporthtml",
    "parsetree",
    "subtitle",
)
DEFAULT = (
    "text",
    "langlinks",
    "categories",
    "links",
    "templates",
    "images",
    "externallinks",
    "sections",
    "revid",
    "displaytitle",
    "iwlinks",
    "properties",
    "parsewarnings",
)
ALWAYS_EMPTY = (
    "langlinks",
    "templates",
    "images",
    "externallinks",
    "iwlinks",
    "properties",
    "parsewarnings",
    "sections",
)


def parse(ctx) -> dict:
    params = ctx.params
    properties = params.multi("prop", "parse")
    if params.get("text") is not None:
        return {"parse": _parsed_text(ctx, params.text("text"), properties)}
    page, revision = _source(ctx)
    result: dict = {"title": page.title, "pageid": page.pk}
    if "revid" in properties:
        result["revid"] = revision.pk
    if "displaytitle" in properties:
        result["displaytitle"] = escape(page.title)
    current = revision.pk == page.latest_id
    if "text" in properties:
        result.update(ctx.keyed("text", _resolved(revision.html)))
    if "wikitext" in properties:
        result.update(ctx.keyed("wikitext", revision.text))
    if {"categories", "links"} & set(properties):
        found_links, found_categories = _stored(page) if current else _rendered(ctx, revision.text)
        _add_links(ctx, result, properties, found_links, found_categories)
    _add_empty(result, properties)
    return {"parse": result}


def _source(ctx) -> tuple[Page, Revision]:
    params = ctx.params
    oldid = params.integer("oldid")
    if oldid is not None:
        revision = (
            Revision.objects.select_related("page").filter(pk=oldid, page__deleted_at__isnull=True).first()
        )
        if revision is None:
            raise ApiError("nosuchrevid", f"There is no revision with ID {oldid}.")
        return revision.page, revision
    pageid = params.integer("pageid")
    pages = Page.objects.live().select_related("latest")
    if pageid is not None:
        page = pages.filter(pk=pageid).first()
        missing = f"There is no page with ID {pageid}."
    else:
        title = title_param(ctx, "page")
        page = pages.filter(title=title).first()
        missing = f"The page “{title}” does not exist."
    if page is not None and params.has("redirects") and page.redirect_to:
        page = pages.filter(title=page.redirect_to).first() or page
    if page is None or page.latest is None:
        raise ApiError("missingtitle", missing)
    return page, page.latest


def _resolved(stored_html: str) -> str:
    targets = markup.link_targets(stored_html)
    existing = (
        set(Page.objects.live().filter(title__in=targets).values_list("title", flat=True))
        if targets
        else set()
    )
    return markup.resolve_links(stored_html, existing)


def _stored(page: Page) -> tuple[list[str], list[str]]:
    links = sorted(PageLink.objects.filter(source=page).values_list("target", flat=True))
    categories = list(CategoryMembership.objects.filter(page=page).values_list("category", flat=True))
    return links, categories


def _rendered(ctx, text: str) -> tuple[list[str], list[str]]:
    _charge(ctx, text)
    rendered = markup.render(text)
    return sorted(rendered.links), list(rendered.categories)


def _charge(ctx, text: str) -> None:
    """Rendering costs CPU: posted texts and old revisions count against the preview budget."""
    user = ctx.user
    previewer = f"user:{user.pk}" if ctx.signed_in else f"address:{ratelimits.client_address(ctx.request)}"
    try:
        actions.check_size(text)
        actions.check_preview_budget(previewer, len(text.encode()))
    except CORE_ERRORS as error:
        raise translate(error) from None


def _parsed_text(ctx, text: str, properties: list[str]) -> dict:
    title = title_param(ctx, "title", required=False) or "API"
    _charge(ctx, text)
    try:
        actions.check_text(text)
    except CORE_ERRORS as error:
        raise translate(error) from None
    rendered = markup.render(actions.normalize_text(text))
    result: dict = {"title": title, "pageid": 0}
    if "text" in properties:
        result.update(ctx.keyed("text", _resolved(rendered.html)))
    if "displaytitle" in properties:
        result["displaytitle"] = escape(title)
    _add_links(ctx, result, properties, sorted(rendered.links), list(rendered.categories))
    _add_empty(result, properties)
    return result


def _add_links(ctx, result: dict, properties: list[str], links: list[str], categories: list[str]) -> None:
    name_key = "category" if ctx.formatversion == 2 else "*"
    title_key = "title" if ctx.formatversion == 2 else "*"
    if "categories" in properties:
        result["categories"] = [{"sortkey": "", name_key: name} for name in categories]
    if "links" in properties:
        existing = set(Page.objects.live().filter(title__in=links).values_list("title", flat=True))
        result["links"] = [{"ns": namespace_number(t), "exists": t in existing, title_key: t} for t in links]


def _add_empty(result: dict, properties: list[str]) -> None:
    for name in ALWAYS_EMPTY:
        if name in properties:
            result[name] = []


IGNORED = (
    "contentmodel", "contentformat", "summary", "section", "disablelimitreport", "disableeditsection",
    "wrapoutputclass", "useskin", "mobileformat",
)  # fmt: skip
PARAMETERS = (
    Param("title"),
    Param("text", "text"),
    Param("page"),
    Param("pageid", "integer"),
    Param("oldid", "integer"),
    Param("redirects", "boolean"),
    Param("prop", PROPERTIES, "|".join(DEFAULT), multi=True),
    *(Param(name) for name in IGNORED),
)
