"""The home page, role pathways, review-due pages and merging newer starter versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from districtwiki.community.visibility import display_name_for
from districtwiki.errors import error_page
from districtwiki.paging import answer_bad_pages, paginate
from districtwiki.wiki import access, actions, diffs
from districtwiki.wiki.models import Page, PageProperties
from districtwiki.wiki.views.errors import translate_errors

from . import claims, loader, pathways, review
from . import home as home_data
from .models import PathwayStep, StarterPage


def member_profile(user):
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile if profile and profile.role and profile.district_size else None


@require_GET
def home(request):
    today = timezone.localdate()
    profile = member_profile(request.user)
    context = {"profile": profile, **home_data.dashboard(request.user, profile, today)}
    if request.user.is_authenticated:
        context["display_name"] = display_name_for(request.user, request.user)
    return render(request, "content/home.html", context)


@require_GET
def pathway_list(request):
    return render(request, "content/pathway_list.html", {"pathways": pathways.all_pathways()})


def get_pathway(slug: str) -> pathways.Pathway:
    pathway = pathways.get(slug)
    if pathway is None:
        raise Http404(f"There is no pathway called “{slug}”.")
    return pathway


@require_GET
def pathway_detail(request, slug):
    pathway = get_pathway(slug)
    done = set()
    if request.user.is_authenticated:
        done = set(
            PathwayStep.objects.filter(user=request.user, pathway=slug).values_list("title", flat=True)
        )
    steps = [{"step": step, "done": step.title in done} for step in pathway.steps]
    context = {"pathway": pathway, "steps": steps, "done_count": len(done & set(pathway.titles))}
    return render(request, "content/pathway_detail.html", context)


@login_required
@require_POST
def pathway_step(request, slug):
    pathway = get_pathway(slug)
    title = request.POST.get("title", "")
    if title not in pathway.titles:
        return error_page(request, 400, f"“{title[:100]}” is not a step of this pathway.")
    if request.POST.get("done") == "1":
        PathwayStep.objects.get_or_create(user=request.user, pathway=slug, title=title)
    else:
        PathwayStep.objects.filter(user=request.user, pathway=slug, title=title).delete()
    return redirect(f"/pathways/{slug}#step-{pathway.titles.index(title) + 1}")


@require_GET
def review_due(request):
    due = PageProperties.objects.review_due(timezone.localdate()).select_related("page")
    context = {"due": due[:500], "can_review": access.is_trusted(request.user)}
    return render(request, "content/review_due.html", context)


CLAIMS_PAGE_SIZE = 100


@require_GET
@answer_bad_pages
def claims_list(request):
    """The shipped claims ledger for reviewers, oldest check first, optionally one page's or one status's."""
    access.check_trusted(request.user, "see the claims ledger")
    title, status = request.GET.get("page_title", "").strip(), request.GET.get("status", "").strip()
    if status and status not in claims.STATUSES:
        return error_page(
            request, 400, f"“{status[:40]}” is not a claim status; use {', '.join(claims.STATUSES)}."
        )
    rows = [
        claim
        for claim in claims.shipped_claims()
        if (not title or claim.page == title) and (not status or claim.status == status)
    ]
    listing = paginate(request, rows, CLAIMS_PAGE_SIZE)
    context = {
        "listing": listing,
        "rows": claim_rows(listing.object_list),
        "titles": sorted({claim.page for claim in claims.shipped_claims()}),
        "statuses": claims.STATUSES,
        "title": title,
        "status": status,
    }
    return render(request, "content/claims.html", context)


def claim_rows(shown: list) -> list[dict]:
    """Each claim with its wiki page and whether the page still says it (members may have edited it)."""
    pages = {
        page.title: page
        for page in Page.objects.live()
        .filter(title__in={claim.page for claim in shown})
        .select_related("latest")
    }
    rows = []
    for claim in shown:
        page = pages.get(claim.page)
        on_wiki = bool(page and page.latest and claims.still_on(claim, page.latest.text))
        rows.append(
            {"claim": claim, "page": page, "on_wiki": on_wiki, "meaning": claims.STATUSES[claim.status]}
        )
    return rows


@require_POST
@translate_errors
def mark_reviewed(request, title):
    page = access.get_page(title)
    review.mark_reviewed(page, request.user, timezone.localdate())
    messages.success(request, f"Marked “{page.title}” as reviewed today.")
    return redirect(page.get_absolute_url())


@translate_errors
def starter_update(request, title):
    page = access.get_page(title)
    starter = StarterPage.objects.filter(page=page).first()
    if starter is None or not starter.has_update:
        return error_page(request, 404, f"“{page.title}” has no newer starter version waiting.")
    if request.method == "POST":
        return merge_starter(request, page)
    context = {
        "page": page,
        "rows": diffs.diff_rows(page.latest.text, starter.pending_text),
        "can_merge": access.can_edit(request.user, page),
    }
    return render(request, "content/starter_update.html", context)


def merge_starter(request, page):
    access.check_can_edit(request.user, page)
    try:
        loader.merge_update(page, request.user)
    except actions.EditConflict as conflict:
        regions = len(conflict.conflicts)
        return error_page(
            request,
            409,
            f"The newer starter version changes {regions} of the passages people edited here, so it cannot "
            "be merged automatically. Open the editor and copy in what you want from the changes shown.",
        )
    messages.success(request, "Merged the newer starter version into this page.")
    return redirect(page.get_absolute_url())
