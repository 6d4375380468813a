from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .interchange.api import views as action_api
from .wiki.views import pages as wiki_pages

urlpatterns = [
    # One sign-in form for the whole site, so that login throttling cannot be bypassed through the admin.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("districtwiki.accounts.urls")),
    path("api/v1/", include("districtwiki.api.urls")),
    path("w/api.php", action_api.api, name="action-api"),
    path("", include("districtwiki.community.urls")),
    path("healthz", wiki_pages.healthz, name="healthz"),
    path("", include("districtwiki.discussions.urls")),
    path("", include("districtwiki.notifications.urls")),
    path("events/", include("districtwiki.events.urls")),
    path("advocacy/", include("districtwiki.advocacy.urls")),
    path("", include("districtwiki.content.urls")),
    path("", include("districtwiki.wiki.urls")),
]

# Error pages that speak to people: only a sentence our code wrote, never an exception's name.
handler403 = "districtwiki.errors.permission_denied"
handler404 = "districtwiki.errors.page_not_found"
