from django.urls import include, path

from .views import pages

app_name = "wiki"

urlpatterns = [
    path("wiki/", pages.main_page, name="main"),
    path("wiki/<path:title>", pages.page_view, name="page"),
    path("edit/<path:title>", pages.edit, name="edit"),
    path("raw/<path:title>", pages.raw, name="raw"),
    path("history/<path:title>", pages.history, name="history"),
    path("diff/<path:title>", pages.diff, name="diff"),
    path("revert/<path:title>", pages.revert, name="revert"),
    path("rollback/<path:title>", pages.rollback, name="rollback"),
    path("move/<path:title>", pages.move, name="move"),
    path("protect/<path:title>", pages.protect, name="protect"),
    path("delete/<path:title>", pages.delete, name="delete"),
    path("undelete/<path:title>", pages.undelete, name="undelete"),
    path("watch/<path:title>", pages.watch, name="watch"),
    path("special/preview", pages.preview, name="preview"),
    path("", include("districtwiki.wiki.special_urls")),
    path("", include("districtwiki.wiki.file_urls")),
]
