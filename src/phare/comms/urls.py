"""The communication plan's pages (under /comms/)."""

from __future__ import annotations

from django.urls import path

from phare.comms import urls_extra, urls_more
from phare.comms.views import actions, plans

app_name = "comms"
urlpatterns: list = [
    path("", plans.home, name="home"),
    path("plans/new/", plans.plan_new, name="plan_new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/objectives/new/", plans.objective_new, name="objective_new"),
    path("objectives/<int:pk>/edit/", plans.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/delete/", plans.objective_delete, name="objective_delete"),
    path("plans/<int:pk>/actions/new/", actions.action_new, name="action_new"),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/preview/", actions.action_preview, name="action_preview"),
    path("actions/<int:pk>/test/", actions.action_test, name="action_test"),
    path("actions/<int:pk>/status/", actions.action_status, name="action_status"),
    path("actions/<int:pk>/send/", actions.action_send, name="action_send"),
    path("actions/<int:pk>/comment/", actions.action_comment, name="action_comment"),
    path("actions/<int:pk>/attachments/", actions.attachment_add, name="attachment_add"),
    path("actions/<int:pk>/print/", actions.action_print, name="action_print"),
    path("attachments/<int:pk>/", actions.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", actions.attachment_delete, name="attachment_delete"),
    *urls_more.urlpatterns,
    *urls_extra.urlpatterns,
]
