"""Sign-up, sign-in and sign-out, e-mail confirmation, password reset and the settings page.

Views parse, call an action from actions.py and answer; a refused request gets its 4xx status and message.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.errors import error_page

from . import actions, signin_reasons, throttling
from .forms import EmailChangeForm, LoginForm, PasswordResetForm, SignupForm, TokenForm
from .views_invitations import signup_gate

NEW_TOKEN_SESSION_KEY = "accounts:new-token"


def safe_next(request, default: str) -> str:
    """The ?next= target if it stays on this site, else the default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


def account_error_page(request, error: actions.AccountError):
    return error_page(request, error.status, str(error))


# --- Sign-up and e-mail confirmation


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        messages.info(request, "You are already signed in.")
        return redirect("accounts:settings")
    if (gated := signup_gate(request)) is not None:  # by invitation or approval only (DISTRICTWIKI_SIGNUP)
        return gated
    form = SignupForm(request.POST) if request.method == "POST" else SignupForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            actions.sign_up(
                data["username"], data["email"], data["password1"], throttling.client_address(request)
            )
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, welcome_message(data["username"], data["email"]))
            return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "accounts/signup.html", context, status=400 if form.is_bound else 200)


def welcome_message(username: str, email: str) -> str:
    """The same whether the address was new or already had an account (actions.sign_up)."""
    if not settings.REQUIRE_EMAIL_CONFIRMATION:
        return f"Welcome, {username}! Your account is ready: sign in to start editing."
    return (
        f"Welcome, {username}! We sent a link to {email}: follow it to confirm your address, then sign in "
        "to start editing. Nothing within a few minutes? Look in your spam folder."
    )


@require_GET
def confirm(request, token: str):
    try:
        user = actions.confirm_email(token)
    except actions.InvalidConfirmation as error:
        return render(request, "accounts/confirm_invalid.html", {"message": str(error)}, status=400)
    return render(request, "accounts/confirmed.html", {"confirmed_user": user})


@require_POST
@login_required
def confirm_resend(request):
    user = request.user
    if user.email_confirmed:
        messages.info(request, "Your e-mail address is already confirmed.")
        return redirect("accounts:settings")
    try:
        sent = actions.resend_confirmation(user, throttling.client_address(request))
    except actions.TooSoon as error:
        return account_error_page(request, error)
    if sent:
        messages.success(request, f"We sent a new confirmation link to {user.email}.")
    else:
        messages.warning(request, "We could not send the e-mail just now. Try again in a few minutes.")
    return redirect("accounts:settings")


# --- Sign-in and sign-out


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    next_url = safe_next(request, settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST) if request.method == "POST" else LoginForm()
    if not form.is_bound:
        return render_login(request, form, next_url)
    if not form.is_valid():
        return render_login(request, form, next_url, status=400)
    login_name, password = form.cleaned_data["login"], form.cleaned_data["password"]
    try:
        user = actions.authenticate_login(login_name, password, throttling.client_address(request), request)
    except throttling.LoginLocked as locked:
        form.add_error(None, str(locked))
        response = render_login(request, form, next_url, status=locked.status)
        response["Retry-After"] = str(max(1, int(locked.retry_after.total_seconds())))
        return response
    except actions.InvalidLogin as error:
        form.add_error(None, str(error))
        return render_login(request, form, next_url, status=error.status)
    auth_login(request, user)
    return redirect(next_url)


def render_login(request, form, next_url: str, status: int = 200):
    reason_key = request.POST.get("reason") or request.GET.get("reason") or ""
    context = {
        "form": form,
        "next": next_url,
        "reason": signin_reasons.reason_for(safe_next(request, ""), reason_key),
        "reason_key": reason_key if reason_key in signin_reasons.REASONS else "",
    }
    return render(request, "accounts/login.html", context, status=status)


@require_http_methods(["GET", "POST"])
def logout(request):
    """POST signs out; GET only asks, so that a link or prefetch cannot sign anyone out."""
    next_url = safe_next(request, settings.LOGOUT_REDIRECT_URL)
    if request.method == "GET":
        return render(request, "accounts/logout.html", {"next": next_url})
    auth_logout(request)
    messages.info(request, "You are signed out.")
    return redirect(next_url)


# --- Settings


def render_settings(request, status: int = 200, **bound_forms):
    user = request.user
    password_form = PasswordChangeForm(user, auto_id="password_%s")
    # Django's form focuses its first field; on this page that would skip past everything above it.
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    context = {
        "email_form": EmailChangeForm(user, auto_id="email_%s"),
        "password_form": password_form,
        "token_form": TokenForm(auto_id="token_%s"),
        "tokens": user.api_tokens.all(),
        "require_confirmation": settings.REQUIRE_EMAIL_CONFIRMATION,
        "must_confirm": actions.must_confirm_email(user),
        **bound_forms,
    }
    return render(request, "accounts/settings.html", context, status=status)


@require_GET
@login_required
def settings_page(request):
    return render_settings(request)


@sensitive_post_parameters("password")
@require_POST
@login_required
def change_email(request):
    form = EmailChangeForm(request.user, request.POST, auto_id="email_%s")
    if not form.is_valid():
        return render_settings(request, 400, email_form=form)
    try:
        actions.change_email(request.user, form.cleaned_data["email"])
    except actions.AccountError as error:
        form.add_error("email", str(error))
        return render_settings(request, error.status, email_form=form)
    user = request.user
    if user.email_confirmed:
        messages.success(request, f"Your e-mail address is now {user.email}.")
    elif actions.send_confirmation(user, throttling.client_address(request)):
        messages.success(request, f"We sent a link to {user.email}: follow it to confirm your new address.")
    else:
        messages.warning(request, "Your address is changed, but the confirmation e-mail could not be sent.")
    return redirect("accounts:settings")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_POST
@login_required
def change_password(request):
    form = PasswordChangeForm(request.user, request.POST, auto_id="password_%s")
    form.fields["old_password"].widget.attrs.pop("autofocus", None)
    if not form.is_valid():
        return render_settings(request, 400, password_form=form)
    form.save()
    update_session_auth_hash(request, form.user)  # stay signed in here; other sessions end
    messages.success(request, "Your password is changed.")
    return redirect("accounts:settings")


@require_POST
@login_required
def token_create(request):
    form = TokenForm(request.POST, auto_id="token_%s")
    if not form.is_valid():
        return render_settings(request, 400, token_form=form)
    try:
        token, key = actions.create_api_token(request.user, form.cleaned_data["name"])
    except actions.AccountError as error:
        form.add_error("name", str(error))
        return render_settings(request, error.status, token_form=form)
    # Shown on the next page exactly once (popped there), so reloading it cannot reveal the key again.
    request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "key": key}
    return redirect("accounts:token_created")


@never_cache
@require_GET
@login_required
def token_created(request):
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    token = request.user.api_tokens.filter(pk=new_token["id"]).first() if new_token else None
    if token is None:
        messages.info(request, "A token's key is shown only once, right after it is made. Make a new token.")
        return redirect("accounts:settings")
    return render(request, "accounts/token_created.html", {"token": token, "key": new_token["key"]})


@require_POST
@login_required
def token_revoke(request, token_id: int):
    try:
        token = actions.revoke_api_token(request.user, token_id)
    except actions.TokenNotFound as error:
        return account_error_page(request, error)
    messages.success(request, f"The token “{token.name}” ({token.hint}…) is revoked: it no longer works.")
    return redirect("accounts:settings")


# --- Password reset: Django's views with our templates; bad input answers 400.


class BadInputIs400:
    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordReset(BadInputIs400, auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset_body.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client": throttling.client_address(self.request)}

    def form_valid(self, form):
        self.extra_email_context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirm(BadInputIs400, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def render_to_response(self, context, **response_kwargs):
        if not self.validlink:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.password_was_reset(form.user)
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
