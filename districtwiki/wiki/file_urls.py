"""Uploading and serving files."""

urlpatterns: list = []
