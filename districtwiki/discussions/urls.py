from django.urls import path

from .views import moderation, talk

app_name = "discussions"

urlpatterns = [
    path("talk/<path:title>", talk.talk_page, name="talk"),
    path("discussions/<int:thread_id>", talk.thread_view, name="thread"),
    path("discussions/<int:thread_id>/watch", talk.watch_thread, name="watch"),
    path("discussions/<int:thread_id>/lock", moderation.lock_thread, name="lock"),
    path("discussions/posts/<int:post_id>", talk.post_permalink, name="post"),
    path("discussions/posts/<int:post_id>/edit", talk.edit_post, name="edit_post"),
    path("discussions/posts/<int:post_id>/history", talk.post_history, name="post_history"),
    path("discussions/posts/<int:post_id>/hide", moderation.hide_post, name="hide_post"),
    path("discussions/posts/<int:post_id>/unhide", moderation.unhide_post, name="unhide_post"),
    path("special/discussions", talk.latest, name="latest"),
    path("special/report", moderation.report, name="report"),
    path("special/moderation", moderation.queue, name="moderation"),
    path("special/moderation/reports/<int:report_id>/dismiss", moderation.dismiss, name="dismiss"),
    path("special/moderation/suspend", moderation.suspend, name="suspend"),
    path("special/moderation/unsuspend", moderation.unsuspend, name="unsuspend"),
]
