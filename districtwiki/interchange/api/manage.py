"""action=move and action=delete, through the core's move_page and delete_page (trusted members move,
admins delete)."""

from districtwiki.wiki import actions
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from .errors import ApiError
from .failures import CORE_ERRORS, translate
from .listing import title_param
from .params import Param


def _live_page(ctx, title_name: str, id_name: str) -> Page:
    pageid = ctx.params.integer(id_name)
    pages = Page.objects.live().select_related("latest")
    if pageid is not None:
        page = pages.filter(pk=pageid).first()
        if page is None:
            raise ApiError("nosuchpageid", f"There is no page with ID {pageid}.")
        return page
    title = title_param(ctx, title_name)
    page = pages.filter(title=title).first()
    if page is None:
        raise ApiError("missingtitle", f"The page “{title}” does not exist.")
    return page


def move(ctx) -> dict:
    params = ctx.params
    page = _live_page(ctx, "from", "fromid")
    raw_to = params.text("to")
    if not raw_to:
        raise ApiError("missingparam", 'The "to" parameter must be set.')
    try:
        to = normalize_title(raw_to)
    except InvalidTitle as error:
        raise ApiError("invalidtitle", f"Bad title “{raw_to[:100]}”: {error}") from None
    if to == page.title:
        raise ApiError("selfmove", "The title is the same; cannot move a page over itself.")
    reason, leave_redirect = params.text("reason"), not params.has("noredirect")
    if params.has("movesubpages"):
        params.warn("move", "movesubpages is not supported: subpages keep their titles; move each one.")
    old_title = page.title
    try:
        actions.move_page(page, to, ctx.user, reason, leave_redirect)
    except CORE_ERRORS as error:
        raise translate(error, page) from None
    result = {
        "from": old_title,
        "to": to,
        "reason": reason,
        "redirectcreated": leave_redirect,
        "moveoverredirect": False,
    }
    return {"move": result}


def delete(ctx) -> dict:
    params = ctx.params
    page = _live_page(ctx, "title", "pageid")
    reason = params.text("reason")
    try:
        actions.delete_page(page, ctx.user, reason)
    except CORE_ERRORS as error:
        raise translate(error, page) from None
    entry = page.log_entries.order_by("-id").values_list("pk", flat=True).first()
    return {"delete": {"title": page.title, "reason": reason, "logid": entry or 0}}


MOVE_PARAMETERS = (
    Param("from"),
    Param("fromid", "integer"),
    Param("to", required=True),
    Param("reason"),
    Param("noredirect", "boolean"),
    Param("movesubpages", "boolean"),
    *(Param(name, "boolean") for name in ("movetalk", "ignorewarnings", "watch", "unwatch")),
)
DELETE_PARAMETERS = (
    Param("title"),
    Param("pageid", "integer"),
    Param("reason"),
    *(Param(name) for name in ("watch", "unwatch", "oldimage", "watchlist", "deletetalk", "tags")),
)
