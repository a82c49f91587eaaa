from __future__ import annotations

from django.urls import include, path

from phare.api import api

urlpatterns = [
    # First: the respondents' links, an open link's answers above all (Django tries the
    # patterns in order, and the two includes at "" below are tried pattern by pattern).
    # Nothing else starts with s/ but the ticket ratings' s/t/, which no token here matches.
    path("s/", include("phare.listening.urls_public")),
    path("", include("phare.core.urls")),
    path("accounts/", include("phare.accounts.urls")),
    path("signon/", include("phare.signon.urls")),
    path("scim/v2/", include("phare.signon.scim.urls")),  # SCIM 2.0 provisioning
    path("audit/", include("phare.audit.urls")),
    path("directory/", include("phare.directory.urls")),
    path("jobs/", include("phare.jobs.urls")),
    path("catalogue/", include("phare.catalog.urls")),
    path("", include("phare.tickets.urls")),  # /surveys/tickets/ and /s/t/
    path("surveys/", include("phare.listening.urls")),
    path("needs/", include("phare.needs.urls")),
    path("insights/", include("phare.insights.urls")),
    path("usage/", include("phare.usage.urls")),
    path("comms/", include("phare.comms.urls")),
    path("m/", include("phare.comms.urls_public")),
    path("positioning/", include("phare.positioning.urls")),
    path("reports/", include("phare.reports.urls")),
    path("privacy/", include("phare.privacy.urls")),
    path("api/v1/", api.urls),
]

handler403 = "phare.core.views.forbidden"
handler404 = "phare.core.views.not_found"
