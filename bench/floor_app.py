"""The framework floor: a bare Django view returning the bytes of one districtwiki page view, at any path.

bench/run.py fetches an anonymous page view from the real wiki, writes its body to a file and names it in
BENCH_FLOOR_BODY; this app is then served by granian's WSGI interface with the settings `districtwiki serve`
uses, so the ratio of the two throughputs is the cost of districtwiki's own work per request. No database,
no middleware.
"""

import os
from pathlib import Path

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import re_path  # noqa: E402

BODY = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes()


def page(request, path):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"^(?P<path>.*)$", page)]
application = get_wsgi_application()
