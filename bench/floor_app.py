"""The framework floor: a bare Django view returning a ~20 KB page, no database, no middleware.

Served by granian's WSGI interface exactly like districtwiki, so the ratio of the two is the cost of
districtwiki's own work per request.
"""

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
from django.urls import path  # noqa: E402

BODY = ("<p>" + "lorem ipsum dolor sit amet " * 20 + "</p>\n") * 36


def page(request):
    return HttpResponse(BODY)


urlpatterns = [path("", page)]
application = get_wsgi_application()
