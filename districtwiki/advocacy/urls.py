"""Routes of the advocacy hub, under /advocacy/ (DESIGN.md's URL contract)."""

from django.urls import path

from .views import briefs, campaigns, hub

app_name = "advocacy"

urlpatterns: list = [
    path("", hub.hub, name="hub"),
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
