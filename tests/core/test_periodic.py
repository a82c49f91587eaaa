from __future__ import annotations

from unittest import mock

from phare.lib import periodic


def test_every_app_registers_its_periodic_work():
    assert {"listening", "need_digests"} <= set(periodic.steps())


def test_a_failing_step_does_not_stop_the_others(db):
    def boom(now):
        raise RuntimeError("boom")

    with mock.patch.dict(periodic._STEPS, {"broken": boom, "fine": lambda now: 3},
                         clear=True):
        done = periodic.run_due()
    assert done == {"errors": ["broken"], "fine": 3}
