from __future__ import annotations

from django.urls import path

from phare.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.people, name="people"),
    path("pick/people/", views.people_pick, name="people_pick"),
    path("units/", views.units, name="units"),
    path("import/", views.import_people, name="import"),
    path("people/<str:employee_id>/", views.person, name="person"),
]
