"""A page, its history, diffs between its revisions and its backlinks.

Titles may contain "/" (subpages), so the title is an `anypath` parameter (converters.py: any text, line
breaks too). An address must never mean two things, so the title is always the last part of it:

- /api/v1/pages/{title}: read (GET) and save (PUT) the page;
- /api/v1/history/{title}, /api/v1/diff/{title}, /api/v1/backlinks/{title}: its views;
- GET /api/v1/pages?title=…: the page, for any title.

The views' first addresses, /api/v1/pages/{title}/history (/diff, /backlinks), keep their meaning for the
clients that use them, and are deprecated: GET /api/v1/pages/Foo/history is always the history of "Foo".
The meaning of an address never depends on which pages exist, so a client never gets a different answer
shape because someone created a page; the page "Foo/history" is read at GET /api/v1/pages?title=Foo/history
and saved with PUT /api/v1/pages/Foo/history (those addresses never answered PUT), its history is
/api/v1/history/Foo/history.
"""

from django.http import Http404
from ninja import Query, Router, Status

from districtwiki.wiki import access, actions, diffs, markup, sqlrows
from districtwiki.wiki.models import Page, PageLink, Revision

from ..auth import WRITERS
from ..schemas import (
    COMMON_ERRORS,
    MAX_OFFSET,
    Backlinks,
    Conflict,
    Diff,
    Error,
    History,
    PageEdit,
    PageOut,
    RevisionInfo,
    RevisionSummary,
    SavedPage,
)

router = Router(tags=["pages"])

READ_ERRORS = {**COMMON_ERRORS, 404: Error}
SUMMARY_FIELDS = ("id", "parent_id", "timestamp", "author_name", "summary", "minor", "size")


def revision_of(page: Page, revision_id: int) -> Revision:
    revision = Revision.objects.filter(pk=revision_id, page=page).first()
    if revision is None:
        raise Http404(f"Revision {revision_id} is not a revision of “{page.title}”.")
    return revision


def resolved_html(revision: Revision) -> str:
    """The stored HTML with red and blue links decided now, in one query (a plain one: every save answers
    with its page, and building the ORM's query cost more than running it)."""
    targets = markup.link_targets(revision.html)
    if not targets:
        return revision.html
    return markup.resolve_links(revision.html, sqlrows.live_titles(targets))


def page_body(page: Page, revision: Revision) -> dict:
    return {
        "title": page.title,
        "revision": RevisionInfo.of(revision),
        "content": revision.text,
        "html": resolved_html(revision),
    }


def revision_summary(revision: Revision) -> RevisionSummary:
    return RevisionSummary(
        id=revision.pk,
        parent_id=revision.parent_id,
        timestamp=revision.timestamp,
        author=revision.author_name,
        summary=revision.summary,
        minor=revision.minor,
        size=revision.size,
    )


def unified_diff(title: str, old: Revision, new: Revision) -> str:
    old_label, new_label = f"{title} (revision {old.pk})", f"{title} (revision {new.pk})"
    return diffs.unified_diff(old.text, new.text, old_label, new_label)


# --- A page's views, at addresses whose title is the whole rest of the path (any title, subpages named
# "history", "diff" or "backlinks" included): mounted at /api/v1/ by api.py.

views_router = Router(tags=["pages"])


@views_router.get("/history/{anypath:title}", response={200: History, **READ_ERRORS})
def page_history(
    request,
    title: str,
    limit: int = Query(50, ge=1, le=100),
    before: int | None = Query(None, description="Only revisions older than this revision id."),
):
    """Revisions of a page, newest first, `limit` at a time."""
    page = access.get_page(title)
    revisions = Revision.objects.for_page(page).only(*SUMMARY_FIELDS)
    if before is not None:
        revisions = revisions.filter(pk__lt=before)
    batch = list(revisions[: limit + 1])
    more = len(batch) > limit
    batch = batch[:limit]
    return {
        "title": page.title,
        "revisions": [revision_summary(revision) for revision in batch],
        "next_before": batch[-1].pk if more else None,
    }


@views_router.get("/diff/{anypath:title}", response={200: Diff, **READ_ERRORS}, by_alias=True)
def page_diff(
    request,
    title: str,
    from_revision: int = Query(..., alias="from"),
    to_revision: int = Query(..., alias="to"),
):
    """Unified diff between two revisions of the same page."""
    page = access.get_page(title)
    old, new = revision_of(page, from_revision), revision_of(page, to_revision)
    return Diff(**{"from": old.pk, "to": new.pk, "diff": unified_diff(page.title, old, new)})


@views_router.get("/backlinks/{anypath:title}", response={200: Backlinks, **READ_ERRORS})
def page_backlinks(
    request,
    title: str,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Titles of live pages whose current revision links to this page."""
    page = access.get_page(title)
    sources = (
        PageLink.objects.filter(target=page.title, source__deleted_at__isnull=True)
        .order_by("source__title")
        .values_list("source__title", flat=True)
    )
    return {"title": page.title, "backlinks": list(sources[offset : offset + limit])}


# --- /api/v1/pages/…

# The old addresses of the views, kept with their meaning (GET /pages/Foo/history is Foo's history, never the
# page "Foo/history") and deprecated: registered before the page's own route, which Django would otherwise
# match first. Their saves have no old meaning, so PUT /pages/Foo/history saves the page "Foo/history".
SUCCESSOR = "Deprecated: the same as GET /api/v1/{view}/{{title}}, which works for every title."


@router.get(
    "/{anypath:title}/history",
    response={200: History, **READ_ERRORS},
    deprecated=True,
    description=SUCCESSOR.format(view="history"),
)
def old_page_history(
    request,
    title: str,
    limit: int = Query(50, ge=1, le=100),
    before: int | None = Query(None, description="Only revisions older than this revision id."),
):
    """Revisions of a page (old address)."""
    return page_history(request, title, limit, before)


@router.get(
    "/{anypath:title}/diff",
    response={200: Diff, **READ_ERRORS},
    by_alias=True,
    deprecated=True,
    description=SUCCESSOR.format(view="diff"),
)
def old_page_diff(
    request,
    title: str,
    from_revision: int = Query(..., alias="from"),
    to_revision: int = Query(..., alias="to"),
):
    """Unified diff between two revisions (old address)."""
    return page_diff(request, title, from_revision, to_revision)


@router.get(
    "/{anypath:title}/backlinks",
    response={200: Backlinks, **READ_ERRORS},
    deprecated=True,
    description=SUCCESSOR.format(view="backlinks"),
)
def old_page_backlinks(
    request,
    title: str,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Titles of pages linking to this page (old address)."""
    return page_backlinks(request, title, limit, offset)


@router.get("", response={200: PageOut, **READ_ERRORS})
def get_page_by_query(
    request,
    title: str = Query(..., description="The page's title: any title, those ending in /history included."),
    revision: int | None = Query(None, description="An older revision id."),
):
    """A page's current revision (or an older one with ?revision=), named in the query: the address that
    reads every page, including a subpage whose last part is `history`, `diff` or `backlinks`."""
    return get_page(request, title, revision)


@router.get("/{anypath:title}", response={200: PageOut, **READ_ERRORS})
def get_page(request, title: str, revision: int | None = Query(None, description="An older revision id.")):
    """A page's current revision (or an older one with ?revision=). A title ending in /history, /diff or
    /backlinks is read with GET /api/v1/pages?title= (this address means the old view of its parent)."""
    page = access.get_page(title)
    shown = page.latest if revision is None else revision_of(page, revision)
    return page_body(page, shown)


SAVE_RESPONSES = {
    **COMMON_ERRORS,
    200: SavedPage,
    201: SavedPage,
    403: Error,
    409: Conflict,
    413: Error,
    429: Error,
}


@router.put("/{anypath:title}", response=SAVE_RESPONSES, auth=WRITERS)
def save_page(request, title: str, edit: PageEdit):
    """Save a new revision. 201 when the page was created; 200 with `changed: false` when the text is the
    same as the current revision (nothing saved); 409 when the edit overlaps one saved since base_revision."""
    try:
        result = actions.save_revision(
            title, edit.content, request.auth, edit.base_revision, edit.summary, edit.minor
        )
    except actions.NoChange:
        page = access.get_page(title)
        return Status(200, {**page_body(page, page.latest), "changed": False, "merged_with": None})
    merged_with = result.merged_with.pk if result.merged_with else None
    body = {**page_body(result.page, result.revision), "changed": True, "merged_with": merged_with}
    return Status(201 if result.created else 200, body)


def save_subpage(view: str):
    """PUT /pages/Foo/<view> saves the page "Foo/<view>": the old view addresses answer only GET, so this
    is what the documented PUT /pages/{title} promises."""

    def save(request, title: str, edit: PageEdit):
        return save_page(request, f"{title}/{view}", edit)

    save.__name__ = f"save_{view}_subpage"
    router.put(f"/{{anypath:title}}/{view}", response=SAVE_RESPONSES, auth=WRITERS, include_in_schema=False)(
        save
    )


for _view in ("history", "diff", "backlinks"):
    save_subpage(_view)
