"""Demo step for ticket feedback: a year of tickets, the survey's decision on each, the answers
(``phare demo --tickets N``; by default ten per person, 50,000 for the default organisation,
about 15 % of them answered).

It runs after listening's step and builds on what that one publishes in ``ctx.shared``: the
respondents (``"respondents"``) and the invitations they already received (``"contacts"``).

Tickets are planned day by day in the order they are resolved, so that the survey's rules
decide as they would live: a share is sampled, nobody is asked twice within ``fatigue_days``,
nor beyond the contact cap of :mod:`phare.listening.pressure` (which counts the invitations of
the other surveys too), nor after opting out. The rating of an answered ticket falls with the
resolution time and each reassignment, and depends on the channel and the kind of ticket; the
reasons follow the rating band and the cause; comments follow the reasons.

Rows are written a chunk at a time (see :mod:`phare.listening.demo.rows`): the default demo
makes 50,000 tickets, a benchmark millions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
import uuid
from collections import Counter, deque
from itertools import accumulate
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from phare.lib.demo import DemoContext
from phare.listening import demo_data as D
from phare.listening import services
from phare.listening.demo.people import Contacts, Respondent, at, backdate, band, clamp, comment
from phare.listening.demo.rows import (
    INVITATION_FIELDS,
    RESPONSE_FIELDS,
    Table,
    Values,
    large_cache,
    last_id,
    reset_sequences,
)
from phare.listening.models import Invitation, Response, Survey, new_token
from phare.tickets.models import Ticket

#: Tickets are written (with their invitations and responses) this many at a time.
CHUNK = 20_000
LOST_CODES = [option["code"] for option in D.LOST_TIME]
Decision = Ticket.Decision


TICKET_FIELDS = ("id", "external_id", "subject", "service", "category", "channel", "opened_at",
                 "resolved_at", "assignment_group", "reassignment_count", "requester",
                 "requester_email", "received_at", "decision", "send_after", "invitation")
TICKET_CHANNEL = Response.Channel.TICKET.value


def build(ctx: DemoContext) -> None:
    count = ctx.options.get("tickets")
    count = D.TICKETS_PER_EMPLOYEE * ctx.employees if count is None else int(count)
    if count < 0:
        raise ValueError(f"the demo takes 0 tickets or more, not {count:,}")
    started = time.monotonic()
    tz = ZoneInfo(settings.TIME_ZONE)
    author = get_user_model().objects.filter(username="marketing").first()
    with large_cache():
        survey, decisions = tickets(ctx, ctx.shared["respondents"], ctx.shared["contacts"],
                                    author, tz, count)
    # New dicts: the listening step's own stay as that step left them.
    ctx.shared["surveys"] = {**ctx.shared.get("surveys", {}), survey.slug: survey}
    ctx.shared["waves"] = {**ctx.shared.get("waves", {}), survey.slug: []}
    invited = Invitation.objects.filter(survey=survey).count()
    answered = Response.objects.filter(survey=survey).count()
    rate = f" ({answered / invited:.0%} of {invited:,} invited)" if invited else ""
    ctx.say(f"tickets: {survey.slug}: {answered:,} responses{rate}")
    if count:
        answered = decisions.pop("answered", 0)
        ctx.say(f"tickets: {count:,} tickets over 12 months, {answered / count:.0%} answered; "
                + ", ".join(f"{k} {v:,}" for k, v in sorted(decisions.items())))
    ctx.say(f"tickets: done in {time.monotonic() - started:.1f} s")


def ticket_survey(author: Any) -> Survey:
    """The ticket questionnaire, question for question the one of
    :func:`phare.tickets.services.ticket_survey_create`."""
    survey = services.survey_create(
        slug=D.TICKET_SLUG, kind=Survey.Kind.TRANSACTIONAL, title_fr=D.TICKET_TITLE[0],
        title_en=D.TICKET_TITLE[1], anonymity=Survey.Anonymity.CONFIDENTIAL,
        sample_percent=D.TICKET_SAMPLE_PERCENT, send_delay_minutes=D.TICKET_SEND_DELAY_MINUTES,
        fatigue_days=D.TICKET_FATIGUE_DAYS, created_by=author)
    add = services.question_add
    add(survey, code="rating", type="nps", required=True,
        text_fr="Êtes-vous satisfait du traitement de votre demande ?",
        text_en="How satisfied are you with how your request was handled?",
        label_min_fr="Pas du tout satisfait", label_min_en="Not at all satisfied",
        label_max_fr="Très satisfait", label_max_en="Very satisfied")
    for code, low, high, options, text_fr, text_en in (
            ("reasons_low", 0, 6, D.REASONS_LOW, "Qu'est-ce qui n'a pas été ?",
             "What went wrong?"),
            ("reasons_mid", 7, 8, D.REASONS_MID, "Qu'est-ce qui aurait pu être mieux ?",
             "What could have been better?"),
            ("reasons_high", 9, 10, D.REASONS_HIGH, "Qu'avez-vous apprécié ?",
             "What did you appreciate?")):
        add(survey, code=code, type="multiple", options=options, text_fr=text_fr,
            text_en=text_en,
            condition={"question": "rating", "op": "between", "min": low, "max": high})
    add(survey, code="lost_time", type="single", options=D.LOST_TIME,
        text_fr="Combien de temps de travail avez-vous perdu ?",
        text_en="How much working time did you lose?")
    add(survey, code="comment", type="text", text_fr="Voulez-vous ajouter quelque chose ?",
        text_en="Anything to add?")
    services.survey_set_status(survey, Survey.Status.OPEN)
    return survey


def ticket_days(total: int) -> list[tuple[dt.date, int]]:
    """How many tickets are resolved each day of the year (largest remainder: exact total)."""
    start = D.TICKETS_END - dt.timedelta(days=D.TICKETS_DAYS)
    days = [start + dt.timedelta(days=n) for n in range(D.TICKETS_DAYS)]
    weights = [D.WEEKDAY_WEIGHTS[d.weekday()] * D.MONTH_WEIGHTS.get(d.month, 1.0) for d in days]
    shares = [total * w / sum(weights) for w in weights]
    counts = [int(share) for share in shares]
    for i in sorted(range(len(days)), key=lambda i: counts[i] - shares[i])[:total - sum(counts)]:
        counts[i] += 1
    return list(zip(days, counts, strict=True))


def tickets(ctx: DemoContext, people: list[Respondent], contacts: Contacts, author: Any,
            tz: ZoneInfo, total: int) -> tuple[Survey, Counter[str]]:
    """``total`` tickets over the year; returns the survey and the count of each decision
    (and of ``"answered"``)."""
    survey = ticket_survey(author)
    run = _Run(ctx, survey, contacts, tz)
    rng = ctx.rng
    categories, channels = D.TICKET_CATEGORIES, D.CHANNELS
    category_weights = list(accumulate(c.weight for c in categories))
    channel_weights = list(accumulate(c.weight for c in channels))
    requester_weights = list(accumulate(p.requests for p in people))
    for day, count in ticket_days(total) if people else []:
        midnight = (dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
                    .replace(tzinfo=None))
        slower = D.MONTH_DELAYS.get(day.month, 1.0)
        # Mostly during office hours, in the order they are resolved.
        minutes = sorted(rng.uniform(480, 1110) if rng.random() < 0.85 else rng.uniform(0, 1440)
                         for _ in range(count))
        for minute, category, channel, person in zip(
                minutes, rng.choices(categories, cum_weights=category_weights, k=count),
                rng.choices(channels, cum_weights=channel_weights, k=count),
                rng.choices(people, cum_weights=requester_weights, k=count), strict=True):
            run.ticket(midnight + dt.timedelta(minutes=minute), category, channel, person,
                       slower)
        if len(run.tickets.rows) >= CHUNK:
            run.write()
    run.write()
    reset_sequences(Ticket, Invitation)
    backdate(survey, at(D.TICKETS_END - dt.timedelta(days=D.TICKETS_DAYS + 30), tz, 10 * 60))
    return survey, run.decisions


class _Run:
    """The state of the ticket generator: ids, who was asked when, rows not yet written."""

    def __init__(self, ctx: DemoContext, survey: Survey, contacts: Contacts,
                 tz: ZoneInfo) -> None:
        self.rng, self.survey, self.contacts, self.tz = ctx.rng, survey, contacts, tz
        self.version_id = survey.current_version().pk
        self.catalogue = {slug: s.pk for slug, s in ctx.shared.get("services", {}).items()}
        self.cap = settings.PHARE_SURVEY_CONTACT_CAP
        self.window = dt.timedelta(days=settings.PHARE_SURVEY_CONTACT_DAYS)
        self.fatigue = dt.timedelta(days=survey.fatigue_days)
        self.delay = dt.timedelta(minutes=survey.send_delay_minutes)
        self.last_invited: dict[int, dt.datetime] = {}
        self.recent: dict[int, deque[dt.datetime]] = {}
        self.decisions: Counter[str] = Counter()
        self.values = Values()
        self.tickets = Table(Ticket, TICKET_FIELDS)
        self.invitations = Table(Invitation, INVITATION_FIELDS)
        self.responses = Table(Response, RESPONSE_FIELDS)
        self.ticket_id = last_id(Ticket)
        self.invitation_id = last_id(Invitation)
        self.empty_draft = self.values.json({})

    def write(self) -> None:
        # Invitations first: a ticket points at its invitation.
        for table in (self.invitations, self.tickets, self.responses):
            table.write()

    def ticket(self, resolved_at: dt.datetime, category: D.Category, channel: D.Channel,
               person: Respondent, slower: float) -> None:
        rng, when = self.rng, self.values.when
        self.ticket_id += 1
        moves = 0
        if rng.random() < category.reassigned:
            moves = rng.choices((1, 2, 3, 4), weights=D.REASSIGNMENT_WEIGHTS)[0]
        hours = (category.hours * rng.lognormvariate(0, D.RESOLUTION_SPREAD) * channel.speed
                 * slower * (1 + D.REASSIGNMENT_DELAY * moves))
        group = category.group
        if not moves and channel.code == "walk_in":
            group = D.PROXIMITY
        elif not moves and group != D.SERVICE_DESK and rng.random() < D.FIRST_LINE_SHARE:
            group, hours = D.SERVICE_DESK, hours * 0.5
        known = rng.random() >= D.NO_REQUESTER_SHARE
        send_at = resolved_at + self.delay
        decision = self.decide(person, send_at) if known else Decision.NO_REQUESTER
        self.decisions[decision] += 1
        resolved, sending = when(resolved_at), when(send_at)
        invited = decision == Decision.INVITED
        self.tickets.rows.append((
            self.ticket_id, f"{category.prefix}{1_000_000 + self.ticket_id:08d}",
            subject(category.code, person.language, self.ticket_id),
            self.catalogue.get(category.service), category.label, channel.code,
            when(resolved_at - dt.timedelta(hours=hours)), resolved, group, moves,
            person.pk if known else None, person.email if known else "", resolved,
            decision.value, sending, self.invitation_id + 1 if invited else None))
        if invited:
            self.invite(send_at, sending, person, category, channel, hours, moves)

    def decide(self, person: Respondent, send_at: dt.datetime) -> Decision:
        if person.opted_out:
            return Decision.OPTED_OUT
        if self.rng.random() * 100 >= self.survey.sample_percent:
            return Decision.NOT_SAMPLED
        last = self.last_invited.get(person.pk)
        if last is not None and send_at - last < self.fatigue:
            return Decision.FATIGUE
        sent = self.recent.setdefault(person.pk, deque())
        while sent and sent[0] < send_at - self.window:
            sent.popleft()
        if len(sent) + self.contacts.between(person.pk, send_at - self.window,
                                             send_at) >= self.cap:
            return Decision.CONTACT_CAP
        sent.append(send_at)
        self.last_invited[person.pk] = send_at
        return Decision.INVITED

    def invite(self, send_at: dt.datetime, sending: Any, person: Respondent,
               category: D.Category, channel: D.Channel, hours: float, moves: int) -> None:
        rng, values = self.rng, self.values
        self.invitation_id += 1
        segment = person.segment
        chance = D.TICKET_ANSWER_RATE * person.profile.rate / D.DEFAULT_PROFILE.rate
        answered = rng.random() < chance * channel.answer
        responded_on = None
        if answered:
            # Most answer within hours of the email, a few days later at most.
            submitted_at = send_at + dt.timedelta(
                minutes=min(rng.expovariate(1 / 360), 5 * 24 * 60))
            responded_on = submitted_at.replace(tzinfo=dt.UTC).astimezone(self.tz).date()
            answers = ticket_answers(rng, person, category, channel, hours, moves)
            self.responses.rows.append((
                values.uuid(uuid.uuid4()), self.survey.pk, self.version_id, None,
                TICKET_CHANNEL, None, person.pk, self.invitation_id, person.language,
                segment["unit_code"], segment["site_code"],
                segment["job_family_code"], values.day(responded_on), values.when(submitted_at),
                "", values.json(answers)))
            self.decisions["answered"] += 1
        self.invitations.rows.append((
            self.invitation_id, self.survey.pk, self.version_id, None,
            person.pk, person.email, person.language, new_token(), segment["unit_code"],
            segment["site_code"], segment["job_family_code"], sending, sending, 0, None,
            values.day(responded_on), self.empty_draft))


def subject(category: str, language: str, number: int) -> str:
    """A ticket's subject as its requester typed it ("Problème de VPN"), from the comments'
    topics: chosen by the ticket's number, so that the demo's random draws stay the same."""
    topics = D.TOPICS.get(category, D.TOPICS[""])[language if language == "en" else "fr"]
    words = re.sub(r"^(mon|ma|mes|la|le|les|my|the)\s+|^l'", "", topics[number % len(topics)])
    return (words[:1].upper() + words[1:]).replace("'", "’")


def ticket_answers(rng: Random, person: Respondent, category: D.Category, channel: D.Channel,
                   hours: float, moves: int) -> dict[str, Any]:
    latent = (D.RATING_BASE + category.effect + channel.effect + 0.5 * person.profile.mood
              + 0.4 * person.mood - D.RESOLUTION_PENALTY * math.log2(1 + hours / 4)
              - D.REASSIGNMENT_PENALTY * moves + rng.gauss(0, D.RATING_NOISE_TICKETS))
    rating = clamp(latent, 0, 10)
    mood = band(rating)
    long = hours > D.LONG_RESOLUTION_HOURS
    # The chance of each reason, in the questionnaire's order.
    if mood == "low":
        key, chances = "reasons_low", {
            "slow": 0.85 if long else 0.3 if hours > 8 else 0.08,
            "repeat": 0.7 if moves else 0.08, "not_solved": 0.25, "communication": 0.15,
            "chase": 0.45 if hours > 48 else 0.12, "not_informed": 0.35 if long else 0.2}
    elif mood == "mid":
        key, chances = "reasons_mid", {
            "bit_long": 0.6 if hours > 8 else 0.15, "partly_solved": 0.18,
            "had_to_explain": 0.55 if moves else 0.08, "ok_but": 0.3}
    else:
        key, chances = "reasons_high", {
            "fast": 0.75 if hours < 8 else 0.25,
            "friendly": 0.6 if channel.code in ("walk_in", "phone") else 0.35,
            "first_time": 0.5 if not moves else 0.05, "clear": 0.3,
            "informed": 0.35 if long else 0.25}
    answers: dict[str, Any] = {"rating": rating}
    reasons: list[str] = []
    if rng.random() < 0.9:
        reasons = [code for code, chance in chances.items() if rng.random() < chance]
        reasons = reasons or [max(chances, key=chances.__getitem__)]
        answers[key] = reasons
    if rng.random() < 0.85:
        lost = 0 if hours < 1 else 1 if hours < 4 else 2 if hours < 24 else 3 if hours < 72 else 4
        if rng.random() < 0.3:
            lost += {"low": 1, "mid": 0, "high": -1}[mood]
        answers["lost_time"] = LOST_CODES[min(4, max(0, lost))]
    if rng.random() < D.TICKET_COMMENT_SHARE[mood]:
        themes = list(dict.fromkeys(D.REASON_THEMES[r] for r in reasons[:2]))
        if not themes:
            themes = [{"low": "slow" if long else "not_solved", "mid": "ok_but",
                       "high": "fast" if hours < 8 else "friendly_tech"}[mood]]
        if mood == "low" and category.code in D.TOPIC_THEMES and rng.random() < 0.4:
            themes.append(D.TOPIC_THEMES[category.code])
        answers["comment"] = comment(rng, person.language, mood, themes, category.code,
                                     days=max(2, round(hours / 24)))
    return answers
