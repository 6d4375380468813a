"""Special pages: search, recent changes, the page listings, backlinks, categories, page info and the log.

All are read-only GET views. A bad parameter is a WikiError (400 with a message), an invalid title an
InvalidTitle (400), a missing page an Http404 with a message (templates/404.html shows it).
"""

import random
import re
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from districtwiki.paging import paginate, positive_int, query_url

from .. import markup, people, search
from ..actions import WikiError
from ..models import LISTED_REVISION_FIELDS, CategoryMembership, LogEntry, Page, PageLink, Revision, Watch
from ..title_suggestions import suggest_titles
from ..titles import InvalidTitle, namespace_of, normalize_title, title_path
from .errors import translate_errors

SEARCH_PAGE_SIZE = 20
RECENT_PAGE_SIZE = 50
LIST_PAGE_SIZE = 100
CATEGORY_PAGE_SIZE = 200
LOG_PAGE_SIZE = 50
NAMESPACES = {"main": "", "file": "File", "category": "Category"}


def special_view(view):
    """GET only; typed errors become 400/403 pages with their message."""
    return require_GET(translate_errors(view))


# --- Parameters and paging ------------------------------------------------------------------------------


def live_page(title: str) -> Page:
    page = Page.objects.live().select_related("latest").filter(title=title).first()
    if page is None:
        raise Http404(f"There is no page called “{title}”.")
    return page


# --- Search ---------------------------------------------------------------------------------------------


@special_view
def search_view(request):
    query = request.GET.get("q", "")
    context = {"search_query": query, "query": query.strip()}
    if not query.strip():
        return render(request, "wiki/special/search.html", context)
    title = valid_title(query)
    if title and request.GET.get("fulltext") != "1" and (target := title_match_url(title)):
        return redirect(target)
    number = positive_int(request, "page") or 1
    results = search.search_pages(query, SEARCH_PAGE_SIZE, (number - 1) * SEARCH_PAGE_SIZE)
    has_next = next_page_exists(results, number)
    context.update(
        results=results,
        first_number=(number - 1) * SEARCH_PAGE_SIZE + 1,
        previous_url=query_url(request, page=number - 1) if number > 1 else None,
        next_url=query_url(request, page=number + 1) if has_next else None,
        create_title=title if title and can_create(title) else None,
        page_size=SEARCH_PAGE_SIZE,
        suggestions=search.suggestions_for(query) if not results.total else None,
    )
    return render(request, "wiki/special/search.html", context)


def next_page_exists(results: search.SearchResults, number: int) -> bool:
    """Whether page `number + 1` of these results has any; a page past the last one is a WikiError.

    An estimated total (a huge result set) says nothing exact about the last page: there is a next page
    while this one is full, and a page past the end is one that finds nothing."""
    if results.total_is_estimate:
        if number > 1 and not results.hits:
            raise WikiError(f"There is no page {number} of these results: they end before it.")
        return len(results.hits) == SEARCH_PAGE_SIZE
    last_page = max(1, -(-results.total // SEARCH_PAGE_SIZE))
    if number > last_page:
        raise WikiError(f"There is no page {number} of these results: there are {last_page}.")
    return number < last_page


def valid_title(text: str) -> str | None:
    try:
        return normalize_title(text)
    except InvalidTitle:
        return None


def title_match_url(title: str) -> str | None:
    """Where a search for exactly this title goes: the page, or its redirect's target."""
    page = Page.objects.live().filter(title=title).only("title", "redirect_to").first()
    if page is None:
        return None
    if page.redirect_to and Page.objects.live().filter(title=page.redirect_to).exists():
        return markup.page_url(page.redirect_to)
    return markup.page_url(page.title)


def can_create(title: str) -> bool:
    # A deleted page is restored, not re-created; files are uploaded, not written.
    return namespace_of(title) != "File" and not Page.objects.filter(title=title).exists()


# --- Recent changes -------------------------------------------------------------------------------------


def with_size_changes(revisions):
    """Revisions with their page and their parent's size in the same query (no N+1)."""
    return revisions.select_related("page").annotate(parent_size=F("parent__size")).defer("text", "html")


def size_change(revision) -> int:
    return revision.size - (revision.parent_size or 0)


def recent_filters(request) -> dict:
    filters = {"page__deleted_at__isnull": True}
    if user := request.GET.get("user", "").strip():
        filters["author__username"] = user
    namespace = request.GET.get("namespace", "").strip()
    if namespace:
        if namespace.lower() not in NAMESPACES:
            raise WikiError(f"“{namespace[:40]}” is not a namespace: use main, File or Category.")
        filters["page__namespace"] = NAMESPACES[namespace.lower()]
    if request.GET.get("hideminor") == "1":
        filters["minor"] = False
    return filters


# Newest first by the time each change was made, not by when it was written here: an imported wiki's
# thousands of revisions keep their own (old) times and take their place in the list instead of flooding its
# top. Revisions of the same second come newest written first.
RECENT_ORDER = ("-timestamp", "-id")


def older_than(revisions, before: int | None):
    """The revisions listed after revision `before` in RECENT_ORDER (its time comes from a subquery: no extra
    query for the next page)."""
    if not before:
        return revisions
    moment = Subquery(Revision.objects.filter(pk=before).values("timestamp")[:1])
    return revisions.filter(Q(timestamp__lt=moment) | Q(timestamp=moment, id__lt=before))


@special_view
def recent(request):
    revisions = Revision.objects.filter(**recent_filters(request))
    revisions = older_than(revisions, positive_int(request, "before"))
    revisions = with_size_changes(revisions.order_by(*RECENT_ORDER))
    revisions = revisions.select_related("author", *people.related("author")).only(
        *LISTED_REVISION_FIELDS, "page__id", "page__title", *people.naming_fields("author")
    )
    rows = list(revisions[: RECENT_PAGE_SIZE + 1])
    for revision in rows:
        revision.size_change = size_change(revision)
        revision.page_link = markup.page_url(revision.page.title)
        revision.url_title = revision.page.url_title
        revision.by = people.credit(revision.author, request.user, revision.author_name)
    has_older = len(rows) > RECENT_PAGE_SIZE
    context = {
        "revisions": rows[:RECENT_PAGE_SIZE],
        "older_url": query_url(request, before=rows[RECENT_PAGE_SIZE - 1].pk) if has_older else None,
        "newest_url": query_url(request, before=None) if "before" in request.GET else None,
        "user_filter": request.GET.get("user", "").strip(),
        "namespace_filter": request.GET.get("namespace", "").strip().lower(),
        "hide_minor": request.GET.get("hideminor") == "1",
    }
    return render(request, "wiki/special/recent.html", context)


# --- Listings -------------------------------------------------------------------------------------------


def prefix_param(request) -> str:
    """?prefix= in title form (underscores as spaces, first letter upper-case); trailing `/` allowed."""
    raw = request.GET.get("prefix", "")
    text = re.sub(" +", " ", raw.replace("_", " ")).lstrip()
    if text.strip(" /"):
        normalize_title(text.strip(" /"))  # only to reject characters no title may contain
    return text[:1].upper() + text[1:]


@special_view
def all_pages(request):
    prefix = prefix_param(request)
    pages = Page.objects.live().only("title", "redirect_to")
    if prefix:
        pages = pages.filter(title__startswith=prefix)
    listing = paginate(request, pages.order_by("title"), LIST_PAGE_SIZE)
    return render(request, "wiki/special/all.html", {"listing": listing, "prefix": prefix})


@special_view
def random_page(request):
    articles = Page.objects.articles().filter(namespace="")
    bounds = articles.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return render(request, "wiki/special/random.html")
    # The first article at or after a random id: no ORDER BY RANDOM() sorting the whole table.
    pick = random.randint(bounds["low"], bounds["high"])
    page = articles.filter(id__gte=pick).order_by("id").only("title").first()
    return redirect(markup.page_url(page.title))


def wanted_targets():
    existing = Page.objects.live().filter(title=OuterRef("target"))
    return (
        PageLink.objects.filter(source__deleted_at__isnull=True)
        .filter(~Exists(existing))
        .values("target")
        .annotate(count=Count("source_id"))
        .order_by("-count", "target")
    )


@special_view
def wanted(request):
    listing = paginate(request, wanted_targets(), LIST_PAGE_SIZE)
    for row in listing:
        row["create_url"] = create_url(row["target"])
    return render(request, "wiki/special/wanted.html", {"listing": listing})


def create_url(title: str) -> str:
    if namespace_of(title) == "File":
        return "/special/upload?" + urlencode({"name": title.partition(":")[2]})
    return "/edit/" + title_path(title)


@special_view
def orphans(request):
    linked = PageLink.objects.filter(target=OuterRef("title")).exclude(source=OuterRef("pk"))
    pages = Page.objects.articles().filter(namespace="").filter(~Exists(linked)).only("title")
    listing = paginate(request, pages.order_by("title"), LIST_PAGE_SIZE)
    return render(request, "wiki/special/orphans.html", {"listing": listing})


# --- Backlinks and categories ---------------------------------------------------------------------------


@special_view
def backlinks(request, title):
    title = normalize_title(title)
    redirects = list(Page.objects.live().filter(redirect_to=title).values_list("title", flat=True))
    links = (
        PageLink.objects.filter(target__in=[title, *redirects], source__deleted_at__isnull=True)
        .select_related("source")
        .only("target", "source__title", "source__redirect_to")
        .order_by("source__title", "target")
    )
    exists = Page.objects.live().filter(title=title).exists()
    if not exists and not redirects and not links.exists():
        raise Http404(f"There is no page called “{title}”, and no page links to that title.")
    listing = paginate(request, links, LIST_PAGE_SIZE)
    context = {"title": title, "exists": exists, "listing": listing}
    return render(request, "wiki/special/backlinks.html", context)


@special_view
def category(request, name):
    name = normalize_title("Category:" + name).partition(":")[2]
    page = Page.objects.live().select_related("latest").filter(title=f"Category:{name}").first()
    members = (
        CategoryMembership.objects.filter(category=name, page__deleted_at__isnull=True)
        .select_related("page")
        .only("page__title", "page__namespace")
        .order_by("page__title")
    )
    if page is None and not members.exists():
        raise Http404(f"There is no category called “{name}”: no page is filed in it yet.")
    context = {
        "name": name,
        "page": page,
        "description": resolved_html(page.latest.html) if page and page.latest else "",
        "listing": paginate(request, members, CATEGORY_PAGE_SIZE),
    }
    return render(request, "wiki/special/category.html", context)


def resolved_html(stored_html: str) -> str:
    """Stored (sanitised) revision HTML with red links marked, in one query."""
    targets = markup.link_targets(stored_html)
    existing = set(Page.objects.live().filter(title__in=targets).values_list("title", flat=True))
    return markup.resolve_links(stored_html, existing)


@special_view
def categories(request):
    counts = (
        CategoryMembership.objects.filter(page__deleted_at__isnull=True)
        .values("category")
        .annotate(count=Count("id"))
        .order_by("category")
    )
    listing = paginate(request, counts, CATEGORY_PAGE_SIZE)
    return render(request, "wiki/special/categories.html", {"listing": listing})


# --- Page information and the log ----------------------------------------------------------------------


@special_view
def info(request, title):
    page = live_page(normalize_title(title))
    revisions = Revision.objects.filter(page=page).only("id", "timestamp", "author_name", "author_id")
    named = revisions.select_related("author", *people.related("author"))
    context = {
        "page": page,
        "revision_count": revisions.count(),
        "first": named.order_by("id").first(),
        "latest": named.filter(pk=page.latest_id).first(),
        "watchers": Watch.objects.filter(page=page).count(),
        "outgoing_links": PageLink.objects.filter(source=page).count(),
        "backlinks": PageLink.objects.filter(target=page.title, source__deleted_at__isnull=True).count(),
        "categories": list(page.categories.values_list("category", flat=True)),
    }
    return render(request, "wiki/special/info.html", context)


@special_view
def log(request):
    action = request.GET.get("action", "").strip()
    entries = LogEntry.objects.select_related("page", "user", *people.related("user")).order_by("-id")
    if action:
        if action not in LogEntry.Action.values:
            choices = ", ".join(LogEntry.Action.values)
            raise WikiError(f"“{action[:40]}” is not a logged action: use one of {choices}.")
        entries = entries.filter(action=action)
    listing = paginate(request, entries, LOG_PAGE_SIZE)
    context = {"listing": listing, "action": action, "actions": LogEntry.Action.values}
    return render(request, "wiki/special/log.html", context)


@require_GET
def title_suggestions(request):
    """The editor's [[link]] picker: up to ten titles starting with ?prefix= (then with words starting with
    its words), as JSON; a bad prefix is a 400 with a `detail` sentence."""
    prefix = request.GET.get("prefix", "")
    try:
        titles = suggest_titles(prefix)
    except (InvalidTitle, WikiError) as error:
        return JsonResponse({"detail": str(error)}, status=getattr(error, "status", 400))
    return JsonResponse({"prefix": prefix, "titles": titles})
