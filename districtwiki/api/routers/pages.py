"""/api/v1/pages/{title}: read and save a page, its history, diffs between revisions and its backlinks.

Titles may contain "/" (subpages), so the title is an `anypath` parameter (converters.py: any text, line
breaks too) and the sub-resources are registered before the bare page route (Django tries them in order).
A subpage literally named "history", "diff" or "backlinks" is therefore only reachable through its parent's
sub-resource, not through GET /pages/{title}.
"""

from django.http import Http404
from ninja import Query, Router, Status

from districtwiki.wiki import access, actions, diffs, markup
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
    """The stored HTML with red and blue links decided now, in one query."""
    targets = markup.link_targets(revision.html)
    if not targets:
        return revision.html
    existing = set(Page.objects.live().filter(title__in=targets).values_list("title", flat=True))
    return markup.resolve_links(revision.html, existing)


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


@router.get("/{anypath:title}/history", response={200: History, **READ_ERRORS})
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


@router.get("/{anypath:title}/diff", response={200: Diff, **READ_ERRORS}, by_alias=True)
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


@router.get("/{anypath:title}/backlinks", response={200: Backlinks, **READ_ERRORS})
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


@router.get("/{anypath:title}", response={200: PageOut, **READ_ERRORS})
def get_page(request, title: str, revision: int | None = Query(None, description="An older revision id.")):
    """A page's current revision (or an older one with ?revision=)."""
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
