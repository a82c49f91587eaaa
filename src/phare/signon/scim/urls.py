"""``/scim/v2/``: SCIM 2.0's endpoints (RFC 7644 §3.2), names as Entra ID and Okta call them."""

from __future__ import annotations

from django.urls import path

from phare.signon.scim import views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config_view,
         name="service_provider_config"),
    path("ResourceTypes", views.resource_types_view, name="resource_types"),
    path("ResourceTypes/<str:name>", views.resource_types_view, name="resource_type"),
    path("Schemas", views.schemas_view, name="schemas"),
    path("Schemas/<str:name>", views.schemas_view, name="schema"),
    path("Users", views.users_view, name="users"),
    path("Users/<str:scim_id>", views.user_view, name="user"),
    path("Groups", views.groups_view, name="groups"),
    path("Groups/<str:scim_id>", views.group_view, name="group"),
]
