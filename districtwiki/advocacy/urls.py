"""Routes of the advocacy hub, under /advocacy/ (DESIGN.md's URL contract)."""

from django.urls import path

from .views import briefs, campaigns, hub, programs, survey_results, surveys

app_name = "advocacy"

urlpatterns: list = [
    path("", hub.hub, name="hub"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<slug:slug>/", surveys.survey_page, name="survey"),
    path("surveys/<slug:slug>/answer", surveys.answer, name="survey_answer"),
    path("surveys/<slug:slug>/manage", surveys.manage, name="survey_manage"),
    path("surveys/<slug:slug>/open", surveys.open_survey, name="survey_open"),
    path("surveys/<slug:slug>/close", surveys.close_survey, name="survey_close"),
    # --- The funding tracker and impact reports (views/programs.py)
    path("programs/", programs.program_list, name="programs"),
    path("programs/new", programs.create_program, name="create_program"),
    path("programs/<slug:slug>", programs.program_page, name="program"),
    path("programs/<slug:slug>/edit", programs.edit_program, name="edit_program"),
    path("programs/<slug:slug>/amounts", programs.add_amount, name="add_amount"),
    path("programs/<slug:slug>/amounts/<int:amount_id>/delete", programs.remove_amount, name="remove_amount"),
    path("programs/<slug:slug>/status", programs.change_status, name="change_status"),
    path("programs/<slug:slug>/watch", programs.watch, name="watch_program"),
    path("programs/<slug:slug>/unwatch", programs.unwatch, name="unwatch_program"),
    path("programs/<slug:slug>/alert", programs.raise_alert, name="program_alert"),
    path("programs/<slug:slug>/report", programs.file_report, name="file_report"),
    path("surveys/<slug:slug>/results", survey_results.results, name="survey_results"),
    path("surveys/<slug:slug>/results.csv", survey_results.results_csv, name="survey_results_csv"),
    path("surveys/<slug:slug>/compare", survey_results.compare, name="survey_compare"),
    # --- Campaigns and their one-page briefs
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new", campaigns.create_campaign, name="create_campaign"),
    path("campaigns/<slug:slug>", campaigns.campaign_page, name="campaign"),
    path("campaigns/<slug:slug>/edit", campaigns.edit_campaign, name="edit_campaign"),
    path("campaigns/<slug:slug>/close", campaigns.close, name="close_campaign"),
    path("campaigns/<slug:slug>/sign", campaigns.sign, name="sign_campaign"),
    path("campaigns/<slug:slug>/withdraw", campaigns.withdraw, name="withdraw_signature"),
    path("campaigns/<slug:slug>/signatures.csv", campaigns.signatures_csv, name="campaign_signatures_csv"),
    path("campaigns/<slug:slug>/brief", briefs.campaign_brief, name="campaign_brief"),
    path("campaigns/<slug:slug>/brief.pdf", briefs.campaign_brief_pdf, name="campaign_brief_pdf"),
    path("briefs/<str:code>.pdf", briefs.state_brief_pdf, name="state_brief_pdf"),
    path("briefs/<str:code>", briefs.state_brief, name="state_brief"),
]
