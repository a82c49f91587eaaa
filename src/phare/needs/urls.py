"""Pages of the needs app (``/needs/``)."""

from __future__ import annotations

from django.urls import path

from phare.needs.views import campaigns, manage, needs, transfer

app_name = "needs"
urlpatterns = [
    path("", needs.need_list, name="list"),
    path("new/", needs.need_new, name="new"),
    path("similar/", needs.need_similar, name="similar"),
    path("<int:pk>/", needs.need_detail, name="detail"),
    path("<int:pk>/vote/", needs.need_vote, name="vote"),
    path("<int:pk>/follow/", needs.need_follow, name="follow"),
    path("<int:pk>/comment/", needs.need_comment, name="comment"),
    path("<int:pk>/status/", manage.need_status, name="status"),
    path("<int:pk>/merge/", manage.need_merge, name="merge"),
    path("<int:pk>/score/", manage.need_score, name="score"),
    path("decisions/<int:pk>/", needs.decision_page, name="decision"),
    path("criteria/", manage.criteria, name="criteria"),
    path("export.csv", transfer.export, name="export"),
    path("import/", transfer.import_file, name="import"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/rules/", campaigns.campaign_rules, name="campaign_rules"),
    path("campaigns/<int:pk>/run/", campaigns.campaign_run, name="campaign_run"),
    path("campaigns/<int:pk>/runs/<int:number>/", campaigns.arbitration_detail,
         name="arbitration"),
    path("campaigns/<int:pk>/decide/", campaigns.campaign_decide, name="campaign_decide"),
    path("campaigns/<int:pk>/publish/", campaigns.campaign_publish, name="campaign_publish"),
]
