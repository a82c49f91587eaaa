"""Starting background jobs and reporting their progress.

An app registers a handler for a job kind with :func:`job_handler`; :func:`job_start` records the
job and queues it for the worker. The handler receives the job and a :class:`Progress` to report
through; it returns the result (a JSON-able dict). If it raises :class:`JobFailed`, the job fails
with that message and details; any other exception fails it with a short reason, and the input
file stays attached to the job either way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation

from phare.jobs.models import Job

logger = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}
#: Per job kind, the human label of each key of its result (lazy translations).
_RESULT_LABELS: dict[str, dict[str, Any]] = {}


#: A job's result is stored as JSON on its row: a file of 100,000 bad lines must not bloat it.
MAX_REPORTED_ERRORS = 500


class JobFailed(Exception):
    """A job could not do its work, for a reason the person can act on."""

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}

    @classmethod
    def with_errors(cls, message: str, errors: list[dict[str, Any]]) -> JobFailed:
        """A failure listing the input's errors (each with ``line``, ``column``, ``reason``),
        as the job page shows them: the first few hundred, and how many there were."""
        return cls(message, {"errors": errors[:MAX_REPORTED_ERRORS], "error_count": len(errors)})


def job_handler(
    kind: str, *, result_labels: dict[str, Any] | None = None
) -> Callable[[Handler], Handler]:
    """Register ``func`` as the handler of ``kind``; ``result_labels`` names its result's keys."""

    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        _RESULT_LABELS[kind] = result_labels or {}
        return func

    return register


def job_result_rows(job: Job) -> list[tuple[Any, Any]]:
    """The labelled figures of a finished job's result, in the order its kind declares them."""
    labels = _RESULT_LABELS.get(job.kind, {})
    return [(label, job.result[key]) for key, label in labels.items() if key in job.result]


class Progress:
    """Progress reported by a running job: written to its row at most every half second."""

    def __init__(self, job: Job, *, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        self.job.done, self.job.total, self.job.message = done, total, message[:300]
        Job.objects.filter(pk=self.job.pk).update(done=done, total=total, message=message[:300])


def job_start(
    *, kind: str, title: str, user: Any = None, params: dict[str, Any] | None = None,
    input_file: File | None = None, input_name: str = "input",
) -> Job:
    """Record a job and queue it once the surrounding transaction commits."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    # The worker speaks the language of the person who started the job in its messages.
    params = {**(params or {}), "language": translation.get_language() or "fr"}
    job = Job(kind=kind, title=title[:200], created_by=user, params=params)
    if input_file is not None:
        job.input_file.save(input_name, input_file, save=False)
    job.save()
    from phare.jobs.tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def job_run(job: Job) -> Job:
    """Run a job now, in this process: what the worker does for each queued job."""
    handler = _HANDLERS.get(job.kind)
    job.status, job.started_at, job.error = Job.Status.RUNNING, timezone.now(), ""
    job.save(update_fields=["status", "started_at", "error"])
    try:
        if handler is None:
            raise JobFailed(f"This version of Phare cannot run jobs of kind {job.kind!r}.")
        with translation.override(job.params.get("language")):
            result = handler(job, Progress(job))
    except JobFailed as exc:
        job.status, job.error, job.result = Job.Status.FAILED, exc.message, exc.details
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.status, job.error = Job.Status.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        job.status, job.result = Job.Status.SUCCEEDED, result or {}
        job.done = job.total = max(job.total, job.done)
    job.finished_at = timezone.now()
    job.save()
    return job
