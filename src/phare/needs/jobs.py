"""Background work of the needs app: explaining an arbitration, sending the digests now."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler
from phare.needs import services
from phare.needs.models import Arbitration


@job_handler("needs.explain", result_labels={"explained": _("Needs explained"),
                                              "curve_points": _("Points of the budget curve")})
def explain_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Add the budget curve and every need's explanation to ``params["arbitration"]``."""
    arbitration = Arbitration.objects.filter(pk=job.params.get("arbitration")).first()
    if arbitration is None:
        raise JobFailed(str(_("This arbitration no longer exists.")))
    arbitration = services.arbitration_explain(arbitration, progress=progress)
    curve = arbitration.curve or {}
    return {"explained": len(arbitration.explanations),
            "curve_points": len(curve.get("points", []))}


@job_handler("needs.digests", result_labels={"sent": _("Emails sent")})
def digests_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Send the pending news about needs now, instead of at the scheduler's next tick."""
    from phare.needs.notifications import send_need_digests

    progress(0, 1, "")
    return {"sent": send_need_digests()}


@job_handler("needs.import", result_labels={"lines": _("Needs in the file"),
                                             "created": _("Needs created"),
                                             "updated": _("Needs updated"),
                                             "unchanged": _("Needs unchanged")})
def import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Import ``job.input_file``, a CSV of needs, all or nothing."""
    from dataclasses import asdict

    from phare.needs.transfer import NeedImportError, import_needs

    progress(0, 1, "")
    with job.input_file.open("rb") as file:
        data = file.read()
    try:
        report = import_needs(data, user=job.created_by)
    except NeedImportError as exc:
        raise JobFailed.with_errors(str(exc), [asdict(e) for e in exc.errors]) from None
    return report.as_dict()
