"""Reading and editing pages: view, edit, raw, history, diff and the page actions."""

from functools import partial
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from districtwiki import ratelimits
from districtwiki.errors import error_page

from .. import access, actions, diffs, editing, markup, memberviews, merging, pagecache, people, sources, tabs
from ..forms import MoveForm, ProtectForm, ReasonForm
from ..models import LISTED_REVISION_FIELDS, Page, Revision
from ..titles import InvalidTitle, normalize_title, title_path, url_form
from .errors import translate_errors

HISTORY_PAGE_SIZE = 50


# --- Helpers --------------------------------------------------------------------------------------------


def canonical_redirect(request, view_name: str, raw_title: str, title: str):
    """301 to the canonical URL when the title was typed in another form (`foo bar` → `Foo_bar`)."""
    if raw_title == url_form(title):
        return None
    query = ("?" + request.META["QUERY_STRING"]) if request.META.get("QUERY_STRING") else ""
    return redirect(f"/{view_name}/{title_path(title)}{query}", permanent=True)


def resolved_html(stored_html: str) -> str:
    """Stored revision HTML with each wiki link coloured by whether its page exists now (one query)."""
    targets = markup.link_targets(stored_html)
    existing = (
        set(Page.objects.live().filter(title__in=targets).order_by().values_list("title", flat=True))
        if targets
        else set()
    )
    return markup.resolve_links(stored_html, existing)


def int_param(request, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise actions.WikiError(f"“{name}” must be a revision number, not “{raw[:40]}”.")
    return int(raw)


def page_revision(page: Page, revision_id: int) -> Revision:
    revisions = Revision.objects.filter(pk=revision_id, page=page)
    revision = revisions.select_related("author", *people.related("author")).first()
    if revision is None:
        raise Http404(f"Revision {revision_id} is not a revision of “{page.title}”.")
    return revision


# --- Reading --------------------------------------------------------------------------------------------


@require_GET
def main_page(request):
    return redirect("/")


@require_GET
@translate_errors
def page_view(request, title):
    canonical = normalize_title(title)
    if response := canonical_redirect(request, "wiki", title, canonical):
        return response
    page = Page.objects.select_related("latest", "properties", "starter").filter(title=canonical).first()
    if page is None or page.is_deleted:
        return missing_page(request, canonical, page)
    oldid = int_param(request, "oldid")
    revision = page_revision(page, oldid) if oldid else page.latest
    if page.redirect_to and oldid is None and request.GET.get("redirect") != "no":
        return redirect(markup.page_url(page.redirect_to) + "?" + urlencode({"redirectedfrom": page.title}))
    is_old = revision.pk != page.latest_id
    if not is_old and memberviews.eligible(request):
        shell_context = partial(page_context, request, page, revision)
        if (answer := memberviews.view_answer(request, page, "wiki/page.html", shell_context)) is not None:
            return answer
    context = page_context(request, page, revision, request.user)
    signed_in = access.is_signed_in(request.user)
    context["watching"] = signed_in and page.watches.filter(user=request.user).exists()
    response = render(request, "wiki/page.html", context)
    if oldid is None:
        # For the anonymous page cache (pagecache.py): what this answer shows is the page as of this stamp.
        response.page_id, response.page_view_stamp = page.pk, page.view_stamp
    return response


def page_context(request, page: Page, revision: Revision, user) -> dict:
    """What wiki/page.html shows of `revision` to `user` (the reader, or the stand-in member a shell is
    rendered for: memberviews.py), but for whether they watch the page."""
    is_old = revision.pk != page.latest_id
    properties = getattr(page, "properties", None)
    context = {
        "page": page,
        "revision": revision,
        "is_old": is_old,
        **(old_parts(page, revision) if is_old else current_parts(page)),
        "redirected_from": redirected_from(request),
        "can_review": access.is_trusted(user),
        "properties": properties,
        "show_info_box": properties is not None and not is_old,
        "review_overdue": review_overdue(properties),
        "starter": getattr(page, "starter", None),
    }
    if page.namespace == "File":
        context["uploads"] = list(page.uploads.select_related("uploader", *people.related("uploader")))
    return context


def review_overdue(properties) -> bool:
    return bool(properties and properties.review_due and properties.review_due < timezone.localdate())


def old_parts(page: Page, revision: Revision) -> dict:
    """shown_parts of an older revision (never cached), whose author page_revision loaded."""
    return {**shown_parts(page, revision), "last_editor": people.load_member(page.latest.author_id)}


def shown_parts(page: Page, revision: Revision) -> dict:
    """What the page view shows of a page that is the same for every reader: two queries, and one for each
    tab a feature registered with a count (tabs.py; the discussions' open threads)."""
    content = resolved_html(revision.html)
    properties = getattr(page, "properties", None) if revision.pk == page.latest_id else None
    if properties is not None and properties.sources:
        content = sources.link_titles(content, properties.sources)
    return {
        "content": content,
        "sources_in_text": sources.has_section(content),
        "categories": [c.category for c in page.categories.all()],
        "tab_counts": tabs.tab_counts(page),
    }


def current_parts(page: Page) -> dict:
    """shown_parts of the current revision, kept in the cache under the page's view stamp, which moves on
    whenever any of them changes (pagecache.py): signed-in readers skip those queries too."""
    key = "pageparts:" + pagecache.Version(page.pk, page.view_stamp).key
    parts = cache.get(key)
    if parts is None:
        # The footer's last editor comes along: only what naming them reads. Each reader still sees the
        # name their own rights allow (people.name_for at render); a change to the name moves the stamp.
        parts = {**shown_parts(page, page.latest), "last_editor": people.load_member(page.latest.author_id)}
        cache.set(key, parts, settings.PAGE_CACHE_SECONDS)
    return parts


def redirected_from(request) -> str:
    try:
        return normalize_title(request.GET.get("redirectedfrom", ""))
    except ValueError:
        return ""


def missing_page(request, title: str, page: Page | None):
    context = {"title": title, "page": page, "can_create": access.can_edit(request.user, None)}
    return render(request, "wiki/missing.html", context, status=404)


@require_GET
@translate_errors
def raw(request, title):
    page = access.get_page(title)
    oldid = int_param(request, "oldid")
    revision = page_revision(page, oldid) if oldid else page.latest
    return HttpResponse(revision.text, content_type="text/markdown; charset=utf-8")


@require_GET
@translate_errors
def history(request, title):
    page = access.get_page(title)
    revisions = (
        Revision.objects.for_page(page)
        .select_related("author", *people.related("author"))
        .annotate(parent_size=F("parent__size"))
        .only(*LISTED_REVISION_FIELDS, *people.naming_fields("author"))
    )
    before = int_param(request, "before")
    if before:
        revisions = revisions.filter(pk__lt=before)
    rows = list(revisions[: HISTORY_PAGE_SIZE + 1])
    for row in rows:
        row.delta = row.size - row.parent_size if row.parent_id else None
        row.by = people.credit(row.author, request.user, row.author_name)
    context = {
        "page": page,
        "revisions": rows[:HISTORY_PAGE_SIZE],
        "next_before": rows[HISTORY_PAGE_SIZE - 1].pk if len(rows) > HISTORY_PAGE_SIZE else None,
        "can_edit": access.can_edit(request.user, page),
        "can_review": access.is_trusted(request.user),
        "properties": getattr(page, "properties", None),
        "starter": getattr(page, "starter", None),
        "today": timezone.localdate(),
        "can_rollback": access.is_trusted(request.user),
    }
    return render(request, "wiki/history.html", context)


@require_GET
@translate_errors
def diff(request, title):
    page = access.get_page(title)
    to_id, from_id = int_param(request, "to"), int_param(request, "from")
    new = page_revision(page, to_id or page.latest_id)
    if from_id is None:
        from_id = new.parent_id
    old = page_revision(page, from_id) if from_id else None
    if old is not None and old.pk > new.pk:
        old, new = new, old
    context = {
        "page": page,
        "old": old,
        "new": new,
        "rows": diffs.diff_rows(old.text if old else "", new.text),
        "newer": Revision.objects.filter(page=page, parent_id=new.pk).only("pk").first(),
    }
    return render(request, "wiki/diff.html", context)


# --- Editing --------------------------------------------------------------------------------------------


@translate_errors
def edit(request, title):
    canonical = normalize_title(title)
    if request.method == "GET" and (response := canonical_redirect(request, "edit", title, canonical)):
        return response
    page = Page.objects.select_related("latest").filter(title=canonical).first()
    if not request.user.is_authenticated and not access.can_edit(request.user, page):
        return redirect_to_login(request.get_full_path())
    access.check_can_edit(request.user, page)
    if request.method == "POST":
        return save_edit(request, canonical, page)
    if request.method != "GET":
        return error_page(request, 405, "Use the edit form to change a page.")
    text = page.latest.text if page else ""
    oldid = int_param(request, "oldid")
    if page and oldid:
        text = page_revision(page, oldid).text
    editor = editing.editor_for_text(text, page.latest_id if page else None)
    return render_editor(request, canonical, page, editor)


def render_editor(request, title: str, page: Page | None, editor: editing.Editor, status: int = 200, **extra):
    context = {
        "title": title,
        "page": page,
        "editor": editor,
        "form": editor.edit,
        "about_digest": editing.digest(editor),
        "max_bytes": settings.MAX_PAGE_BYTES,
        **extra,
    }
    return render(request, "wiki/edit.html", context, status=status)


def save_edit(request, title: str, page: Page | None):
    editor = editing.editor_from_post(request.POST)
    if not editor.is_valid():
        return render_editor(
            request, title, page, editor, status=400, error="Please correct the errors below."
        )
    data = editor.edit.cleaned_data
    if "preview" in request.POST:
        preview = resolved_html(markup.render(actions.normalize_text(editor.text)).html)
        return render_editor(request, title, page, editor, preview=preview)
    if "show_changes" in request.POST:
        current = page.latest.text if page else ""
        return render_editor(request, title, page, editor, changes=diffs.diff_rows(current, editor.text))
    try:
        result = actions.save_revision(
            title, editor.text, request.user, data["base_revision"], data["summary"], data["minor"]
        )
    except actions.NoChange as no_change:
        messages.info(request, str(no_change))
        return redirect(markup.page_url(title))
    except actions.EditConflict as conflict:
        return render_conflict(request, title, page, editor, conflict)
    except actions.WikiError as error:
        return render_editor(request, title, page, editor, status=error.status, error=str(error))
    if result.merged_with:
        messages.success(
            request,
            f"Saved. Someone else edited meanwhile (revision {result.merged_with.pk}); "
            "your changes were merged with theirs.",
        )
    else:
        messages.success(request, "Page created." if result.created else "Saved.")
    return redirect(markup.page_url(result.page.title))


def render_conflict(request, title, page, editor: editing.Editor, conflict: actions.EditConflict):
    """409: keep every character the editor typed, show what collided, and rebase the form on the current
    revision so that saving again is a deliberate choice made after seeing the other edit."""
    rebased = editor.rebased(conflict.current.pk)
    rebased.is_valid()  # the same data that was valid a moment ago: for the fields' shown values
    return render_editor(
        request,
        title,
        page,
        rebased,
        status=409,  # the conflict section says what happened: no error box repeating it above
        conflicts=merging.marked_regions(conflict.conflicts),
        current=conflict.current,
    )


@require_POST
def preview(request):
    """The editor's live preview and "show changes", as an HTML fragment; errors as JSON with a `detail`
    sentence for the editor to show. Only someone who may edit the page previews, within a byte budget."""
    try:
        page = preview_target(request.POST.get("title", ""))
        access.check_can_edit(request.user, page)
        text = actions.normalize_text(previewed_text(request.POST))
        actions.check_size(text)
        actions.check_preview_budget(previewer(request), len(text.encode()))
    except (Http404, PermissionDenied, actions.WikiError) as error:
        return preview_refusal(error)
    if request.POST.get("mode") == "changes":
        current = page.latest.text if page and page.latest else ""
        return render(request, "wiki/diff_table.html", {"rows": diffs.diff_rows(current, text)})
    return HttpResponse(resolved_html(markup.render(text).html))


def previewed_text(data) -> str:
    """The text to preview: as it will be saved for "show changes"; the body alone is enough for the live
    preview (rendering drops the front matter), so a half-filled field never stops it."""
    if data.get("mode") != "changes":
        return data.get("text", "")
    editor = editing.editor_from_post(data)
    if not editor.is_valid():
        raise actions.WikiError("Correct the marked fields first: " + editor.first_error())
    return editor.text


def preview_refusal(error: Exception) -> JsonResponse:
    if isinstance(error, Http404):
        status = 404
    else:  # a refusal's subclasses (EmailNotConfirmed…) are refusals too
        status = 403 if isinstance(error, PermissionDenied) else getattr(error, "status", 400)
    return JsonResponse({"detail": str(error) or "You are not allowed to do that."}, status=status)


def preview_target(title: str) -> Page | None:
    """The live page being edited, None for a new page (or no title); a deleted page is not found, as at
    /wiki and /raw, so its text never reaches anyone through "show changes"."""
    try:
        return access.get_page(title) if title.strip() else None
    except InvalidTitle:
        return None
    except Http404:
        if Page.objects.filter(title=normalize_title(title)).exists():
            raise
        return None


def previewer(request) -> str:
    if access.is_signed_in(request.user):
        return f"member:{request.user.pk}"
    return f"address:{ratelimits.client_address(request)}"


# --- Page actions -----------------------------------------------------------------------------------------


@require_POST
@translate_errors
def revert(request, title):
    page = access.get_page(title)
    revision_id = request.POST.get("revision", "")
    if not revision_id.isdigit():
        return error_page(request, 400, "Choose a revision to revert to.")
    revision = page_revision(page, int(revision_id))
    try:
        actions.revert_to(page, revision, request.user, request.POST.get("summary", ""))
    except actions.NoChange:
        messages.info(request, f"The page already has the text of revision {revision.pk}; nothing was saved.")
    else:
        messages.success(request, f"Reverted to revision {revision.pk}.")
    return redirect(page.get_absolute_url())


@require_POST
@translate_errors
def rollback(request, title):
    page = access.get_page(title)
    actions.rollback(page, request.user)
    messages.success(request, "Rolled back.")
    return redirect(page.get_absolute_url())


@translate_errors
def move(request, title):
    page = access.get_page(title)
    access.check_trusted(request.user, "move pages")
    form = MoveForm(request.POST or None, initial={"new_title": page.title, "leave_redirect": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moved = actions.move_page(
            page, data["new_title"], request.user, data["reason"], data["leave_redirect"]
        )
        messages.success(request, f"Moved “{title.replace('_', ' ')}” to “{moved.title}”.")
        return redirect(moved.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "wiki/move.html", {"page": page, "form": form}, status=status)


@translate_errors
def protect(request, title):
    page = access.get_page(title)
    access.check_trusted(request.user, "protect pages")
    form = ProtectForm(request.POST or None, initial={"level": page.protection})
    if request.method == "POST" and form.is_valid():
        actions.protect_page(page, form.cleaned_data["level"], request.user, form.cleaned_data["reason"])
        messages.success(request, "Protection updated.")
        return redirect(page.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "wiki/protect.html", {"page": page, "form": form}, status=status)


@translate_errors
def delete(request, title):
    page = access.get_page(title)
    access.check_admin(request.user, "delete pages")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.delete_page(page, request.user, form.cleaned_data["reason"])
        messages.success(request, f"Deleted “{page.title}”. Its history is kept; an admin can restore it.")
        return redirect("/")
    return render(request, "wiki/delete.html", {"page": page, "form": form})


@require_POST
@translate_errors
def undelete(request, title):
    page = access.get_page(title, include_deleted=True)
    actions.undelete_page(page, request.user, request.POST.get("reason", ""))
    messages.success(request, f"Restored “{page.title}”.")
    return redirect(page.get_absolute_url())


@require_POST
@translate_errors
def watch(request, title):
    page = access.get_page(title)
    if not request.user.is_authenticated:
        return redirect(signin_url(page.get_absolute_url(), "watch"))
    watching = request.POST.get("watch") == "1"
    actions.set_watch(page, request.user, watching)
    messages.success(request, ("Added to" if watching else "Removed from") + " your watchlist.")
    return redirect(page.get_absolute_url())


def signin_url(next_url: str, reason: str) -> str:
    """The sign-in page, back to `next_url` afterwards, saying why (accounts/signin_reasons.py)."""
    return f"{settings.LOGIN_URL}?next={quote(next_url, safe='/')}&reason={reason}"


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
