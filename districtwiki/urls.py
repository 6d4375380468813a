from django.contrib import admin
from django.urls import include, path

from .wiki.views import pages as wiki_pages

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("districtwiki.accounts.urls")),
    path("api/v1/", include("districtwiki.api.urls")),
    path("healthz", wiki_pages.healthz, name="healthz"),
    path("", include("districtwiki.wiki.urls")),
]
