"""One new row through a statement made once per process: the same row as the ORM's save."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.db.models import signals
from django.utils import timezone

from phare.jobs.models import Job
from phare.lib import rows
from phare.listening.models import Response, Survey
from tests.listening.factories import make_barometer

pytestmark = pytest.mark.django_db


def stored(model, pk) -> dict:
    """Every column of a row, as the ORM reads it back."""
    found = model.objects.get(pk=pk)
    return {field.attname: getattr(found, field.attname)
            for field in model._meta.concrete_fields if not field.primary_key}


def test_it_writes_the_row_the_orm_writes():
    # Defaults, auto_now_add (pre_save), JSON with text the database must escape, a file field
    # left empty, a foreign key left null: read back, nothing tells the two rows apart.
    params = {"quote": "l'été \"chaud\"", "nested": [1, 2.5, None, {"é": True}], "\\": "\x01"}
    fast = Job(kind="import", title="Import", params=params, total=7)
    twin = Job(kind="import", title="Import", params=params, total=7)
    rows.insert(fast)
    twin.save(force_insert=True)
    assert not fast._state.adding and fast._state.db == "default"
    got, expected = stored(Job, fast.pk), stored(Job, twin.pk)
    assert abs(got.pop("created_at") - expected.pop("created_at")) < dt.timedelta(seconds=5)
    assert fast.created_at is not None
    assert got == expected
    assert got["params"] == params


def test_a_response_is_the_row_the_orm_writes():
    survey = make_barometer()
    version = survey.current_version()
    fields = {"survey": survey, "version": version, "channel": Response.Channel.OPEN_LINK,
              "language": "en", "unit_code": "DSI", "site_code": "", "job_family_code": "IT",
              "submitted_on": dt.date(2026, 2, 28), "submitted_at": timezone.now(),
              "answers": {"nps": 9, "comment": "Très bien ; « merci »", "tools": ["vpn"]}}
    fast = Response(submission_id=uuid.uuid4(), **fields)
    twin = Response(submission_id=uuid.uuid4(), **fields)
    rows.insert(fast)
    twin.save(force_insert=True)
    got, expected = stored(Response, fast.pk), stored(Response, twin.pk)
    assert got.pop("submission_id") == fast.submission_id
    expected.pop("submission_id")
    assert got == expected


def test_a_refused_row_raises_django_s_integrity_error_and_writes_nothing():
    job = Job(kind="import", title="Once")
    rows.insert(job)
    again = Job(pk=job.pk, kind="import", title="Twice")
    # A savepoint, as the caller's: on PostgreSQL a refused statement spoils its transaction.
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(again)
    assert list(Job.objects.filter(pk=job.pk).values_list("title", flat=True)) == ["Once"]


def test_it_refuses_a_model_whose_key_the_database_makes():
    with pytest.raises(ValueError, match="Survey: insert\\(\\) takes a plain model"):
        rows.insert(Survey(slug="x"))
    job = Job(kind="k", title="t")
    job.pk = None
    with pytest.raises(ValueError, match="the primary key must be set"):
        rows.insert(job)


def test_no_receiver_waits_for_the_signals_insert_does_not_send():
    # rows.insert sends no pre_save or post_save: a receiver connected for a model it writes
    # would miss those rows. Connect one, and the response's write must go back to save().
    for model in (Response, Job):
        assert not signals.pre_save.has_listeners(model)
        assert not signals.post_save.has_listeners(model)
