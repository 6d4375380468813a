"""Who may do what to a page: one place for every permission rule of the wiki.

`check_*` functions raise PermissionDenied with a message a person understands; views and the API
translate it into a 403. `get_page_*` helpers also raise Http404.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Page
from .titles import InvalidTitle, normalize_title


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_trusted(user) -> bool:
    return is_signed_in(user) and user.is_trusted


def is_admin(user) -> bool:
    return is_signed_in(user) and user.is_wiki_admin


class EmailNotConfirmed(PermissionDenied):
    """Refused until the member confirms their e-mail address. The refusal says so itself, so the page that
    shows it leaves out the reminder banner (errors.refusal_page)."""

    tells_to_confirm = True


def check_can_edit(user, page: Page | None) -> None:
    if not is_signed_in(user):
        if not settings.ALLOW_ANONYMOUS_EDITS:
            raise PermissionDenied("Sign in to edit pages.")
    elif settings.REQUIRE_EMAIL_CONFIRMATION and not user.email_confirmed and not user.is_wiki_admin:
        raise EmailNotConfirmed("Confirm your e-mail address before editing: follow the link we sent you.")
    if page is None:
        return
    if page.is_deleted:
        raise PermissionDenied("This page was deleted. An admin can restore it from its history.")
    if page.protection == Page.Protection.ADMIN and not is_admin(user):
        raise PermissionDenied("This page is protected: only admins can edit it.")
    if page.protection == Page.Protection.TRUSTED and not is_trusted(user):
        raise PermissionDenied("This page is protected: only trusted members can edit it.")


def check_trusted(user, action: str) -> None:
    if not is_trusted(user):
        raise PermissionDenied(f"Only trusted members can {action}.")


def check_admin(user, action: str) -> None:
    if not is_admin(user):
        raise PermissionDenied(f"Only admins can {action}.")


def can_edit(user, page: Page | None) -> bool:
    try:
        check_can_edit(user, page)
    except PermissionDenied:
        return False
    return True


def get_page(title: str, *, include_deleted: bool = False) -> Page:
    """The page with this title, or Http404. InvalidTitle propagates (the caller answers 400)."""
    canonical = normalize_title(title)
    pages = Page.objects.select_related("latest") if include_deleted else Page.objects.live()
    page = pages.select_related("latest").filter(title=canonical).first()
    if page is None:
        raise Http404(f'There is no page called "{canonical}".')
    return page


def find_page(title: str) -> Page | None:
    try:
        return Page.objects.select_related("latest").filter(title=normalize_title(title)).first()
    except InvalidTitle:
        return None
