"""Routes of the advocacy hub, under /advocacy/ (DESIGN.md's URL contract)."""

from django.urls import path

from .views import hub

app_name = "advocacy"

urlpatterns: list = [
    path("", hub.hub, name="hub"),
]
