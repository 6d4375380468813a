"""The error page every part of the site answers with: a heading for the status and a sentence for the
person. Shared by the wiki and the features built on it, so none of them imports another's views for it."""

from django.shortcuts import render

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
    """handler403, as handler404."""
    return render(request, "403.html", {"message": human_message(exception)}, status=403)
