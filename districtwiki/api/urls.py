"""The API's URLs: ninja's routes, with JSON answers where ninja or Django would answer in plain text."""

import functools

from django.http import JsonResponse
from django.urls import path

from .api import api

app_name = "api"


def json_method_not_allowed(view):
    """Ninja answers a wrong method with a plain-text 405; API clients get the usual JSON error."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = ", ".join(sorted(method.strip() for method in response["Allow"].split(",")))
        detail = f"{request.method} is not allowed here; use {allowed}."
        return JsonResponse({"detail": detail}, status=405, headers={"Allow": allowed})

    return wrapped


def no_endpoint(request, rest: str = ""):
    detail = f"There is no API endpoint at /api/v1/{rest}. The API is described at /api/v1/openapi.json."
    return JsonResponse({"detail": detail}, status=404)


def api_patterns() -> list:
    patterns, _app_name, _namespace = api.urls
    # ninja's root view (named api-root, used to reverse the API's prefix) raises an HTML 404.
    return [
        path(str(pattern.pattern), no_endpoint, name=pattern.name)
        if pattern.name == "api-root"
        else path(str(pattern.pattern), json_method_not_allowed(pattern.callback), name=pattern.name)
        for pattern in patterns
    ]


urlpatterns = [*api_patterns(), path("<anypath:rest>", no_endpoint, name="no-endpoint")]
