from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from phare.jobs.models import Job
from phare.jobs.services import JobFailed, job_handler, job_run, job_start


@job_handler("test.count", result_labels={"counted": "Counted"})
def count_handler(job, progress):
    total = job.params["n"]
    for i in range(total):
        progress(i + 1, total, "counting")
    if job.params.get("explode"):
        raise RuntimeError("disk on fire")
    if job.params.get("refuse"):
        raise JobFailed("The input is wrong.", {"errors": [{"line": 2}]})
    return {"counted": total}


def test_a_job_runs_once_queued_and_reports_its_result(personas,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="test.count", title="Count", user=personas["admin"], params={"n": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result == {"counted": 3}
    assert job.started_at and job.finished_at


def test_a_failing_job_says_why_and_keeps_its_input(personas):
    job = job_start(kind="test.count", title="Count", user=personas["admin"],
                    params={"n": 1, "explode": True},
                    input_file=ContentFile(b"precious data"), input_name="input.csv")
    job_run(job)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "RuntimeError: disk on fire"
    with job.input_file.open("rb") as handle:
        assert handle.read() == b"precious data"


def test_a_refused_job_carries_its_details(personas):
    job = job_start(kind="test.count", title="Count", user=personas["admin"],
                    params={"n": 1, "refuse": True})
    job_run(job)
    assert job.status == Job.Status.FAILED
    assert job.error == "The input is wrong."
    assert job.result == {"errors": [{"line": 2}]}


def test_unknown_kinds_are_refused_at_start(personas):
    with pytest.raises(ValueError, match="no handler"):
        job_start(kind="nope", title="x", user=personas["admin"])


def test_the_job_page_polls_until_done_then_stops(login, personas):
    job = job_start(kind="test.count", title="Count", user=personas["marketing"], params={"n": 2})
    client = login("marketing")
    queued = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in queued
    assert "<html" not in queued  # htmx gets the fragment only
    job_run(job)
    done = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' not in done
    assert "Counted" in done and "Réussie" in done


def test_people_only_see_their_own_jobs_but_admins_see_all(login, personas):
    job = job_start(kind="test.count", title="Mine", user=personas["admin"], params={"n": 1})
    assert login("marketing").get(f"/jobs/{job.pk}/").status_code == 404
    assert login("admin").get(f"/jobs/{job.pk}/").status_code == 200


def test_the_api_reports_a_jobs_progress(client, personas):
    from phare.accounts.services import token_create

    job = job_start(kind="test.count", title="Count", user=personas["marketing"], params={"n": 2})
    job_run(job)
    _t, raw = token_create(user=personas["marketing"], name="t")
    body = client.get(f"/api/v1/jobs/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["status"] == "succeeded"
    assert body["percent"] == 100
    assert body["result"] == {"counted": 2}
