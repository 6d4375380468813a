"""What every community view shares: error pages, paging and finding a member by username."""

import functools

from django.contrib.auth import get_user_model
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404

from districtwiki.errors import error_page
from districtwiki.wiki import access

from ..messaging import MessagingError
from ..visibility import is_former_member


class BadRequest(Exception):
    status = 400


def translate_errors(view):
    """Answer typed errors (messaging's, BadRequest) with their status and message."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (MessagingError, BadRequest) as error:
            return error_page(request, error.status, str(error))

    return wrapped


def paginate(request, items, per_page: int):
    raw = request.GET.get("page", "1").strip() or "1"
    if not raw.isdigit():
        raise BadRequest(f"“page” must be a page number, not “{raw[:40]}”.")
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(int(raw))
    except EmptyPage:
        raise Http404(f"There is no page {int(raw)} of this list.") from None


def find_member(username: str, viewer):
    """The active member with this username; admins also find inactive (suspended) ones. Http404 else."""
    user = get_user_model().objects.select_related("profile").filter(username=username).first()
    if user is not None and is_former_member(user):
        raise Http404("This member deleted their account.")
    if user is None or not (user.is_active or access.is_admin(viewer)):
        raise Http404(f"There is no member called “{username[:150]}”.")
    return user
