"""/api/v1/recent: the latest revisions across the wiki."""

from typing import Literal

from ninja import Query, Router

from districtwiki.wiki.models import Revision
from districtwiki.wiki.views.special import RECENT_ORDER

from ..schemas import COMMON_ERRORS, RecentChange, RecentChanges

router = Router(tags=["recent changes"])

NAMESPACES = {"main": "", "File": "File", "Category": "Category"}


def recent_change(revision: Revision) -> RecentChange:
    return RecentChange(
        id=revision.pk,
        title=revision.page.title,
        parent_id=revision.parent_id,
        timestamp=revision.timestamp,
        author=revision.author_name,
        summary=revision.summary,
        minor=revision.minor,
        size=revision.size,
    )


@router.get("", response={200: RecentChanges, **COMMON_ERRORS})
def recent_changes(
    request,
    limit: int = Query(50, ge=1, le=100),
    user: str | None = Query(None, description="Only edits by this username."),
    namespace: Literal["main", "File", "Category"] | None = Query(None),
):
    """Revisions of live pages, newest first: by the time of the edit, so that revisions imported from
    another wiki take their place in the past."""
    revisions = (
        Revision.objects.filter(page__deleted_at__isnull=True)
        .select_related("page")
        .defer("text", "html")
        .order_by(*RECENT_ORDER)
    )
    if user:
        revisions = revisions.filter(author_name=user)
    if namespace is not None:
        revisions = revisions.filter(page__namespace=NAMESPACES[namespace])
    return {"changes": [recent_change(revision) for revision in revisions[:limit]]}
