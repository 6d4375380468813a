"""Who may do what in discussions and moderation: one place for the rules.

`check_*` raise PermissionDenied (403) with a message a person understands; `get_*` raise Http404.
Suspended accounts are inactive, so `is_signed_in` is already false for them.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from districtwiki.wiki import access as wiki_access
from districtwiki.wiki.models import Page

from .models import Post, Thread


def is_moderator(user) -> bool:
    return wiki_access.is_trusted(user)


def check_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied("Only trusted members and admins can moderate discussions.")


def check_admin(user, action: str) -> None:
    wiki_access.check_admin(user, action)


def check_signed_in(user, action: str) -> None:
    if not wiki_access.is_signed_in(user):
        raise PermissionDenied(f"Sign in to {action}.")


def check_can_post(user) -> None:
    check_signed_in(user, "take part in discussions")
    if settings.REQUIRE_EMAIL_CONFIRMATION and not user.email_confirmed and not user.is_wiki_admin:
        raise wiki_access.EmailNotConfirmed(
            "Confirm your e-mail address before posting: follow the link we sent you."
        )


def can_post(user) -> bool:
    try:
        check_can_post(user)
    except PermissionDenied:
        return False
    return True


def check_can_edit_post(user, post: Post) -> None:
    check_can_post(user)
    if post.author_id != user.pk:
        raise PermissionDenied("You can only edit your own posts.")
    if post.is_hidden:
        raise PermissionDenied("A moderator hid this post, so it cannot be edited.")


def talk_page(title: str) -> Page:
    """The live page whose discussion this is; talk pages exist only for pages that exist."""
    try:
        return wiki_access.get_page(title)
    except Http404:
        raise Http404(
            f"There is no page called “{title.replace('_', ' ')}”, so it has no discussion. "
            "Create the page first, then start a thread on it."
        ) from None


def get_thread(thread_id: int) -> Thread:
    thread = Thread.objects.select_related("page").filter(pk=thread_id, page__deleted_at__isnull=True).first()
    if thread is None:
        raise Http404(f"There is no discussion thread number {thread_id}.")
    return thread


def get_post(post_id: int) -> Post:
    post = (
        Post.objects.select_related("thread__page")
        .filter(pk=post_id, thread__page__deleted_at__isnull=True)
        .first()
    )
    if post is None:
        raise Http404(f"There is no post number {post_id}.")
    return post
