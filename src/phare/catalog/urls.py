from __future__ import annotations

from django.urls import path

from phare.catalog.views import manage, portal, transfer

app_name = "catalog"
urlpatterns = [
    path("", portal.home, name="home"),
    path("search/", portal.search, name="search"),
    path("manage/", manage.service_list, name="manage"),
    path("manage/new/", manage.service_new, name="manage_new"),
    path("manage/import/", transfer.import_file, name="import"),
    path("manage/export.<str:fmt>", transfer.export, name="export"),
    path("manage/<slug:slug>/", manage.service_detail, name="manage_detail"),
    path("manage/<slug:slug>/edit/", manage.service_edit, name="manage_edit"),
    path("manage/<slug:slug>/submit/", manage.service_submit, name="manage_submit"),
    path("manage/<slug:slug>/publish/", manage.service_publish, name="manage_publish"),
    path("manage/<slug:slug>/send-back/", manage.service_send_back, name="manage_send_back"),
    path("manage/<slug:slug>/unpublish/", manage.service_unpublish, name="manage_unpublish"),
    path("manage/<slug:slug>/lifecycle/", manage.service_lifecycle, name="manage_lifecycle"),
    path("<slug:slug>/", portal.service, name="service"),
]
