from django.urls import path

from . import feeds, views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read-all", views.mark_all_read, name="read_all"),
    path("notifications/<int:notification_id>/read", views.mark_read, name="read"),
    path("notifications/<int:notification_id>/go", views.go, name="go"),
    path("notifications/settings", views.settings_page, name="settings"),
    path("notifications/settings/feed", views.feed_regenerate, name="feed_regenerate"),
    path("notifications/settings/feed/revoke", views.feed_revoke, name="feed_revoke"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feeds/watchlist/<str:token>.atom", feeds.watchlist_feed, name="watchlist_feed"),
]
