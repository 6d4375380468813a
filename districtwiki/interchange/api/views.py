"""/w/api.php: one view that reads MediaWiki's parameters, checks the request as MediaWiki does (POST and a
csrf token for writes, assert, maxlag), runs the module and answers in the requested formatversion."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from districtwiki.wiki import access

from . import login, query, tokens
from .context import Context, legacy_flags
from .errors import ApiError, bad_value, error_object
from .meta import groups_of
from .params import Params, format_timestamp, parse_integer
from .registry import MAIN_PARAMETERS, MODULES, Module


@csrf_exempt  # writes carry MediaWiki's own csrf token (tokens.py), checked for every write module
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def api(request):
    try:
        params = _main_params(_values(request))
    except (RequestDataTooBig, TooManyFieldsSent):
        refusal = ApiError(
            "contenttoobig", "The request is larger than this wiki accepts; send less text at once."
        )
        return _respond(Context(request, _main_params({}), 1), error_object(refusal, 1))
    formatversion = 2 if params.values.get("formatversion") in ("2", "latest") else 1
    ctx = Context(request, params, formatversion)
    try:
        body = _run(ctx)
    except ApiError as error:
        body = error_object(error, formatversion)
    return _respond(ctx, body)


def _values(request) -> dict[str, str]:
    """GET and POST parameters as one, POST winning, as MediaWiki reads them. Their size is bounded by
    Django's DATA_UPLOAD_MAX_MEMORY_SIZE (a few times the page size limit) and the server's URL limit."""
    return {**request.GET.dict(), **request.POST.dict()}


def _main_params(values: dict[str, str]) -> Params:
    params = Params(values)
    params.declare(MAIN_PARAMETERS)
    return params


def _run(ctx) -> dict:
    params = ctx.params
    login.end_revoked_session(ctx.request)
    params.choice("format")
    params.choice("formatversion")
    action = params.text("action") or "help"
    module = MODULES.get(action)
    if module is None:
        raise ApiError("unknown_action", f'Unrecognized value for parameter "action": {action[:100]}.')
    params.declare(module.all_parameters, module.prefix)
    _check_request(ctx, module, action)
    try:
        return module.run(ctx)
    except DatabaseError as error:
        if "read-only" in str(error) or "readonly" in str(error):
            raise ApiError(
                "readonly", "The wiki is read-only just now (maintenance or a restore); try again later."
            ) from None
        raise


def _check_request(ctx, module: Module, action: str) -> None:
    params = ctx.params
    _check_read_right(ctx, module, action)
    maxlag = params.get("maxlag")
    if maxlag is not None:
        parse_integer("maxlag", maxlag, 0)  # one database, no replica lag to report: any value passes
    _check_assert(ctx)
    if module.must_post and ctx.request.method != "POST":
        raise ApiError("mustbeposted", f'The "{action}" module requires a POST request.')
    if module.writes:
        tokens.check_csrf(ctx.request, params)


def _check_read_right(ctx, module: Module, action: str) -> None:
    """On a private wiki only members read, as with MediaWiki's `$wgGroupPermissions['*']['read'] = false`:
    signed out, a client may log in (and fetch the login token first), read this API's own description
    and nothing else. The refusal says so before the module reads anything, so no page data is in it."""
    if not settings.PRIVATE_WIKI or ctx.signed_in or not module.reads:
        return
    if action == "query" and query.reads_nothing(ctx.params):
        return
    raise ApiError(
        "readapidenied",
        "You need read permission to use this module: this wiki is private, so log in first (action=login "
        "with a member's password, or an API token as a bot password) or send a Bearer API token.",
    )


def _check_assert(ctx) -> None:
    wanted = ctx.params.get("assert")
    if not wanted:
        return
    if wanted not in ("user", "bot", "anon"):
        raise bad_value("assert", wanted)
    signed_in = access.is_signed_in(ctx.user)
    if wanted == "user" and not signed_in:
        raise ApiError(
            "assertuserfailed", "You are no longer logged in, so the action could not be completed."
        )
    if wanted == "anon" and signed_in:
        raise ApiError("assertanonfailed", "You are logged in; the client asked to act signed out.")
    if wanted == "bot" and "bot" not in groups_of(ctx.request):
        raise ApiError("assertbotfailed", 'You do not have the "bot" right (log in with an API token).')
    expected = ctx.params.get("assertuser")
    if expected and (not signed_in or ctx.user.get_username() != expected):
        raise ApiError("assertnameduserfailed", f'You are not "{expected[:100]}".')


def _respond(ctx, body: dict) -> HttpResponse:
    params = ctx.params
    unknown = params.unknown()
    if unknown and "error" not in body:
        noun = "parameter" if len(unknown) == 1 else "parameters"
        params.warn("main", f"Unrecognized {noun}: {', '.join(name[:100] for name in unknown)}.")
    if params.warnings and "error" not in body:
        key = "warnings" if ctx.formatversion == 2 else "*"
        body = {
            "warnings": {module: {key: "\n".join(texts)} for module, texts in params.warnings.items()},
            **body,
        }
    if params.has("curtimestamp"):
        body["curtimestamp"] = format_timestamp(timezone.now())
    if requestid := params.values.get("requestid"):
        body["requestid"] = requestid[:200]
    if ctx.formatversion == 1:
        body = legacy_flags(body)
    utf8 = ctx.formatversion == 2 or "utf8" in params.values
    response = HttpResponse(
        json.dumps(body, ensure_ascii=not utf8), content_type="application/json; charset=utf-8"
    )
    if "error" in body:
        response["MediaWiki-API-Error"] = body["error"]["code"]
    return response
