"""The store's refresh as a background task (run by ``phare worker``)."""

from __future__ import annotations

from django_tasks import task

from phare.insights import store
from phare.listening.models import Survey


@task()
def refresh_store(survey_id: int) -> dict[str, int]:
    """Bring one survey's analytical store up to date (nothing when the survey is gone)."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        store.drop(survey_id)
        return {"rebuilt": 0, "removed": 0}
    return store.refresh(survey)
