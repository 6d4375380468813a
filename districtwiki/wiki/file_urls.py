"""Uploading and serving files."""

from django.urls import path

from .views import files

urlpatterns = [
    path("special/upload", files.upload, name="upload"),
    path("file/<path:name>", files.serve, name="file"),
]
