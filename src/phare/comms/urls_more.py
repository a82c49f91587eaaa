"""The calendar, audiences, preferences, quiet periods and portal news pages (in ``comms``)."""

from __future__ import annotations

from django.urls import path

from phare.comms.views import audiences, calendar, people

urlpatterns: list = [
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/feed/", calendar.calendar_feed, name="calendar_feed"),
    path("audiences/", audiences.audience_list, name="audiences"),
    path("audiences/new/", audiences.audience_new, name="audience_new"),
    path("audiences/size/", audiences.audience_size, name="audience_size"),
    path("audiences/<int:pk>/", audiences.audience_edit, name="audience_edit"),
    path("audiences/<int:pk>/delete/", audiences.audience_delete, name="audience_delete"),
    path("preferences/", people.preferences, name="preferences"),
    path("quiet-periods/", people.quiet_periods, name="quiet_periods"),
    path("quiet-periods/new/", people.quiet_period_new, name="quiet_period_new"),
    path("quiet-periods/<int:pk>/", people.quiet_period_edit, name="quiet_period_edit"),
    path("quiet-periods/<int:pk>/delete/", people.quiet_period_delete,
         name="quiet_period_delete"),
    path("news/", people.news, name="news"),
]
