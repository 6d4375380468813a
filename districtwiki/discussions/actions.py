"""Every write to discussions goes through these functions: threads, posts, edits and watches.

Each action authorises (access.check_*), validates, and writes in one transaction, then notifies the people
concerned through the notifications app. Errors are typed; views turn them into responses.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from districtwiki.notifications.actions import notify
from districtwiki.notifications.models import Notification
from districtwiki.wiki.actions import NoChange, RateLimited, WikiError, check_text, normalize_text
from districtwiki.wiki.models import Page, Watch

from . import access, postmarkup
from .models import Post, PostRevision, Thread, ThreadWatch

MAX_POST_BYTES = 64 * 1024
MAX_SUBJECT_LENGTH = 200

__all__ = ["DiscussionError", "NoChange", "RateLimited", "ThreadLocked"]


class DiscussionError(WikiError):
    """A discussion request refused for its content; the message is for the person who made it."""

    status = 400


class ThreadLocked(DiscussionError):
    status = 403


LOCKED_MESSAGE = (
    "This thread is locked by a moderator: no new posts can be added, and posts cannot be edited."
)


# --- Validation -----------------------------------------------------------------------------------------


def clean_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        raise DiscussionError("Give the thread a subject: it is empty.")
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise DiscussionError(
            f"A subject can be at most {MAX_SUBJECT_LENGTH} characters; this one has {len(subject)}."
        )
    check_text(subject)
    return subject


def clean_body(text: str) -> str:
    text = normalize_text(text)
    check_text(text)
    if not text.strip():
        raise DiscussionError("Write something in your post: it is empty.")
    size = len(text.encode())
    if size > MAX_POST_BYTES:
        raise DiscussionError(
            f"This post is {size / 1024:.1f} KiB; the limit is {MAX_POST_BYTES // 1024} KiB. "
            "Shorten it or split it into several posts."
        )
    return text


def parse_post_id(raw: str | None, name: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise DiscussionError(f"“{name}” must be a post number, not “{raw[:40]}”.")
    return int(raw)


def check_post_rate(author) -> None:
    if author.is_wiki_admin:
        return
    since = timezone.now() - timedelta(minutes=1)
    recent = (
        Post.objects.filter(author=author, created_at__gte=since).count()
        + PostRevision.objects.filter(post__author=author, replaced_at__gte=since).count()
    )
    if recent >= settings.EDIT_RATE_LIMIT:
        raise RateLimited(
            f"You have posted {recent} times in the last minute; wait a minute before posting again."
        )


def thread_post(thread: Thread, post_id: int | None, purpose: str) -> Post | None:
    """A post of `thread` to reply to or quote; hidden posts cannot be quoted (that would re-publish them)."""
    if post_id is None:
        return None
    post = Post.objects.filter(pk=post_id, thread=thread).first()
    if post is None:
        raise DiscussionError(f"There is no post number {post_id} in this thread to {purpose}.")
    if purpose == "quote" and post.is_hidden:
        raise DiscussionError("A moderator hid that post, so it cannot be quoted.")
    return post


def quote_for(thread: Thread, raw_post_id: str | None) -> tuple[Post | None, str]:
    """The post a reply quotes and the reply's starting text (`?quote=<post id>`)."""
    post = thread_post(thread, parse_post_id(raw_post_id, "quote"), "quote")
    return post, postmarkup.quote_markdown(post) if post else ""


# --- Threads and posts ----------------------------------------------------------------------------------


def start_thread(page: Page, subject: str, text: str, author) -> Thread:
    access.check_can_post(author)
    subject, text = clean_subject(subject), clean_body(text)
    with transaction.atomic():
        check_post_rate(author)
        now = timezone.now()
        thread = Thread.objects.create(
            page=page,
            subject=subject,
            author=author,
            author_name=author.get_username(),
            created_at=now,
            last_post_at=now,
        )
        post = _write_post(thread, text, author, None)
        _notify_page_watchers(post)
    return thread


def import_thread(page: Page, subject: str, text: str, author, author_name: str, timestamp) -> Thread:
    """A thread with its first post as it was written elsewhere, at its own time: a talk page section of an
    imported wiki (interchange/mwimport). `author` is a placeholder account or None (an IP address, a hidden
    author); `author_name` is shown either way.

    The same cleaning, limits and rendering as start_thread (DiscussionError for an empty subject or an
    oversized post). Not the same: no permission check, rate limit, watch or notification. The posts were
    made long ago by people who mostly have no account here (a placeholder cannot sign in, let alone post);
    thousands of historic threads would trip any rate limit and tell every page watcher news that is years
    old, on behalf of authors who cannot be answered.
    """
    subject, text = clean_subject(subject), clean_body(text)
    with transaction.atomic():
        thread = Thread.objects.create(
            page=page,
            subject=subject,
            author=author,
            author_name=author_name,
            created_at=timestamp,
            last_post_at=timestamp,
        )
        post = Post.objects.create(
            thread=thread,
            author=author,
            author_name=author_name,
            created_at=timestamp,
            text=text,
            html=postmarkup.render(text, postmarkup.mentioned_users(text)),
        )
        thread.last_post, thread.post_count = post, 1
        thread.save(update_fields=["last_post", "post_count"])
    return thread


def add_post(thread: Thread, text: str, author, reply_to_id: int | None = None) -> Post:
    access.check_can_post(author)
    if thread.is_locked:
        raise ThreadLocked(LOCKED_MESSAGE)
    text = clean_body(text)
    with transaction.atomic():
        # The lock serialises posts to one thread: the count stays right and a lock taken meanwhile holds.
        # Only the thread row is locked (no join), so edits to the page are not held up.
        page = thread.page
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        thread.page = page
        if thread.is_locked:
            raise ThreadLocked(LOCKED_MESSAGE)
        reply_to = thread_post(thread, reply_to_id, "reply to")
        check_post_rate(author)
        return _write_post(thread, text, author, reply_to)


def _write_post(thread: Thread, text: str, author, reply_to: Post | None) -> Post:
    mentioned = postmarkup.mentioned_users(text)
    post = Post.objects.create(
        thread=thread,
        author=author,
        author_name=author.get_username(),
        reply_to=reply_to,
        created_at=timezone.now(),
        text=text,
        html=postmarkup.render(text, mentioned),
    )
    thread.last_post, thread.last_post_at = post, post.created_at
    thread.post_count += 1
    thread.save(update_fields=["last_post", "last_post_at", "post_count"])
    ThreadWatch.objects.get_or_create(user=author, thread=thread)
    _notify_mentions(post, mentioned)
    _notify_watchers(post, skip={user.pk for user in mentioned})
    return post


def edit_post(post: Post, text: str, editor) -> Post:
    """Replace a post's text with a new version, keeping the earlier one as a PostRevision."""
    access.check_can_edit_post(editor, post)
    if post.thread.is_locked:
        raise ThreadLocked(LOCKED_MESSAGE)
    text = clean_body(text)
    with transaction.atomic():
        loaded_thread = post.thread
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.thread = loaded_thread
        access.check_can_edit_post(editor, post)  # again: a moderator may have hidden it meanwhile
        if text == post.text:
            raise NoChange("Nothing changed: the text is the same as before, so nothing was saved.")
        check_post_rate(editor)
        now = timezone.now()
        PostRevision.objects.create(
            post=post,
            text=post.text,
            html=post.html,
            saved_at=post.edited_at or post.created_at,
            replaced_at=now,
        )
        before = {user.pk for user in postmarkup.mentioned_users(post.text)}
        mentioned = postmarkup.mentioned_users(text)
        post.text, post.html, post.edited_at = text, postmarkup.render(text, mentioned), now
        post.save(update_fields=["text", "html", "edited_at"])
        _notify_mentions(post, [user for user in mentioned if user.pk not in before])
    return post


def set_thread_watch(thread: Thread, user, watching: bool) -> None:
    access.check_signed_in(user, "watch discussions")
    if watching:
        ThreadWatch.objects.get_or_create(user=user, thread=thread)
    else:
        ThreadWatch.objects.filter(user=user, thread=thread).delete()


# --- Notifications --------------------------------------------------------------------------------------


def _where(post: Post) -> str:
    return f"“{post.thread.subject}” on {post.thread.page.title}"


def _notify_mentions(post: Post, users: list) -> None:
    for user in users:
        text = f"{post.author_name} mentioned you in {_where(post)}"
        notify(user, Notification.Kind.MENTION, text, post.get_absolute_url(), actor=post.author)


def _notify_watchers(post: Post, skip: set[int]) -> None:
    """Everyone watching the thread, except the author and those already told by a mention."""
    watchers = get_user_model().objects.filter(thread_watches__thread=post.thread).exclude(pk__in=skip)
    for user in watchers:
        text = f"{post.author_name} posted in {_where(post)}"
        notify(user, Notification.Kind.THREAD_POST, text, post.get_absolute_url(), actor=post.author)


def _notify_page_watchers(post: Post) -> None:
    """A new thread on a watched page is news to the page's watchers (who are not yet watching it)."""
    page_watchers = (
        Watch.objects.filter(page=post.thread.page).exclude(user=post.author).select_related("user")
    )
    for watch in page_watchers:
        text = f"{post.author_name} started a discussion {_where(post)}"
        notify(watch.user, Notification.Kind.THREAD_POST, text, post.get_absolute_url(), actor=post.author)
