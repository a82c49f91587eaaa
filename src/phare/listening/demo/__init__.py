"""Demo step for listening: two years of barometer waves, a year of ticket feedback, a pulse
and a service survey, with answers whose patterns later analyses can find.

Surveys and questions go through :mod:`phare.listening.services`, so they obey the rules of ones
made by hand; the volume — invitations, tickets, responses — is planned in memory from
``ctx.rng`` and written in bulk, answers being plain dicts already in the stored shape of
:mod:`phare.listening.questions`. How people answer, and why each figure is what it is, is in
:mod:`phare.listening.demo_data`.

- :mod:`.waves`: the barometer (four closed waves and a planned one), the remote-work pulse and
  the VPN service survey — invitations to a sample, answers at each business unit's rate;
- :mod:`.tickets`: twelve months of tickets (``phare demo --tickets N``; by default ten per
  person, 50,000 for the default organisation), decided upon as the ticket survey's rules
  would, about 15 % of them answered;
- :mod:`.people`: the respondents, whom they were already asked, and comment writing.

Later demo steps find in ``ctx.shared``: ``"surveys"`` (slug → Survey) and ``"waves"``
(survey slug → its Wave rows, in order).
"""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from phare.lib.demo import DemoContext
from phare.listening import demo_data as D
from phare.listening.demo import tickets, waves
from phare.listening.demo.people import Contacts, load_people
from phare.listening.demo.rows import large_cache
from phare.listening.models import Invitation, Response, Survey, Wave


def build(ctx: DemoContext) -> None:
    count = ctx.options.get("tickets")
    count = D.TICKETS_PER_EMPLOYEE * ctx.employees if count is None else int(count)
    if count < 0:
        raise ValueError(f"the demo takes 0 tickets or more, not {count:,}")
    started = time.monotonic()
    with large_cache():
        _build(ctx, count)
    total = Response.objects.count()
    ctx.say(f"listening: {total:,} responses in all, in {time.monotonic() - started:.1f} s")


def _build(ctx: DemoContext, count: int) -> None:
    tz = ZoneInfo(settings.TIME_ZONE)
    people = load_people(ctx)
    author = get_user_model().objects.filter(username="marketing").first()
    contacts = Contacts()
    surveys: dict[str, Survey] = {}
    made: dict[str, list[Wave]] = {}

    def made_one(survey: Survey, survey_waves: list[Wave]) -> None:
        surveys[survey.slug], made[survey.slug] = survey, survey_waves
        invited = Invitation.objects.filter(survey=survey).count()
        answered = Response.objects.filter(survey=survey).count()
        rate = f" ({answered / invited:.0%} of {invited:,} invited)" if invited else ""
        ctx.say(f"listening: {survey.slug}: {answered:,} responses{rate}")

    made_one(*waves.barometer(ctx.rng, people, contacts, author, tz))
    made_one(*waves.pulse(ctx.rng, people, contacts, author, tz))
    service = ctx.shared.get("services", {}).get(D.SERVICE_OF_SURVEY)
    if service is not None:  # a catalogue cut down with --services may not have it
        made_one(*waves.service_survey(ctx.rng, people, contacts, author, tz, service))
    contacts.sort()
    survey, decisions = tickets.tickets(ctx, people, contacts, author, tz, count)
    made_one(survey, [])
    if count:
        answered = decisions.pop("answered", 0)
        ctx.say(f"listening: {count:,} tickets over 12 months, {answered / count:.0%} answered; "
                + ", ".join(f"{k} {v:,}" for k, v in sorted(decisions.items())))
    ctx.shared["surveys"] = surveys
    ctx.shared["waves"] = made
