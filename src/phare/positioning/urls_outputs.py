"""Routes of the positioning study: outputs (included by ``urls.py``): personas, statements,
benchmarks, tool groups, and the promise fragment of the catalogue's family view."""

from __future__ import annotations

from django.urls import path

from phare.positioning.views import outputs as views

urlpatterns: list = [
    path("promise/<slug:family>/", views.promise, name="promise"),
    path("<slug:slug>/personas/", views.personas, name="personas"),
    path("<slug:slug>/personas/<int:segment>/", views.persona, name="persona"),
    path("<slug:slug>/personas/<int:segment>/print/", views.persona_print,
         name="persona_print"),
    path("<slug:slug>/personas/<int:segment>/audience/", views.persona_audience,
         name="persona_audience"),
    path("<slug:slug>/statements/", views.statements, name="statements"),
    path("<slug:slug>/statements/edit/", views.statement_edit, name="statement_edit"),
    path("<slug:slug>/statements/<int:version>/publish/", views.statement_publish,
         name="statement_publish"),
    path("<slug:slug>/benchmarks/", views.benchmarks, name="benchmarks"),
    path("<slug:slug>/benchmarks/<int:pk>/", views.benchmark_edit, name="benchmark_edit"),
    path("<slug:slug>/benchmarks/<int:pk>/delete/", views.benchmark_delete,
         name="benchmark_delete"),
    path("<slug:slug>/tools/", views.tools, name="tools"),
    path("<slug:slug>/tools/new/", views.tool_new, name="tool_new"),
    path("<slug:slug>/tools/<int:pk>/", views.tool, name="tool"),
    path("<slug:slug>/tools/<int:pk>/need/", views.tool_need, name="tool_need"),
    path("<slug:slug>/tools/<int:pk>/action/", views.tool_action, name="tool_action"),
]
