"""Reporting, and the moderators' queue and actions: hide, lock, dismiss, suspend."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.paging import paginate
from districtwiki.wiki import access as wiki_access
from districtwiki.wiki.views.errors import translate_errors

from .. import access, actions, moderation
from ..models import ModerationLog, Report, Suspension
from .talk import post_url

QUEUE_PER_PAGE = 50
LOG_SHOWN = 20


def back_to(request, default: str) -> str:
    """The form's `next` if it stays on this site (the queue or the thread it was sent from)."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if allowed and target.startswith("/") else default


def moderation_view(view):
    """POST only; the typed errors of moderation become pages with their status and message."""
    return require_POST(translate_errors(view))


# --- Reports --------------------------------------------------------------------------------------------


def report_target(params) -> tuple[dict, str, str]:
    """The one thing being reported, as keyword arguments for file_report, plus its name and URL."""
    given = [name for name in ("post", "page", "user") if params.get(name, "").strip()]
    if len(given) != 1:
        raise actions.DiscussionError("Choose one post, page or member profile to report.")
    raw = params[given[0]].strip()
    if given[0] == "post":
        post = access.get_post(actions.parse_post_id(raw, "post"))
        return {"post": post}, f"post {post.pk} by {post.author_name}", post_url(post)
    if given[0] == "page":
        page = wiki_access.get_page(raw)
        return {"page": page}, f"the page “{page.title}”", page.get_absolute_url()
    user = get_user_model().objects.filter(username=raw).first()
    if user is None:
        raise Http404(f"There is no member called “{raw[:150]}”.")
    return {"user": user}, f"the profile of {user.get_username()}", f"/members/{user.get_username()}"


@require_http_methods(["GET", "POST"])
@translate_errors
def report(request):
    params = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access.check_signed_in(request.user, "report something to the moderators")
    target, label, url = report_target(params)
    if request.method == "GET":
        return render_report(request, target, label, url)
    if moderation.has_open_report(request.user, **target):
        messages.info(request, f"You have already reported {label}; the moderators will look at it.")
        return redirect(url)
    reason = params.get("reason", "")
    try:
        moderation.file_report(request.user, reason, **target)
    except actions.DiscussionError as error:
        return render_report(request, target, label, url, reason, status=error.status, error=str(error))
    messages.success(request, f"Thank you: the moderators will look at your report of {label}.")
    return redirect(url)


def render_report(request, target: dict, label: str, url: str, reason: str = "", status: int = 200, error=""):
    kind, value = next(iter(target.items()))
    field_value = {
        "post": lambda: value.pk,
        "page": lambda: value.title,
        "user": lambda: value.get_username(),
    }
    context = {
        "kind": kind,
        "value": field_value[kind](),
        "label": label,
        "url": url,
        "reason": reason,
        "error": error,
        "max_reason": moderation.MAX_REPORT_REASON,
    }
    return render(request, "discussions/report.html", context, status=status)


# --- The queue ------------------------------------------------------------------------------------------


@require_GET
@translate_errors
def queue(request):
    access.check_moderator(request.user)
    reports = Report.objects.filter(status=Report.Status.OPEN).select_related(
        "post__thread__page", "post__author", "page", "target_user", "reporter"
    )
    is_admin = request.user.is_wiki_admin
    context = {
        "listing": paginate(request, reports, QUEUE_PER_PAGE),
        "is_admin": is_admin,
        "suspensions": active_suspensions() if is_admin else [],
        "log": ModerationLog.objects.select_related("actor")[:LOG_SHOWN],
    }
    return render(request, "discussions/moderation.html", context)


def active_suspensions() -> list[Suspension]:
    suspensions = Suspension.objects.filter(lifted_at__isnull=True, user__is_active=False)
    return list(suspensions.select_related("user", "suspended_by"))


@moderation_view
def dismiss(request, report_id: int):
    access.check_moderator(request.user)
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404(f"There is no report number {report_id}.")
    moderation.dismiss_report(report, request.user)
    messages.success(request, f"Report {report.pk} dismissed.")
    return redirect("/special/moderation")


# --- Posts and threads ----------------------------------------------------------------------------------


@moderation_view
def hide_post(request, post_id: int):
    post = access.get_post(post_id)
    moderation.hide_post(post, request.user, request.POST.get("reason", ""))
    messages.success(request, f"Post {post.pk} is hidden. Its text is kept; you can unhide it.")
    return redirect(back_to(request, post_url(post)))


@moderation_view
def unhide_post(request, post_id: int):
    post = access.get_post(post_id)
    moderation.unhide_post(post, request.user)
    messages.success(request, f"Post {post.pk} is visible again.")
    return redirect(back_to(request, post_url(post)))


@moderation_view
def lock_thread(request, thread_id: int):
    thread = access.get_thread(thread_id)
    locked = request.POST.get("lock") == "1"
    moderation.set_thread_lock(thread, request.user, locked)
    messages.success(request, "Thread locked: no new posts." if locked else "Thread unlocked.")
    return redirect(back_to(request, thread.get_absolute_url()))


# --- Accounts (admins) ----------------------------------------------------------------------------------


@moderation_view
def suspend(request):
    access.check_admin(request.user, "suspend accounts")
    user = moderation.find_member(request.POST.get("username", ""))
    moderation.suspend_user(user, request.user, request.POST.get("reason", ""))
    messages.success(request, f"{user.get_username()} is suspended: they cannot sign in until you lift it.")
    return redirect("/special/moderation")


@moderation_view
def unsuspend(request):
    access.check_admin(request.user, "lift suspensions")
    user = moderation.find_member(request.POST.get("username", ""))
    moderation.unsuspend_user(user, request.user)
    messages.success(request, f"{user.get_username()} can sign in again.")
    return redirect("/special/moderation")
