"""Every form sent back with errors starts with one error summary rendered by the server
(includes/form_errors.html): a heading, then each problem linking to its field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from tests.comms.factories import make_plan
from tests.listening.factories import make_barometer

#: (persona, the page's URL name, its arguments from the test's objects, the data posted).
Case = tuple[str, str, Callable[[dict[str, Any]], list[Any]], dict[str, Any]]
NONE: Callable[[dict[str, Any]], list[Any]] = lambda _objects: []  # noqa: E731

CASES: dict[str, Case] = {
    "account": ("admin", "accounts:user_new", NONE,
                {"username": "x y", "role": "king", "person": "NOBODY"}),
    "token": ("marketing", "accounts:tokens", NONE, {"name": ""}),
    "password": ("employee", "accounts:password_change", NONE, {"old_password": "nope"}),
    "service": ("marketing", "catalog:manage_new", NONE,
                {"name_fr": "", "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0",
                 "faqs-TOTAL_FORMS": "0", "faqs-INITIAL_FORMS": "0",
                 "news-TOTAL_FORMS": "0", "news-INITIAL_FORMS": "0"}),
    # A form with no file at all (a key in the body, or Django sees no POST data).
    "catalogue import": ("marketing", "catalog:import", NONE, {"sent": "1"}),
    "directory import": ("admin", "directory:import", NONE, {"sent": "1"}),
    "plan": ("marketing", "comms:plan_new", NONE, {"name": "", "starts_on": "soon"}),
    "objective": ("marketing", "comms:objective_new", lambda o: [o["plan"].pk], {"title": ""}),
    "action": ("marketing", "comms:action_new", lambda o: [o["plan"].pk], {"title": ""}),
    "audience": ("marketing", "comms:audience_new", NONE, {"name": "", "units": ["NOPE"]}),
    "channel": ("marketing", "comms:webhook_new", NONE, {"name": "", "url": "nowhere"}),
    "need": ("employee", "needs:new", NONE, {"title": ""}),
    "survey": ("marketing", "listening:survey_new", NONE,
               {"slug": "Not a slug!", "anonymity": "anonymous"}),
    "wave": ("marketing", "listening:wave_new", lambda o: [o["survey"].slug],
             {"name": "", "reminder_days": ["soon"], "units": ["NOPE"]}),
    "usage import": ("marketing", "usage:imports", NONE, {"sent": "1"}),
    "ticket import": ("marketing", "tickets:import", NONE, {"sent": "1"}),
    "report": ("marketing", "reports:new", NONE, {"period": "1999-Q9"}),
    "schedule": ("marketing", "reports:schedule_new", NONE, {"name": "", "recipients": "x"}),
}


@pytest.fixture
def objects(personas) -> dict[str, Any]:
    return {"plan": make_plan(personas["marketing"]),
            "survey": make_barometer(created_by=personas["marketing"])}


def _summaries(page: str) -> list[str]:
    return re.findall(r'<div class="errors error-summary"[^>]*data-error-summary.*?</div>', page,
                      flags=re.S)


@pytest.mark.parametrize("case", CASES)
def test_a_form_sent_back_starts_with_one_summary_linking_each_field(login, objects, case):
    persona, name, args, data = CASES[case]
    response = login(persona).post(reverse(name, args=args(objects)), data)
    assert response.status_code in (200, 422), response.status_code
    page = response.content.decode()
    (summary,) = _summaries(page)  # one, rendered by the server
    assert "Il y a un problème" in summary
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links or "<li>" in summary
    for target in links:  # every link reaches an element of the page
        assert f'id="{target}"' in page, target
    # The summary comes before the fields it speaks of.
    assert page.index("data-error-summary") < page.index(f'id="{links[0]}"') if links else True


def test_a_form_without_errors_has_no_summary(login, objects):
    page = login("marketing").get(reverse("comms:audience_new")).content.decode()
    assert "data-error-summary" not in page
