"""What discussions hold about a member: exported as JSON, or erased when they delete their account.

Erasing keeps every post and thread (others replied to them) but attributes them to "former member";
watches go; reports the member filed stay for the moderators, with the reporter removed; moderation
actions they took stay, without their name.
"""

from django.db import transaction

from .models import FORMER_MEMBER, ModerationLog, Post, Report, Suspension, Thread, ThreadWatch


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _post(post: Post) -> dict:
    return {
        "id": post.pk,
        "thread": post.thread_id,
        "page": post.thread.page.title,
        "created_at": _when(post.created_at),
        "edited_at": _when(post.edited_at),
        "text": post.text,
        "hidden_reason": post.hidden_reason if post.is_hidden else None,
        "earlier_versions": [
            {"saved_at": _when(revision.saved_at), "text": revision.text} for revision in post.revisions.all()
        ],
    }


def export(user) -> dict:
    posts = Post.objects.filter(author=user).select_related("thread__page").prefetch_related("revisions")
    threads = Thread.objects.filter(author=user).select_related("page").order_by("id")
    watches = ThreadWatch.objects.filter(user=user).select_related("thread").order_by("id")
    reports = Report.objects.filter(reporter=user).select_related("page", "target_user").order_by("id")
    return {
        "threads_started": [
            {"id": t.pk, "page": t.page.title, "subject": t.subject, "created_at": _when(t.created_at)}
            for t in threads
        ],
        "posts": [_post(post) for post in posts],
        "watched_threads": [{"thread": w.thread_id, "subject": w.thread.subject} for w in watches],
        "reports_filed": [_report(report) for report in reports],
        "suspensions": [
            {"created_at": _when(s.created_at), "reason": s.reason, "lifted_at": _when(s.lifted_at)}
            for s in Suspension.objects.filter(user=user).order_by("id")
        ],
    }


def _report(report: Report) -> dict:
    target = {
        Report.Kind.POST: report.post_id,
        Report.Kind.PAGE: report.page.title if report.page else None,
        Report.Kind.USER: report.target_user.get_username() if report.target_user else None,
    }[report.kind]
    return {
        "kind": report.kind,
        "target": target,
        "reason": report.reason,
        "created_at": _when(report.created_at),
        "status": report.status,
    }


def erase(user) -> None:
    with transaction.atomic():
        Post.objects.filter(author=user).update(author=None, author_name=FORMER_MEMBER)
        Thread.objects.filter(author=user).update(author=None, author_name=FORMER_MEMBER)
        ThreadWatch.objects.filter(user=user).delete()
        Report.objects.filter(reporter=user).update(reporter=None)
        Report.objects.filter(handled_by=user).update(handled_by=None)
        Post.objects.filter(hidden_by=user).update(hidden_by=None)
        Suspension.objects.filter(suspended_by=user).update(suspended_by=None)
        Suspension.objects.filter(lifted_by=user).update(lifted_by=None)
        ModerationLog.objects.filter(actor=user).update(actor=None)
