"""Every failure becomes {"detail": "<a sentence for a person>"} with the right status; never a bare 500.

The wiki's typed exceptions (InvalidTitle, WikiError and its kinds, PermissionDenied, Http404) are
translated here once, so the routers only call actions and shape results.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from districtwiki.wiki import actions
from districtwiki.wiki.titles import InvalidTitle

from .schemas import Conflict, CurrentRevision

logger = logging.getLogger(__name__)

SIGN_IN = "Sign in or send an API token."


def error(status: int, detail: str, **headers: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, headers=headers or None)


def unauthenticated(request, exc: AuthenticationError) -> JsonResponse:
    return error(401, SIGN_IN, **{"WWW-Authenticate": "Bearer"})


def _location(loc: tuple) -> str:
    # Ninja prefixes the source and parameter name ("body", "edit", "content"); a person wants "content".
    parts = [str(part) for part in loc[2:]] if loc and loc[0] == "body" else [str(part) for part in loc[1:]]
    return ".".join(parts) or "the request body"


def _sentence(problem: dict) -> str:
    message = str(problem.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{_location(tuple(problem.get('loc', ())))}: {message}"


def invalid_request(request, exc: ValidationError) -> JsonResponse:
    # Ninja answers 422 with pydantic's error list; the contract is 400 and one readable message.
    problems = "; ".join(_sentence(problem) for problem in exc.errors)
    return error(400, f"The request is not valid: {problems}.")


def http_error(request, exc: HttpError) -> JsonResponse:
    cause = exc.__cause__
    if isinstance(cause, ValueError):  # json.JSONDecodeError and UnicodeDecodeError
        return error(400, f'The request body is not valid JSON ({cause}). Send e.g. {{"content": "..."}}.')
    return error(exc.status_code, str(exc))


def body_too_big(request, exc: RequestDataTooBig) -> JsonResponse:
    return error(413, f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KiB.")


def not_found(request, exc: Http404) -> JsonResponse:
    return error(404, str(exc) or "Not found.")


def invalid_title(request, exc: InvalidTitle) -> JsonResponse:
    return error(400, str(exc))


def permission_denied(request, exc: PermissionDenied) -> JsonResponse:
    return error(403, str(exc) or "You may not do that.")


def wiki_error(request, exc: actions.WikiError) -> JsonResponse:
    if isinstance(exc, actions.RateLimited):
        return error(exc.status, str(exc), **{"Retry-After": "60"})
    return error(exc.status, str(exc))


def edit_conflict(request, exc: actions.EditConflict) -> JsonResponse:
    body = Conflict(
        detail=str(exc),
        current_revision=CurrentRevision.of(exc.current),
        conflicts=[
            {"base": region.base, "theirs": region.theirs, "mine": region.mine} for region in exc.conflicts
        ],
    )
    return JsonResponse(body.model_dump(mode="json"), status=409)


def server_error(request, exc: Exception) -> JsonResponse:
    logger.exception("API request failed: %s %s", request.method, request.path, exc_info=exc)
    return error(500, "Something went wrong on the server. The error was logged; please try again later.")


HANDLERS = [
    (Exception, server_error),
    (HttpError, http_error),
    (AuthenticationError, unauthenticated),
    (ValidationError, invalid_request),
    (RequestDataTooBig, body_too_big),
    (Http404, not_found),
    (InvalidTitle, invalid_title),
    (PermissionDenied, permission_denied),
    (actions.WikiError, wiki_error),
    (actions.EditConflict, edit_conflict),
]


def install(api) -> None:
    for exception_class, handler in HANDLERS:
        api.add_exception_handler(exception_class, handler)
