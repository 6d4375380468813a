from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("pathways/", views.pathway_list, name="pathways"),
    path("pathways/<slug:slug>", views.pathway_detail, name="pathway"),
    path("pathways/<slug:slug>/step", views.pathway_step, name="pathway_step"),
    path("special/review-due", views.review_due, name="review_due"),
    path("special/claims", views.claims_list, name="claims"),
    path("reviewed/<path:title>", views.mark_reviewed, name="mark_reviewed"),
    path("special/starter-update/<path:title>", views.starter_update, name="starter_update"),
]
