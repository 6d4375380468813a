"""Routes of the advocacy hub, under /advocacy/ (DESIGN.md's URL contract)."""

from django.urls import path

from .views import hub, survey_results

app_name = "advocacy"

urlpatterns: list = [
    path("", hub.hub, name="hub"),
    path("surveys/<slug:slug>/results", survey_results.results, name="survey-results"),
    path("surveys/<slug:slug>/results.csv", survey_results.results_csv, name="survey-results-csv"),
    path("surveys/<slug:slug>/compare", survey_results.compare, name="survey-compare"),
]
