"""Demo step for listening: two years of barometer waves, a pulse and a service survey, with
answers whose patterns later analyses can find (ticket feedback is the tickets app's step).

Surveys and questions go through :mod:`phare.listening.services`, so they obey the rules of ones
made by hand; the volume — invitations, responses — is planned in memory from
``ctx.rng`` and written in bulk, answers being plain dicts already in the stored shape of
:mod:`phare.listening.questions`. How people answer, and why each figure is what it is, is in
:mod:`phare.listening.demo_data`.

- :mod:`.waves`: the barometer (four closed waves and a planned one), the remote-work pulse and
  the VPN service survey — invitations to a sample, answers at each business unit's rate;
- :mod:`.people`: the respondents, whom they were already asked, and comment writing.

Later demo steps find in ``ctx.shared``: ``"surveys"`` (slug → Survey), ``"waves"`` (survey
slug → its Wave rows, in order), ``"respondents"`` (the people who answer, with their traits)
and ``"contacts"`` (the invitations each received, which the contact cap counts).
"""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from phare.lib.demo import DemoContext
from phare.listening import demo_data as D
from phare.listening.demo import waves
from phare.listening.demo.people import Contacts, load_people
from phare.listening.demo.rows import large_cache
from phare.listening.models import Invitation, Response, Survey, Wave


def build(ctx: DemoContext) -> None:
    started = time.monotonic()
    with large_cache():
        _build(ctx)
    total = Response.objects.count()
    ctx.say(f"listening: {total:,} responses in all, in {time.monotonic() - started:.1f} s")


def _build(ctx: DemoContext) -> None:
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
    ctx.shared["surveys"] = surveys
    ctx.shared["waves"] = made
    ctx.shared["respondents"] = people
    ctx.shared["contacts"] = contacts
