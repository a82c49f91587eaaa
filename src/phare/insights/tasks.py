"""The store's refresh as a background task (run by ``phare worker``).

With ``PHARE_TASK_BACKEND=immediate`` the task runs inside the page that asked for it: that
page computes what it shows itself, so nothing is prepared ahead.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from phare.insights import store
from phare.listening.models import Survey


@task()
def refresh_store(survey_id: int) -> dict[str, int]:
    """Bring one survey's analytical store up to date (nothing when the survey is gone), then,
    when something changed, compute the pages the change concerns for the cache
    (:func:`phare.insights.dashboards.prepare`)."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        store.drop(survey_id)
        return {"rebuilt": 0, "removed": 0, "prepared": 0}
    done = store.refresh(survey)
    prepared = 0
    if (done["rebuilt"] or done["removed"]) and settings.TASK_BACKEND != "immediate":
        # Imported here: the pages' module asks for refreshes through this one.
        from phare.insights.dashboards import prepare

        prepared = prepare(survey)
    return {**done, "prepared": prepared}
