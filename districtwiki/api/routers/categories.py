"""/api/v1/categories: categories with their page counts, and the pages in one category."""

from django.db.models import Count
from django.http import Http404
from ninja import Query, Router

from districtwiki.wiki.models import CategoryMembership, Page
from districtwiki.wiki.titles import namespace_of, normalize_title

from ..schemas import COMMON_ERRORS, MAX_OFFSET, Categories, Category, Error

router = Router(tags=["categories"])


def category_title(name: str) -> str:
    """ "Category:Name" for "Name", "name" or "Category:Name" (InvalidTitle propagates: a 400)."""
    title = normalize_title(name)
    return title if namespace_of(title) == "Category" else normalize_title(f"Category:{name}")


@router.get("", response={200: Categories, **COMMON_ERRORS})
def list_categories(
    request, limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)
):
    """Every category that has at least one live page, with how many."""
    counts = (
        CategoryMembership.objects.filter(page__deleted_at__isnull=True)
        .values("category")
        .annotate(count=Count("id"))
        .order_by("category")
    )
    rows = counts[offset : offset + limit]
    return {"categories": [{"name": row["category"], "count": row["count"]} for row in rows]}


@router.get("/{anypath:name}", response={200: Category, **COMMON_ERRORS, 404: Error})
def get_category(
    request, name: str, limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)
):
    """The live pages in a category, in title order."""
    title = category_title(name)
    category = title.partition(":")[2]
    members = CategoryMembership.objects.filter(category=category, page__deleted_at__isnull=True)
    count = members.count()
    if count == 0 and not Page.objects.live().filter(title=title).exists():
        raise Http404(f"No page is in the category “{category}” and it has no description page.")
    titles = members.order_by("page__title").values_list("page__title", flat=True)
    return {"name": category, "count": count, "members": list(titles[offset : offset + limit])}
