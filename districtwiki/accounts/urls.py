from django.urls import path

from . import views, views_approvals, views_invitations

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("confirm/resend/", views.confirm_resend, name="confirm_resend"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("password/reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetSent.as_view(), name="password_reset_sent"),
    path("password/reset/complete/", views.PasswordResetComplete.as_view(), name="password_reset_complete"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("settings/", views.settings_page, name="settings"),
    path("settings/email/", views.change_email, name="change_email"),
    path("settings/password/", views.change_password, name="change_password"),
    path("settings/tokens/", views.token_create, name="token_create"),
    path("settings/tokens/new/", views.token_created, name="token_created"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    # Sign-up by invitation or approval (DISTRICTWIKI_SIGNUP).
    path("signup/requested/", views_invitations.signup_requested, name="signup_requested"),
    path("signup/invited/<str:token>/", views_invitations.invited_signup, name="invited_signup"),
    path("invitations/", views_invitations.invitations_page, name="invitations"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views_invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("approvals/", views_approvals.approvals_page, name="approvals"),
    path("approvals/<int:request_id>/approve/", views_approvals.approve, name="approve"),
    path("approvals/<int:request_id>/decline/", views_approvals.decline, name="decline"),
]
