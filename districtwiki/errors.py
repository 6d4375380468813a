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
