"""Community URLs, with their full paths: the profile editor and one's own data live under /accounts/,
the directory, profiles, messages and state chapters under /members/.

`members/<username>` comes last: a username cannot contain "/", so it never hides the routes above it."""

from django.urls import path

from .views import chapters, messages, privacy, profiles

app_name = "community"

urlpatterns = [
    path("accounts/profile/", profiles.edit_profile, name="edit_profile"),
    path("accounts/settings/data", privacy.download_data, name="download_data"),
    path("accounts/delete/", privacy.delete_account, name="delete_account"),
    path("members/", profiles.member_directory, name="directory"),
    path("members/messages/", messages.inbox, name="inbox"),
    path("members/messages/<int:conversation_id>", messages.conversation_view, name="conversation"),
    path("members/messages/new/<str:username>", messages.new_message, name="new_message"),
    path("members/messages/report/<int:message_id>", messages.report_message, name="report_message"),
    path("members/messages/reports/", messages.message_reports, name="message_reports"),
    path("members/messages/reports/<int:report_id>", messages.message_report, name="message_report"),
    path("members/block/<str:username>", messages.block, name="block"),
    path("members/unblock/<str:username>", messages.unblock, name="unblock"),
    path("members/state/", chapters.state_list, name="state_list"),
    path("members/state/<str:code>", chapters.state_chapter, name="state_chapter"),
    path("members/<str:username>", profiles.member_profile, name="profile"),
]
