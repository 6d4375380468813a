"""Sign-up by approval (DISTRICTWIKI_SIGNUP=approval): an application makes an inactive account, which an
admin or trusted member approves (it becomes an ordinary member) or declines (it is deleted). The applicant
gets a mail either way. An inactive account cannot sign in, so it cannot read a private wiki either.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from . import actions, signup_mail
from .models import SignupRequest, User

NOTE_LENGTH = 1000


class ApprovalError(actions.AccountError):
    pass


class NotAllowedToDecide(ApprovalError):
    status = 403


class RequestNotFound(ApprovalError):
    status = 404


class ApplicationPending(actions.InvalidLogin):
    """The right password for an account that is still waiting for approval."""

    status = 403

    def __init__(self):
        super().__init__(
            "Your account is waiting for approval: you can sign in once an admin or trusted member has "
            "approved it. We will e-mail you then."
        )


def apply(username: str, email: str, password: str, note: str) -> User | None:
    """A new, inactive account and its request, in one transaction. None when an account already uses the
    address: nothing is made, and the view answers as for a new application, so that asking to join tells
    nobody which addresses have accounts."""
    if actions.email_taken(User.objects.normalize_email(email)):
        make_password(password)  # the work making the account would have done, so timing tells nothing
        return None
    with transaction.atomic():
        user = actions.create_account(username, email, password)
        user.is_active = False
        user.save(update_fields=["is_active"])
        SignupRequest.objects.create(user=user, note=note.strip()[:NOTE_LENGTH])
    return user


def is_waiting(user: User) -> bool:
    return not user.is_active and SignupRequest.objects.pending().filter(user=user).exists()


def can_decide(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_trusted)


def check_can_decide(user) -> None:
    if not can_decide(user):
        raise NotAllowedToDecide("Only trusted members and admins can approve or decline sign-ups.")


def waiting_requests():
    return SignupRequest.objects.pending().select_related("user")


def locked_request(request_id: int) -> SignupRequest:
    found = waiting_requests().select_for_update(of=("self",)).filter(pk=request_id).first()
    if found is None:
        raise RequestNotFound(
            "No sign-up with that number is waiting: someone may have approved or declined it already."
        )
    return found


def approve(decider: User, request_id: int) -> tuple[SignupRequest, bool]:
    """The approved request, and whether the applicant's mail could be sent."""
    check_can_decide(decider)
    with transaction.atomic():
        signup = locked_request(request_id)
        signup.user.is_active = True
        signup.user.save(update_fields=["is_active"])
        signup.decided_at = timezone.now()
        signup.decided_by = decider
        signup.save(update_fields=["decided_at", "decided_by"])
    return signup, send_approval(signup.user)


def send_approval(user: User) -> bool:
    context = {"user": user, "login_link": signup_mail.site_link("accounts:login"), "confirm_link": ""}
    if actions.must_confirm_email(user):
        context["confirm_link"] = signup_mail.site_link("accounts:confirm", actions.confirmation_token(user))
        context["valid_days"] = actions.CONFIRMATION_MAX_AGE.days
    return signup_mail.send("signup_approved", user.email, context)


def decline(decider: User, request_id: int) -> tuple[User, bool]:
    """The declined (now deleted) account, and whether the applicant's mail could be sent. The account
    never was a member's: it has no edits or posts, so nothing is left that names it."""
    check_can_decide(decider)
    with transaction.atomic():
        signup = locked_request(request_id)
        user = signup.user
        user.delete()
    sent = signup_mail.send("signup_declined", user.email, {"user": user})
    return user, sent
