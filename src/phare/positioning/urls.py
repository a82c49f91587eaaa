"""The positioning study's pages (under /positioning/): design and fieldwork, results,
personas and statements — one list of routes per part."""

from __future__ import annotations

from phare.positioning.urls_design import urlpatterns as design
from phare.positioning.urls_outputs import urlpatterns as outputs
from phare.positioning.urls_results import urlpatterns as results

app_name = "positioning"
urlpatterns: list = [*design, *results, *outputs]
