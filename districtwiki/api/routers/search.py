"""/api/v1/search: full-text search over live pages."""

from ninja import Query, Router

from districtwiki.wiki import search

from ..schemas import COMMON_ERRORS, SearchResults

router = Router(tags=["search"])


@router.get("", response={200: SearchResults, **COMMON_ERRORS})
def search_pages(
    request,
    q: str = Query(
        "", description='Words, "phrases" and -exclusions; any text but a NUL character is accepted.'
    ),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=10_000),
):
    """Pages matching `q`, best first; snippets are HTML with the matched words marked."""
    if not q.strip():
        return {"query": q, "total": 0, "hits": []}
    results = search.search_pages(q, limit=limit, offset=offset)
    hits = [{"title": hit.title, "snippet": hit.snippet} for hit in results.hits]
    return {"query": q, "total": results.total, "total_is_estimate": results.total_is_estimate, "hits": hits}
