"""Pages of those who run surveys (``/surveys/``): builder, waves, imports, exports.

Ticket feedback's management pages (``/surveys/tickets/``) are the tickets app's."""

from __future__ import annotations

from django.urls import path, register_converter

from phare.listening.builder import SurveySlugConverter
from phare.listening.views import builder
from phare.listening.views import exports as export_views
from phare.listening.views import imports as import_views
from phare.listening.views import results as result_views
from phare.listening.views import translations as translation_views
from phare.listening.views import waves as wave_views

# A survey's identifier, never one of the fixed pages (new/, import/, tickets/) listed later.
register_converter(SurveySlugConverter, "survey")

app_name = "listening"
urlpatterns: list = [
    # builder (views/builder.py)
    path("", builder.survey_list, name="surveys"),
    path("new/", builder.survey_new, name="survey_new"),
    path("<survey:slug>/", builder.survey_detail, name="survey"),
    path("<survey:slug>/settings/", builder.survey_settings, name="survey_settings"),
    path("<survey:slug>/status/", builder.survey_status, name="survey_status"),
    path("<survey:slug>/sections/new/", builder.section_new, name="section_new"),
    path("<survey:slug>/sections/<int:position>/", builder.section_edit, name="section_edit"),
    path("<survey:slug>/sections/<int:position>/delete/", builder.section_delete,
         name="section_delete"),
    path("<survey:slug>/questions/new/", builder.question_new, name="question_new"),
    path("<survey:slug>/questions/<str:code>/edit/", builder.question_edit,
         name="question_edit"),
    path("<survey:slug>/questions/<str:code>/delete/", builder.question_delete,
         name="question_delete"),
    path("<survey:slug>/questions/<str:code>/move/", builder.question_move,
         name="question_move"),
    path("<survey:slug>/versions/<int:number>/", builder.version_detail, name="version"),
    # a survey's texts in one of its other languages (views/translations.py)
    path("<survey:slug>/languages/<str:language>/", translation_views.survey_translation,
         name="survey_translation"),
    # waves, invitations and reminders (views/waves.py)
    path("<survey:slug>/waves/", wave_views.wave_list, name="waves"),
    path("<survey:slug>/waves/new/", wave_views.wave_new, name="wave_new"),
    path("<survey:slug>/waves/preview/", wave_views.wave_preview, name="wave_preview"),
    path("<survey:slug>/waves/<int:number>/", wave_views.wave_detail, name="wave"),
    path("<survey:slug>/waves/<int:number>/launch/", wave_views.wave_launch,
         name="wave_launch"),
    path("<survey:slug>/waves/<int:number>/remind/", wave_views.wave_remind,
         name="wave_remind"),
    # imports and exports (views/transfer.py)
    path("import/", import_views.survey_import, name="import"),
    path("import/<uuid:job_id>/", import_views.survey_import_job, name="import_job"),
    path("import/<uuid:job_id>/again/", import_views.survey_import_retry, name="import_again"),
    path("<survey:slug>/export/", export_views.export_page, name="export"),
    path("<survey:slug>/results/kinds/", result_views.kind_results_page, name="kind_results"),
    path("<survey:slug>/export.<str:fmt>", export_views.export_file, name="export_file"),
]
