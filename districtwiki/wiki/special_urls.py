"""Special pages, categories and feeds (included in the "wiki" URL namespace)."""

from django.urls import path

from .views import feeds, special

urlpatterns = [
    path("special/search", special.search_view, name="search"),
    path("special/recent", special.recent, name="recent"),
    path("special/all", special.all_pages, name="all"),
    path("special/random", special.random_page, name="random"),
    path("special/wanted", special.wanted, name="wanted"),
    path("special/orphans", special.orphans, name="orphans"),
    path("special/backlinks/<path:title>", special.backlinks, name="backlinks"),
    path("special/categories", special.categories, name="categories"),
    path("special/titles", special.title_suggestions, name="title_suggestions"),
    path("special/info/<path:title>", special.info, name="info"),
    path("special/log", special.log, name="log"),
    path("category/<path:name>", special.category, name="category"),
    path("feeds/recent.atom", feeds.recent_feed, name="feed_recent"),
    path("feeds/page/<path:title>.atom", feeds.page_feed, name="feed_page"),
]
