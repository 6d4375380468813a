"""What discussions hold about a member: exported as JSON, or erased when they delete their account.

Erasing keeps every post and thread (others replied to them) but attributes them to "former member";
watches go; reports the member filed stay for the moderators, with the reporter removed; moderation
actions they took stay, without their name, and the moderation log names them "former member". Others'
posts keep the words they wrote ("@name"), but a mention no longer links to a profile.
"""

import html
import re

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace

from .models import FORMER_MEMBER, ModerationLog, Post, PostRevision, Report, Suspension, Thread, ThreadWatch
from .postmarkup import mention_link


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
        unlink_mentions(user.get_username())
        rename_in_moderation_log(user.get_username())


def unlink_mentions(username: str) -> None:
    """Mentions of the member in posts (current and earlier versions) become plain text: one UPDATE each."""
    link = mention_link(username)
    plain = Value("@" + html.escape(username))
    for model in (Post, PostRevision):
        model.objects.filter(html__contains=link).update(html=Replace("html", Value(link), plain))


def rename_in_moderation_log(username: str) -> None:
    """The log describes what was acted on in words (moderation._log): "account <name>", "post <id> by
    <name> in …". Those words name the member as author or account, never in a reason someone typed."""
    ModerationLog.objects.filter(target=f"account {username}").update(target=f"account {FORMER_MEMBER}")
    post_label = re.compile(rf"^(post \d+ by ){re.escape(username)}(?= in “)")
    entries = ModerationLog.objects.filter(
        target__startswith="post ", target__contains=f" by {username} in “"
    )
    changed = []
    for entry in entries.only("pk", "target"):
        target = post_label.sub(lambda match: match.group(1) + FORMER_MEMBER, entry.target)
        if target != entry.target:
            entry.target = target
            changed.append(entry)
    ModerationLog.objects.bulk_update(changed, ["target"])
