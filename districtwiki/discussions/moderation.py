"""Moderation actions: reports, hiding posts, locking threads and suspending accounts.

Nothing here deletes anything: hiding keeps the text, suspending keeps the account, and every action is
written to the ModerationLog.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from districtwiki.notifications.actions import notify
from districtwiki.notifications.models import Notification
from districtwiki.wiki.models import Page

from . import access
from .actions import DiscussionError
from .models import ModerationLog, Post, Report, Suspension, Thread

MAX_REPORT_REASON = 1000
MAX_HIDE_REASON = 500


def clean_reason(reason: str, limit: int, what: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise DiscussionError(f"Give a reason {what}: it is required.")
    if len(reason) > limit:
        raise DiscussionError(f"The reason can be at most {limit} characters; this one has {len(reason)}.")
    return reason


def _log(action: str, actor, target: str, url: str = "", reason: str = "") -> None:
    ModerationLog.objects.create(
        action=action,
        actor=actor,
        target=target[:300],
        target_url=url[:300],
        reason=reason,
        created_at=timezone.now(),
    )


def _post_label(post: Post) -> str:
    return f"post {post.pk} by {post.author_name} in “{post.thread.subject}”"


# --- Reports --------------------------------------------------------------------------------------------


def file_report(
    reporter, reason: str, *, post: Post | None = None, page: Page | None = None, user=None
) -> Report:
    """A member reports exactly one of: a post, a page, a member profile."""
    access.check_signed_in(reporter, "report something to the moderators")
    targets = {"post": post, "page": page, "user": user}
    chosen = [kind for kind, target in targets.items() if target is not None]
    if len(chosen) != 1:
        raise DiscussionError("Choose one post, page or member profile to report.")
    if user is not None and user.pk == reporter.pk:
        raise DiscussionError("You cannot report your own profile.")
    reason = clean_reason(reason, MAX_REPORT_REASON, "for the report")
    fields = {"post": post, "page": page, "target_user": user}
    return Report.objects.create(
        kind=chosen[0], reporter=reporter, reason=reason, created_at=timezone.now(), **fields
    )


def has_open_report(reporter, *, post=None, page=None, user=None) -> bool:
    return Report.objects.filter(
        reporter=reporter, status=Report.Status.OPEN, post=post, page=page, target_user=user
    ).exists()


def dismiss_report(report: Report, moderator) -> None:
    access.check_moderator(moderator)
    if report.status != Report.Status.OPEN:
        raise DiscussionError(f"Report {report.pk} was already handled.")
    _close_reports(Report.objects.filter(pk=report.pk), moderator, Report.Status.DISMISSED)
    _log(ModerationLog.Action.DISMISS, moderator, f"report {report.pk} ({report.get_kind_display().lower()})")


def _close_reports(reports, moderator, status: str) -> None:
    reports.filter(status=Report.Status.OPEN).update(
        status=status, handled_by=moderator, handled_at=timezone.now()
    )


# --- Posts and threads ----------------------------------------------------------------------------------


def hide_post(post: Post, moderator, reason: str) -> None:
    access.check_moderator(moderator)
    reason = clean_reason(reason, MAX_HIDE_REASON, "for hiding the post")
    if post.is_hidden:
        raise DiscussionError("That post is already hidden.")
    with transaction.atomic():
        post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), moderator, reason
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        _close_reports(post.reports.all(), moderator, Report.Status.RESOLVED)
        _log(ModerationLog.Action.HIDE, moderator, _post_label(post), post.get_absolute_url(), reason)
        text = f"A moderator hid your post in “{post.thread.subject}”: {reason}"
        notify(post.author, Notification.Kind.MODERATION, text, post.get_absolute_url(), actor=moderator)


def unhide_post(post: Post, moderator) -> None:
    access.check_moderator(moderator)
    if not post.is_hidden:
        raise DiscussionError("That post is not hidden.")
    with transaction.atomic():
        post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        _log(ModerationLog.Action.UNHIDE, moderator, _post_label(post), post.get_absolute_url())


def set_thread_lock(thread: Thread, moderator, locked: bool) -> None:
    access.check_moderator(moderator)
    status = Thread.Status.LOCKED if locked else Thread.Status.OPEN
    if thread.status == status:
        raise DiscussionError(f"That thread is already {status.label.lower()}.")
    with transaction.atomic():
        thread.status = status
        thread.save(update_fields=["status"])
        action = ModerationLog.Action.LOCK if locked else ModerationLog.Action.UNLOCK
        _log(
            action, moderator, f"thread “{thread.subject}” on {thread.page.title}", thread.get_absolute_url()
        )


# --- Accounts -------------------------------------------------------------------------------------------


def find_member(username: str):
    user = get_user_model().objects.filter(username__iexact=(username or "").strip()).first()
    if user is None:
        raise DiscussionError(f"There is no member called “{(username or '').strip()[:150]}”.")
    return user


def suspend_user(user, admin, reason: str) -> Suspension:
    """Deactivate an account: it cannot sign in, and its sessions and API tokens stop working at once
    (Django's authentication refuses inactive users on every request)."""
    access.check_admin(admin, "suspend accounts")
    if user.pk == admin.pk:
        raise PermissionDenied("You cannot suspend your own account.")
    if user.is_wiki_admin:
        raise PermissionDenied("Admins cannot be suspended: change their role first.")
    reason = clean_reason(reason, MAX_REPORT_REASON, "for the suspension")
    if not user.is_active:
        raise DiscussionError(f"{user.get_username()} is already suspended.")
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        suspension = Suspension.objects.create(
            user=user, suspended_by=admin, reason=reason, created_at=timezone.now()
        )
        _close_reports(Report.objects.filter(target_user=user), admin, Report.Status.RESOLVED)
        _log(ModerationLog.Action.SUSPEND, admin, f"account {user.get_username()}", reason=reason)
    return suspension


def unsuspend_user(user, admin) -> None:
    access.check_admin(admin, "lift suspensions")
    if user.is_active:
        raise DiscussionError(f"{user.get_username()} is not suspended.")
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        now = timezone.now()
        Suspension.objects.filter(user=user, lifted_at__isnull=True).update(lifted_by=admin, lifted_at=now)
        _log(ModerationLog.Action.UNSUSPEND, admin, f"account {user.get_username()}")
