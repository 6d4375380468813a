"""Sign-up when it is not open to all (DISTRICTWIKI_SIGNUP): the gate in front of the sign-up form, the
invited sign-up, applying for approval, and the invitations page of trusted members and admins.

Views parse, call invitations.py or approvals.py and answer; a refused request gets its 4xx and sentence.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.errors import error_page
from districtwiki.paging import answer_bad_pages, paginate

from . import actions, approvals, invitations
from .invitation_forms import ApplicationForm, InvitationForm, InvitedSignupForm

INVITATIONS_PER_PAGE = 50


def refused(request, error: actions.AccountError):
    return error_page(request, error.status, str(error))


def already_signed_in(request):
    messages.info(request, "You are already signed in.")
    return redirect("accounts:settings")


# --- The gate of /accounts/signup/


def signup_gate(request):
    """None when anyone may sign up; otherwise the answer of the invitation-only or application form.
    Called by views.signup for a signed-out visitor before it reads anything posted."""
    if settings.SIGNUP == "invite":
        # 403 for GET and POST alike: nothing posted here can make an account without an invitation link.
        return render(request, "accounts/invitations/by_invitation.html", status=403)
    if settings.SIGNUP == "approval":
        return apply(request)
    return None


def apply(request):
    form = ApplicationForm(request.POST) if request.method == "POST" else ApplicationForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            approvals.apply(data["username"], data["email"], data["password1"], data["note"])
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            return redirect("accounts:signup_requested")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/invitations/apply.html", {"form": form}, status=status)


@require_GET
def signup_requested(request):
    return render(request, "accounts/invitations/requested.html")


# --- The invited sign-up


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invited_signup(request, token: str):
    if request.user.is_authenticated:
        return already_signed_in(request)
    try:
        invitation = invitations.find_usable(token)
    except invitations.InvitationError as error:
        return render_unusable(request, error)
    form = InvitedSignupForm(invitation, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user = invitations.accept(token, form.cleaned_data["username"], form.cleaned_data["password1"])
        except invitations.InvitationError as error:  # used in another tab meanwhile
            return render_unusable(request, error)
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, f"Welcome, {user.username}! Your account is ready.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "invitation": invitation}
    status = 400 if form.is_bound else 200
    return render(request, "accounts/invitations/signup.html", context, status=status)


def render_unusable(request, error: actions.AccountError):
    context = {"message": str(error)}
    return render(request, "accounts/invitations/unusable.html", context, status=error.status)


# --- The invitations page


def render_invitations(request, form=None, status: int = 200):
    context = {
        "form": form or InvitationForm(),
        "listing": paginate(request, invitations.visible_invitations(request.user), INVITATIONS_PER_PAGE),
        "show_inviter": request.user.is_wiki_admin,
        "left_today": max(0, settings.INVITATIONS_PER_DAY - invitations.sent_in_last_day(request.user)),
        "per_day": settings.INVITATIONS_PER_DAY,
        "valid_days": settings.INVITATION_DAYS,
        "waiting_signups": approvals.waiting_requests().count() if settings.SIGNUP == "approval" else None,
    }
    return render(request, "accounts/invitations/invitations.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@answer_bad_pages
def invitations_page(request):
    try:
        invitations.check_can_invite(request.user)
    except invitations.NotAllowedToInvite as error:
        return refused(request, error)
    if request.method == "GET":
        return render_invitations(request)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return render_invitations(request, form, 400)
    try:
        sent, unsent = invitations.invite(request.user, form.cleaned_data["addresses"])
    except invitations.InvitationError as error:
        for problem in getattr(error, "problems", [str(error)]):
            form.add_error("addresses", problem)
        return render_invitations(request, form, error.status)
    report_sent(request, sent, unsent)
    return redirect("accounts:invitations")


def report_sent(request, sent, unsent: list[str]) -> None:
    addresses = invitations.quoted(invitation.email for invitation in sent)
    messages.success(
        request, f"Invited {addresses}: the link in their e-mail works for {settings.INVITATION_DAYS} days."
    )
    if unsent:
        messages.warning(
            request,
            f"The e-mail to {invitations.quoted(unsent)} could not be sent just now. "
            "Revoke that invitation and invite the address again later.",
        )


@require_POST
@login_required
def invitation_revoke(request, invitation_id: int):
    try:
        invitation = invitations.revoke(request.user, invitation_id)
    except invitations.InvitationError as error:
        return refused(request, error)
    messages.success(request, f"The invitation to {invitation.email} is revoked: its link no longer works.")
    return redirect("accounts:invitations")
