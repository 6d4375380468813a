"""Turning the wiki's typed errors into pages a person can read."""

import functools

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ..actions import WikiError
from ..titles import InvalidTitle

HEADINGS = {
    400: "That request can't be handled",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Too large",
    429: "Slow down",
}


def error_page(request, status: int, message: str):
    context = {"heading": HEADINGS.get(status, "Something went wrong"), "message": message}
    return render(request, "error.html", context, status=status)


def translate_errors(view):
    """Answer InvalidTitle, WikiError and PermissionDenied with their message and status."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except InvalidTitle as error:
            return error_page(request, 400, str(error))
        except PermissionDenied as error:
            return error_page(request, 403, str(error) or "You are not allowed to do that.")
        except WikiError as error:
            return error_page(request, error.status, str(error))

    return wrapped
