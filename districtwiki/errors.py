"""The error page every part of the site answers with: a heading for the status and a sentence for the
person. Shared by the wiki and the features built on it, so none of them imports another's views for it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

HEADINGS = {
    400: "That request can't be handled",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Too large",
    429: "Slow down",
}


def error_page(request, status: int, message: str, *, tells_to_confirm: bool = False):
    context = {"heading": HEADINGS.get(status, "Something went wrong"), "message": message}
    if tells_to_confirm:
        context["must_confirm"] = True  # the message is the reminder: no banner repeating it above
    return render(request, "error.html", context, status=status)


def refusal_page(request, error: PermissionDenied):
    """403 with the refusal's sentence. A refusal that asks the member to confirm their e-mail address (it
    has `tells_to_confirm`) stands in for the reminder banner every page shows them, rather than repeat it."""
    message = human_message(error) or "You are not allowed to do that."
    return error_page(request, 403, message, tells_to_confirm=getattr(error, "tells_to_confirm", False))


def human_message(exception: BaseException | None) -> str:
    """The sentence an Http404 or PermissionDenied carries for the person, or "" when it carries none. Our
    code raises them with a sentence; Django's URL resolver raises Resolver404 with a dict of the patterns it
    tried, and its default handler would show that exception's class name instead."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) else ""


def page_not_found(request, exception=None):
    """handler404: the exception's sentence, if it has one; the template says the rest."""
    return render(request, "404.html", {"message": human_message(exception)}, status=404)


def permission_denied(request, exception=None):
    """handler403: a PermissionDenied that no view translated, answered as the views answer theirs."""
    return refusal_page(request, exception if isinstance(exception, PermissionDenied) else PermissionDenied())
