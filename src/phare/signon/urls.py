from __future__ import annotations

from django.urls import include, path

from phare.signon import saml_views, views

app_name = "signon"
urlpatterns = [
    path("oidc/login/", views.oidc_login, name="oidc_login"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("leaving/<str:token>/", views.leaving, name="leaving"),
    # saml_login, saml_acs, saml_sls, saml_metadata
    path("saml/", include(saml_views.urlpatterns)),
]
