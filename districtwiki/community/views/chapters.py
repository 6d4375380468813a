"""State chapter pages: the opted-in members of a state, its wiki pages, its board and its own wiki page.

A member is listed when they ticked "list me on my state's chapter page" AND the viewer may see their
state: a member whose state is members-only appears only to signed-in visitors, one whose state is hidden
appears to no one else.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from districtwiki.wiki import access
from districtwiki.wiki.models import CategoryMembership, Page

from .. import contributions, directory, rendering
from ..states import CHAPTER_CODES, STATES, chapter_category
from ..visibility import card_for, visible_q
from .common import paginate, translate_errors

MEMBERS_PER_PAGE = 50


@require_GET
def state_list(request):
    return render(
        request, "community/state_list.html", {"states": sorted(STATES.items(), key=lambda s: s[1])}
    )


@require_GET
@translate_errors
def state_chapter(request, code: str):
    if code.upper() != code and code.upper() in CHAPTER_CODES:
        return redirect(f"/members/state/{code.upper()}", permanent=True)
    if code not in CHAPTER_CODES:
        raise Http404(f"There is no state chapter “{code[:10]}”: use a two-letter code such as NY.")
    viewer = request.user
    title = chapter_category(code)  # the chapter's wiki page has the same name as its category
    page = Page.objects.live().select_related("latest").filter(title=title).first()
    listing = paginate(request, chapter_members(code, viewer), MEMBERS_PER_PAGE)
    context = {
        "code": code,
        "state": STATES[code],
        "title": title,
        "page": page,
        "page_html": mark_safe(rendering.resolved_html(page.latest.html)) if page and page.latest else "",
        "can_edit": access.can_edit(viewer, page),
        "category_pages": category_pages(title),
        "listing": listing,
        "cards": [card_for(profile, viewer) for profile in listing.object_list],
        "threads": board_threads(title) if page else [],
        "signed_in": access.is_signed_in(viewer),
    }
    return render(request, "community/state_chapter.html", context)


def chapter_members(code: str, viewer):
    profiles = directory.listed_profiles().filter(state=code, list_on_state_page=True)
    profiles = profiles.filter(visible_q("state", viewer)).annotate(sort_name=directory.sort_name(viewer))
    return profiles.order_by("sort_name", "user__username")


def category_pages(category: str) -> list[Page]:
    memberships = CategoryMembership.objects.filter(category=category, page__deleted_at__isnull=True)
    return [m.page for m in memberships.select_related("page").order_by("page__title")]


def board_threads(title: str) -> list:
    if not contributions.discussions_installed():
        return []
    from districtwiki.discussions import queries

    return queries.board_threads(title)
