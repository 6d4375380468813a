"""The queue of sign-ups waiting for approval (DISTRICTWIKI_SIGNUP=approval): trusted members, admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from districtwiki.errors import error_page
from districtwiki.paging import answer_bad_pages, paginate

from . import approvals

REQUESTS_PER_PAGE = 50


@require_GET
@login_required
@answer_bad_pages
def approvals_page(request):
    try:
        approvals.check_can_decide(request.user)
    except approvals.ApprovalError as error:
        return error_page(request, error.status, str(error))
    listing = paginate(request, approvals.waiting_requests(), REQUESTS_PER_PAGE)
    return render(request, "accounts/approvals/queue.html", {"listing": listing})


@require_POST
@login_required
def approve(request, request_id: int):
    try:
        signup, sent = approvals.approve(request.user, request_id)
    except approvals.ApprovalError as error:
        return error_page(request, error.status, str(error))
    username = signup.user.username
    if sent:
        messages.success(request, f"{username} is approved and now a member; we e-mailed them.")
    else:
        messages.warning(request, f"{username} is approved, but the e-mail telling them could not be sent.")
    return redirect("accounts:approvals")


@require_POST
@login_required
def decline(request, request_id: int):
    try:
        user, sent = approvals.decline(request.user, request_id)
    except approvals.ApprovalError as error:
        return error_page(request, error.status, str(error))
    if sent:
        messages.success(
            request, f"The sign-up of {user.username} is declined and deleted; we e-mailed them."
        )
    else:
        messages.warning(
            request,
            f"The sign-up of {user.username} is declined, but the e-mail telling them could not be sent.",
        )
    return redirect("accounts:approvals")
