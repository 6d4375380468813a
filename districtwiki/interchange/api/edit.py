"""action=edit through the wiki core's save_revision: the same three-way merge, conflicts, rate limits and
protection as the edit form. `section=new` opens a discussion thread on the page (our talk pages).

The base revision comes from `baserevid`, or from `basetimestamp` (the revision that was current then,
as mwclient sends it); without either, the edit replaces the current text, as in MediaWiki.
"""

import hashlib
from datetime import timedelta

from districtwiki.discussions import actions as discussion_actions
from districtwiki.wiki import actions
from districtwiki.wiki.models import Page, Revision

from .errors import ApiError
from .failures import CORE_ERRORS, translate
from .listing import title_param
from .params import Param, format_timestamp
from .props import CONTENT_MODEL

TALK_PREFIX = "Talk:"


def edit(ctx) -> dict:
    params = ctx.params
    title = _title(ctx)
    _refuse_undo(params)
    if params.text("section") == "new":
        return _new_thread(ctx, title)
    if params.text("section"):
        raise ApiError(
            "nosuchsection", "Editing one section is not supported here: send the whole page text."
        )
    page = Page.objects.select_related("latest").filter(title=title).first()
    live = page if page is not None and not page.is_deleted else None
    if params.has("createonly") and live is not None:
        raise ApiError("articleexists", f"The page “{title}” already exists.")
    if params.has("nocreate") and live is None:
        raise ApiError("missingtitle", f"The page “{title}” does not exist (nocreate was set).")
    text = _new_text(ctx, live)
    base = _base_revision(ctx, live)
    minor, not_minor = params.has("minor"), params.has("notminor")
    minor = minor and not not_minor
    try:
        saved = actions.save_revision(title, text, ctx.user, base, params.text("summary"), minor)
    except actions.NoChange:
        return {"edit": _unchanged(live, title)}
    except CORE_ERRORS as error:
        raise translate(error, page) from None
    return {"edit": _saved(saved)}


def _title(ctx) -> str:
    pageid = ctx.params.integer("pageid")
    if pageid is None:
        return title_param(ctx, "title")
    page = Page.objects.live().filter(pk=pageid).first()
    if page is None:
        raise ApiError("nosuchpageid", f"There is no page with ID {pageid}.")
    return page.title


def _refuse_undo(params) -> None:
    if params.get("undo"):
        raise ApiError("badvalue", "undo is not supported here: send the text you want (see prop=revisions).")


def _new_text(ctx, page: Page | None) -> str:
    params = ctx.params
    text, append, prepend = params.get("text"), params.get("appendtext"), params.get("prependtext")
    if text is None and append is None and prepend is None:
        raise ApiError(
            "missingparam", 'One of the parameters "text", "appendtext" and "prependtext" is required.'
        )
    if append is not None or prepend is not None:
        current = page.latest.text if page is not None and page.latest else ""
        text = (prepend or "") + current + (append or "")
    md5 = params.get("md5")
    if md5 and hashlib.md5(text.encode()).hexdigest() != md5.lower():
        raise ApiError("badmd5", "The supplied MD5 hash was incorrect.")
    return text


def _base_revision(ctx, page: Page | None) -> int | None:
    params = ctx.params
    baserevid = params.integer("baserevid")
    if baserevid is not None:
        if page is None or not Revision.objects.filter(pk=baserevid, page=page).exists():
            raise ApiError("nosuchrevid", f"There is no revision with ID {baserevid} of this page.")
        return baserevid
    moment = params.timestamp("basetimestamp")
    if page is None:
        return None
    if moment is None or params.get("appendtext") is not None or params.get("prependtext") is not None:
        return page.latest_id
    return _revision_current_at(page, moment)


def _revision_current_at(page: Page, moment) -> int | None:
    """The revision a client read when it says it started from `moment`, a timestamp in whole seconds.

    Several saves may share that second; the earliest of them is the safe choice: a later one the client
    really had is merged again with no conflict, while picking too late a base would silently drop a change.
    """
    revisions = Revision.objects.filter(page=page)
    in_second = revisions.filter(timestamp__gte=moment, timestamp__lt=moment + timedelta(seconds=1))
    found = in_second.order_by("id").values_list("pk", flat=True).first()
    if found is None:
        found = revisions.filter(timestamp__lt=moment).order_by("-id").values_list("pk", flat=True).first()
    return found if found is not None else page.latest_id


def _saved(saved) -> dict:
    result = {
        "result": "Success",
        "pageid": saved.page.pk,
        "title": saved.page.title,
        "contentmodel": CONTENT_MODEL,
        "oldrevid": saved.revision.parent_id or 0,
        "newrevid": saved.revision.pk,
        "newtimestamp": format_timestamp(saved.revision.timestamp),
    }
    if saved.created:
        result["new"] = True
    if saved.merged_with is not None:
        result["merged"] = True  # ours: the edit was merged three-way with a revision saved since its base
    return result


def _unchanged(page: Page | None, title: str) -> dict:
    return {
        "result": "Success",
        "pageid": page.pk if page else 0,
        "title": title,
        "contentmodel": CONTENT_MODEL,
        "nochange": True,
    }


def _new_thread(ctx, title: str) -> dict:
    """section=new: a new thread in the page's discussion. "Talk:X" and "X" both mean X's discussion."""
    params = ctx.params
    subject = params.text("sectiontitle") or params.text("summary")
    body = params.get("text")
    if body is None:
        body = params.text("appendtext")
    subject_page = title.removeprefix(TALK_PREFIX) or title
    page = Page.objects.live().filter(title=subject_page).first()
    if page is None:
        raise ApiError("missingtitle", f"The page “{subject_page}” does not exist, so it has no discussion.")
    try:
        thread = discussion_actions.start_thread(page, subject, body, ctx.user)
    except CORE_ERRORS as error:
        raise translate(error, page) from None
    return {
        "edit": {
            "result": "Success",
            "pageid": page.pk,
            "title": title,
            "contentmodel": CONTENT_MODEL,
            "threadid": thread.pk,
            "threadurl": ctx.request.build_absolute_uri(f"/discussions/{thread.pk}"),
            "newtimestamp": format_timestamp(thread.created_at),
        }
    }


# Parameters clients send that change nothing here (no bot flag, watchlist, tags or content formats).
IGNORED = ("starttimestamp", "watchlist", "contentformat", "contentmodel", "tags", "undoafter")
IGNORED_FLAGS = ("bot", "recreate", "watch", "unwatch")
PARAMETERS = (
    Param("title"),
    Param("pageid", "integer"),
    Param("section"),
    Param("sectiontitle"),
    Param("text", "text"),
    Param("appendtext", "text"),
    Param("prependtext", "text"),
    Param("summary"),
    Param("minor", "boolean"),
    Param("notminor", "boolean"),
    Param("baserevid", "integer"),
    Param("basetimestamp", "timestamp"),
    Param("createonly", "boolean"),
    Param("nocreate", "boolean"),
    Param("md5"),
    Param("undo", "integer"),
    *(Param(name) for name in IGNORED),
    *(Param(name, "boolean") for name in IGNORED_FLAGS),
)
