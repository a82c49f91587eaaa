from __future__ import annotations

from django.urls import include, path

from phare.signon import saml_views, views

app_name = "signon"
urlpatterns = [
    path("oidc/login/", views.oidc_login, name="oidc_login"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("saml/", include(saml_views.urlpatterns)),  # saml_login, saml_acs, saml_metadata
]
