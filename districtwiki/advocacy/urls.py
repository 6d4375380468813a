"""Routes of the advocacy hub, under /advocacy/ (DESIGN.md's URL contract)."""

from django.urls import path

from .views import hub, surveys

app_name = "advocacy"

urlpatterns: list = [
    path("", hub.hub, name="hub"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<slug:slug>/", surveys.survey_page, name="survey"),
    path("surveys/<slug:slug>/answer", surveys.answer, name="survey_answer"),
    path("surveys/<slug:slug>/manage", surveys.manage, name="survey_manage"),
    path("surveys/<slug:slug>/open", surveys.open_survey, name="survey_open"),
    path("surveys/<slug:slug>/close", surveys.close_survey, name="survey_close"),
]
