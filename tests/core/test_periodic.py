from __future__ import annotations

import logging
from unittest import mock

from phare.core.management.commands.worker import tick_once
from phare.lib import periodic


def test_every_app_registers_its_periodic_work():
    assert {"listening.waves", "listening.reminders", "need_digests"} <= set(periodic.steps())


def test_a_failing_step_does_not_stop_the_others(db):
    def boom(now):
        raise RuntimeError("boom")

    with mock.patch.dict(periodic._STEPS, {"broken": boom, "fine": lambda now: 3},
                         clear=True):
        done = periodic.run_due()
    assert done == {"errors": ["broken"], "fine": 3}


def test_the_worker_s_tick_reports_a_failing_step_and_logs_it_once(db, caplog):
    def boom(now):
        raise RuntimeError("boom")

    with mock.patch.dict(periodic._STEPS, {"broken": boom, "fine": lambda now: 3}, clear=True), \
            caplog.at_level(logging.ERROR):
        done = tick_once()
    assert done == {"errors": ["broken"], "fine": 3}
    failures = [record for record in caplog.records if record.exc_info]
    assert [record.getMessage() for record in failures] == ["periodic step broken failed"]
