"""URLs as django-wiki's installation guide gives them: the wiki at the root, notifications beside it."""

from django.urls import include, path

urlpatterns = [
    path("notifications/", include("django_nyt.urls")),
    path("", include("wiki.urls")),
]
