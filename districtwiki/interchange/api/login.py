"""action=login and action=logout.

action=login takes a member's username and password, or a personal API token as a MediaWiki bot password
(lgname "alice" or "alice@laptop", lgpassword "dw_…"): the session it opens lasts only while that token
exists. Failed attempts count towards the same lock-out as the sign-in form.
"""

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout

from districtwiki import ratelimits
from districtwiki.accounts import actions as account_actions
from districtwiki.accounts import throttling
from districtwiki.accounts.models import APIToken

from . import tokens
from .params import Param

TOKEN_SESSION_KEY = "api_bot_token"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(ctx) -> dict:
    params = ctx.params
    name, password = params.text("lgname").strip(), params.text("lgpassword")
    sent_token = params.text("lgtoken")
    if not sent_token:
        return {"login": {"result": "NeedToken", "token": tokens.login_token(ctx.request)}}
    if not tokens.check_login_token(ctx.request, sent_token):
        return _failed(
            "WrongToken", "The login token is not valid: ask for a new one with meta=tokens&type=login."
        )
    if not name or not password:
        return _failed("Failed", "Send both lgname and lgpassword.")
    address = ratelimits.client_address(ctx.request)
    try:
        user, api_token = _authenticate(ctx.request, name, password, address)
    except throttling.LoginLocked as locked:
        seconds = max(1, int(locked.retry_after.total_seconds()))
        return {"login": {"result": "Throttled", "wait": seconds, "reason": str(locked)}}
    except account_actions.InvalidLogin as error:
        return _failed("Failed", str(error))
    auth_login(ctx.request, user, backend=MODEL_BACKEND)
    if api_token is not None:
        ctx.request.session[TOKEN_SESSION_KEY] = api_token.pk
    return {"login": {"result": "Success", "lguserid": user.pk, "lgusername": user.get_username()}}


def _failed(result: str, reason: str) -> dict:
    return {"login": {"result": result, "reason": reason}}


def _authenticate(request, name: str, password: str, address: str):
    """The account and, for a bot password, its API token; LoginLocked or InvalidLogin otherwise."""
    if not password.startswith(APIToken.PREFIX):
        return account_actions.authenticate_login(name, password, address, request), None
    username = account_actions.find_username(name.partition("@")[0])
    throttling.check_login_allowed(username, address)
    api_token = APIToken.objects.find(password)
    if api_token is None or api_token.user.get_username() != username:
        throttling.record_failure(username, address)
        raise account_actions.InvalidLogin(
            "That username and API token do not match: check the name, or create a new token in your "
            "account settings (a revoked token no longer works)."
        )
    throttling.clear_failures(api_token.user, name)
    return api_token.user, api_token


def logout(ctx) -> dict:
    auth_logout(ctx.request)
    return {}


def end_revoked_session(request) -> None:
    """A session opened with an API token ends when the token is revoked (or its account suspended)."""
    token_id = request.session.get(TOKEN_SESSION_KEY) if hasattr(request, "session") else None
    if token_id is not None and not APIToken.objects.filter(pk=token_id, user__is_active=True).exists():
        auth_logout(request)


LOGIN_PARAMETERS = (
    Param("name"),
    Param("password", "password"),
    Param("domain"),
    Param("token", token="login"),
)  # with the prefix "lg"
