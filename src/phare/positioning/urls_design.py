"""The design and fieldwork pages of the positioning study."""

from __future__ import annotations

from django.urls import path

from phare.positioning.views import design

urlpatterns: list = [
    path("", design.home, name="home"),
    path("new/", design.study_new, name="study_new"),
    path("<slug:slug>/", design.study, name="study"),
    path("<slug:slug>/settings/", design.study_settings, name="study_settings"),
    path("<slug:slug>/rows/<str:kind>/", design.study_row, name="study_row"),
    path("<slug:slug>/profile/", design.study_profile, name="study_profile"),
    path("<slug:slug>/suggested-tools/", design.study_tools, name="study_tools"),
    path("<slug:slug>/population/", design.study_population, name="study_population"),
    path("<slug:slug>/generate/", design.study_generate, name="study_generate"),
    path("<slug:slug>/close/", design.study_close, name="study_close"),
    path("<slug:slug>/fieldwork/", design.fieldwork, name="fieldwork"),
    path("<slug:slug>/fieldwork/start/", design.fieldwork_start, name="fieldwork_start"),
    path("<slug:slug>/fieldwork/import/", design.import_attach, name="import_attach"),
    path("<slug:slug>/fieldwork/mapping/", design.mapping_save, name="mapping"),
]
