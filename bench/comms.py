"""A campaign email to 100,000 people through a local SMTP sink: Phare's send job against the
floor of SMTP itself.

Run from the project root: ``.venv/bin/python bench/comms.py [--people 100000]
[--database postgres://postgres@127.0.0.1:5432/benchcomms] [--already 2] [--tracemalloc]``.
It:

1. starts an SMTP sink on loopback in a process of its own (aiosmtpd's ``Controller``; its
   handler counts the messages and their bytes, and keeps nothing), so that the sink does not
   take the sender's interpreter;
2. points Phare at a throw-away PHARE_HOME and database (SQLite in it by default; with
   ``--database`` a PostgreSQL URL, whose database is dropped, created and dropped again at
   the end), migrates, and builds ``--people`` people with bulk inserts: a business unit with
   10 sub-units of 10 sub-units each (everyone in the lowest ones, a third in English);
3. writes a realistic contact-pressure ledger: half the people (every other id) already
   received ``--already`` solicitations this week (default 2: the budget of a newsletter is
   then spent for them, and they are refused);
4. times the pressure check over the whole audience in one call: ``contact.policy.refusals``
   (reading) and ``contact.services.claim`` (reading, then one solicitation recorded per
   person allowed, counted again): µs per recipient (the claims are then deleted again);
5. runs the real job path, ``comms.services.sending.send_action`` (with the job's
   ``Progress``) on an action to that audience (a newsletter in French and English, Markdown
   with links and merge fields), already ``sending`` as ``send_start`` leaves it, and prints
   messages/s end to end, the time of each phase (functions of the send path wrapped by this
   script; each phase's own time, nested phases taken out) with its SQL queries, and the peak
   memory;
6. measures the baseline in the same run: as many pre-rendered messages (the action's own
   email, to other addresses) sent by ``lib.mail.send_batch`` straight to the sink — the floor
   for SMTP through Phare's one mail sender, its ``SentMail`` row per email included — and
   prints Phare's time over the floor's.

Peak memory is the process's maximum resident set size (``resource.getrusage``: it only
grows, and includes the directory built before); with ``--tracemalloc`` the send's peak of
Python allocations is printed too (timings are then slower, only the memory figure counts).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import atexit
import dataclasses
import datetime as dt
import multiprocessing
import os
import resource
import socket
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import setup_django  # noqa: E402

BATCH = 5000
BODY_FR = """Bonjour {first_name},

L'équipe informatique de **{unit}** vous présente les nouveautés du mois :

- le [portail des services](https://intranet.example.com/services) fait peau neuve ;
- Teams remplace Skype le 1er mars : [le guide](https://intranet.example.com/teams/guide) ;
- une nouvelle [foire aux questions](https://intranet.example.com/faq).

Une question ? Écrivez-nous, ou consultez https://intranet.example.com/aide.

*L'équipe DSI*
"""
BODY_EN = """Hello {first_name},

The IT team of **{unit}** brings you this month's news:

- the [services portal](https://intranet.example.com/services) has a new look;
- Teams replaces Skype on 1 March: [the guide](https://intranet.example.com/teams/guide);
- a new [FAQ](https://intranet.example.com/faq).

A question? Write to us, or see https://intranet.example.com/aide.

*The IT team*
"""


# --- The SMTP sink, in a process of its own -----------------------------------------------------


def _sink(port: Any, messages: Any, size: Any, stop: Any) -> None:
    """Serve SMTP on 127.0.0.1 until ``stop`` is set; count each message and its bytes."""
    from aiosmtpd.controller import Controller

    class Discard:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            messages.value += 1  # only this process writes them
            size.value += len(envelope.content)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    controller = Controller(Discard(), hostname="127.0.0.1", port=free)
    controller.start()
    port.value = free
    stop.wait()
    controller.stop()


class Sink:
    """The sink process; ``count`` and ``bytes`` are what it received so far."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._port = context.Value("i", 0)
        self._messages = context.Value("q", 0, lock=False)
        self._size = context.Value("q", 0, lock=False)
        self._stop = context.Event()
        self._process = context.Process(target=_sink, daemon=True, args=(
            self._port, self._messages, self._size, self._stop))
        self._process.start()
        deadline = time.monotonic() + 30
        while not self._port.value:
            if time.monotonic() > deadline or not self._process.is_alive():
                raise SystemExit("the SMTP sink did not start")
            time.sleep(0.05)
        self.port = self._port.value

    @property
    def count(self) -> int:
        return int(self._messages.value)

    @property
    def bytes(self) -> int:
        return int(self._size.value)

    def close(self) -> None:
        self._stop.set()
        self._process.join(10)


# --- PostgreSQL: a database made and dropped for the run ----------------------------------------


def postgres_database(url: str, *, create: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


# --- Phases: functions of the send path wrapped, their own time and queries ---------------------


class Phases:
    """Wraps functions so that each call adds its own time (minus that of wrapped functions it
    calls) and its own SQL queries to its phase."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.queries: dict[str, int] = defaultdict(int)
        self.calls: dict[str, int] = defaultdict(int)
        self.total_queries = 0
        self._stack: list[list[float]] = []  # [inner seconds, inner queries] per open call
        self._undo: list[tuple[Any, str, Any]] = []

    def count_query(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                    context: Any) -> Any:
        self.total_queries += 1
        return execute(sql, params, many, context)

    def wrap(self, owner: Any, name: str, phase: str) -> None:
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start, queries = time.perf_counter(), self.total_queries
            self._stack.append([0.0, 0])
            try:
                return original(*args, **kwargs)
            finally:
                took = time.perf_counter() - start
                made = self.total_queries - queries
                inner_time, inner_queries = self._stack.pop()
                self.seconds[phase] += took - inner_time
                self.queries[phase] += made - inner_queries
                self.calls[phase] += 1
                if self._stack:
                    self._stack[-1][0] += took
                    self._stack[-1][1] += made

        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def unwrap(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()

    @contextmanager
    def measuring(self) -> Iterator[None]:
        from django.db import connection

        with connection.execute_wrapper(self.count_query):
            yield


def send_path_phases() -> Phases:
    """The phases of ``send_action``, each the functions it calls for one step."""
    from phare.comms import audiences, emails
    from phare.comms.services import sending

    phases = Phases()
    phases.wrap(sending, "_prepare", "drawing deliveries (their rows)")
    phases.wrap(audiences, "action_members", "drawing deliveries: the audience")
    phases.wrap(sending, "_claim_chunk", "pressure claims (+ bounces, skips)")
    phases.wrap(emails.Composer, "message", "rendering (Composer.message)")
    _wrap_mail(phases)
    phases.wrap(sending, "_record", "delivery marked sent")
    if hasattr(sending, "_take"):  # the 'sending' mark before each email, when it has a name
        phases.wrap(sending, "_take", "delivery marked sending")
    return phases


def _wrap_mail(phases: Phases) -> None:
    """lib.mail's share: the email built (Django's object, then its MIME tree), the SMTP
    conversation (with the MIME tree written out as bytes), the outcome recorded."""
    from django.core.mail import message as django_message

    from phare.lib import mail

    phases.wrap(mail.Message, "email", "email built (Message.email, MIME tree)")
    phases.wrap(django_message.EmailMessage, "message", "email built (Message.email, MIME tree)")
    phases.wrap(mail.Batch, "send", "SMTP (Batch.send, bytes written out)")
    phases.wrap(mail.Batch, "_record", "SentMail row (mail_outcome)")


def show_phases(phases: Phases, total: float, messages: int, total_queries: int,
                rest: str = "") -> None:
    accounted = sum(phases.seconds.values())
    rows = sorted(phases.seconds.items(), key=lambda item: -item[1])
    rest = rest or ("the rest (loop, chunks read, progress" + (
        "" if "delivery marked sending" in phases.seconds else ", 'sending' marks") + ")")
    rows.append((rest, total - accounted))
    queries = dict(phases.queries)
    queries[rest] = total_queries - sum(phases.queries.values())
    for phase, seconds in rows:
        per = seconds / messages * 1e6 if messages else 0.0
        print(f"    {phase:<50} {seconds:8.2f} s {100 * seconds / total:5.1f} %"
              f"  {per:8.0f} µs/message  {queries.get(phase, 0):>9,} queries")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Data -----------------------------------------------------------------------------------------


def build_directory(people: int) -> list[int]:
    """A unit with 10 sub-units of 10 sub-units each; ``people`` people in the lowest ones."""
    from phare.directory.models import BusinessUnit, Person

    root = BusinessUnit.objects.create(code="BENCH", name="Bench company")
    leaves: list[BusinessUnit] = []
    for d in range(10):
        division = BusinessUnit.objects.create(code=f"BENCH-{d}", name=f"Division {d}",
                                               parent=root)
        BusinessUnit.objects.bulk_create([
            BusinessUnit(code=f"BENCH-{d}-{s}", name=f"Department {d}.{s}", parent=division)
            for s in range(10)])
        leaves.extend(BusinessUnit.objects.filter(parent=division).order_by("code"))
    for start in range(0, people, BATCH):
        Person.objects.bulk_create([
            Person(employee_id=f"E{i:07d}", first_name=f"First{i}", last_name=f"Last{i}",
                   email=f"person{i}@bench.example.com", language="en" if i % 3 == 0 else "fr",
                   business_unit=leaves[i % len(leaves)])
            for i in range(start, min(people, start + BATCH))], batch_size=BATCH)
    return list(Person.objects.order_by("pk").values_list("pk", flat=True))


def build_ledger(person_ids: list[int], times: int, now: dt.datetime) -> int:
    """Every other person already solicited ``times`` times in the last six days."""
    from phare.contact.models import Category, Solicitation

    rows = [Solicitation(person_id=person_id, category=Category.NEWSLETTER,
                         source="bench.earlier", reference=str(n),
                         at=now - dt.timedelta(days=1 + (n * 5) // max(times, 1), hours=n))
            for person_id in person_ids[::2] for n in range(times)]
    Solicitation.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def make_action(people: int) -> Any:
    """A newsletter to the whole unit (with its sub-units), ``sending`` as ``send_start``
    leaves it."""
    from phare.comms.models import Action, Audience, Plan

    today = dt.date.today()
    plan = Plan.objects.create(name="Bench plan", starts_on=today.replace(month=1, day=1),
                               ends_on=today.replace(month=12, day=31))
    audience = Audience.objects.create(name="Everyone in the bench company",
                                       criteria={"units": ["BENCH"], "sub_units": True})
    return Action.objects.create(
        plan=plan, title=f"Newsletter to {people:,} people", channel=Action.Channel.EMAIL,
        category="newsletter", audience=audience, languages=["fr", "en"], starts_on=today,
        status=Action.Status.SENDING, subject_fr="{first_name}, les nouvelles de la DSI",
        subject_en="{first_name}, news from IT", body_fr=BODY_FR, body_en=BODY_EN)


# --- Measures -------------------------------------------------------------------------------------


def pressure_check(person_ids: list[int]) -> None:
    """``policy.refusals`` and ``services.claim`` over the whole audience in one call each."""
    from phare.contact import policy, services
    from phare.contact.models import Category, Solicitation

    n = len(person_ids)
    start = time.perf_counter()
    refused = policy.refusals(person_ids, category=Category.NEWSLETTER)
    took = time.perf_counter() - start
    print(f"  policy.refusals (reading only)      {took:7.2f} s  {took / n * 1e6:7.1f} µs/recipient"
          f"  ({len(refused):,} refused)")
    start = time.perf_counter()
    refused = services.claim(person_ids=person_ids, category=Category.NEWSLETTER,
                             mandatory=False, source="bench.check", reference="1")
    took = time.perf_counter() - start
    recorded = Solicitation.objects.filter(source="bench.check").count()
    print(f"  services.claim (+ {recorded:,} recorded)  {took:7.2f} s  "
          f"{took / n * 1e6:7.1f} µs/recipient  ({len(refused):,} refused)")
    Solicitation.objects.filter(source="bench.check").delete()


def send(action: Any, tracemalloc_on: bool) -> tuple[dict[str, Any], float, Phases]:
    """The send job's work, timed by phase."""
    from phare.comms.services import sending
    from phare.jobs.models import Job
    from phare.jobs.services import Progress

    job = Job.objects.create(kind=sending.SEND, title=action.title,
                             params={"action_id": action.pk, "language": "fr"})
    phases = send_path_phases()
    if tracemalloc_on:
        tracemalloc.start()
    try:
        with phases.measuring():
            start = time.perf_counter()
            result = sending.send_action(action.pk, Progress(job))
            took = time.perf_counter() - start
    finally:
        phases.unwrap()
    if tracemalloc_on:
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  tracemalloc: peak of Python allocations during the send {peak / 2**20:,.0f} MiB")
    return result, took, phases


def baseline(action: Any, count: int) -> tuple[float, Phases]:
    """``count`` copies of the action's email, pre-rendered, sent by ``lib.mail.send_batch``."""
    from phare.comms import emails
    from phare.comms.models import Delivery
    from phare.comms.services import tracking
    from phare.lib import mail

    delivery = (Delivery.objects.filter(action=action, status=Delivery.Status.SENT)
                .select_related("person__business_unit").first())
    if delivery is None:
        raise SystemExit("nothing was sent: no message to copy for the baseline")
    composer = emails.Composer(action, link_ids=lambda urls: tracking.link_ids(action=action,
                                                                                urls=urls))
    model = composer.message(delivery, delivery.person)
    messages = [dataclasses.replace(model, to=f"floor{i}@bench.example.com",
                                    reference=f"floor-{i}") for i in range(count)]
    phases = Phases()
    _wrap_mail(phases)
    try:
        with phases.measuring():
            start = time.perf_counter()
            outcomes = mail.send_batch(messages)
            took = time.perf_counter() - start
    finally:
        phases.unwrap()
    sent = sum(outcome.sent for outcome in outcomes)
    if sent != count:
        print(f"  WARNING: the baseline sent {sent:,} of {count:,}")
    return took, phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000,
                        help="people in the audience (default 100,000; 2,000 for a smoke run)")
    parser.add_argument("--database", default=None,
                        help="a PostgreSQL URL (its database is dropped, created, dropped "
                             "again); SQLite in the throw-away PHARE_HOME by default")
    parser.add_argument("--already", type=int, default=2,
                        help="solicitations half the people already received this week (2)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also the send's peak of Python allocations (slower timings)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress as it goes
    if args.people < 2:
        parser.error("--people: at least 2")

    sink = Sink()
    atexit.register(sink.close)
    os.environ["PHARE_EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
    if args.database:
        if not args.database.startswith(("postgres://", "postgresql://")):
            parser.error("--database: a postgres:// URL (SQLite is the default)")
        postgres_database(args.database, create=True)

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            postgres_database(args.database, create=False)

        atexit.register(drop)
    setup_django(args.database)
    # Django names itself to the server with socket.getfqdn(): seconds where DNS is slow.
    from django.core.mail.utils import DNS_NAME
    from django.db import connection

    DNS_NAME._fqdn = "localhost"  # type: ignore[attr-defined]

    import phare.comms.jobs  # noqa: F401  (the comms.send job handler, as the worker has it)

    print(f"Database: {connection.vendor}; SMTP sink on 127.0.0.1:{sink.port} (another process); "
          f"{os.cpu_count()} cores")

    started = time.perf_counter()
    person_ids = build_directory(args.people)
    now = dt.datetime.now(dt.UTC)
    ledger = build_ledger(person_ids, args.already, now)
    action = make_action(args.people)
    print(f"Built {args.people:,} people in 111 units and a ledger of {ledger:,} earlier "
          f"solicitations (half the people, {args.already} each this week) in "
          f"{time.perf_counter() - started:.1f} s")

    from phare.comms import audiences

    audience = audiences.action_members(action)
    print(f"Contact-pressure check over the whole audience ({len(audience):,} people, "
          f"one call):")
    pressure_check(audience)

    rss_before = peak_rss_mb()
    print(f"Sending (send_action, {len(audience):,} people in the audience):")
    result, took, phases = send(action, args.tracemalloc)
    sent = result["sent"]
    rss_after = peak_rss_mb()
    print(f"  report: {', '.join(f'{key} {value:,}' for key, value in result.items())}")
    print(f"  sink received {sink.count:,} messages ({sink.bytes / sent / 1024:.1f} KiB each)"
          if sent else "  nothing sent")
    print(f"  end to end {took:.2f} s: {sent / took:,.0f} messages/s, "
          f"{len(audience) / took:,.0f} recipients/s; {phases.total_queries:,} queries "
          f"({phases.total_queries / max(sent, 1):.1f} per message)")
    print("  by phase (own time; µs per message sent):")
    show_phases(phases, took, sent, phases.total_queries)
    print(f"  peak memory (max RSS of the process): {rss_before:,.0f} MB before the send, "
          f"{rss_after:,.0f} MB after")

    if not sent:
        return
    before = sink.count
    print(f"Baseline: {sent:,} pre-rendered messages through lib.mail.send_batch:")
    floor, floor_phases = baseline(action, sent)
    print(f"  {floor:.2f} s: {sent / floor:,.0f} messages/s; sink received "
          f"{sink.count - before:,}; {floor_phases.total_queries:,} queries")
    show_phases(floor_phases, floor, sent, floor_phases.total_queries, "the rest (the loop)")
    print(f"Phare / floor: {took / floor:.2f}× the time "
          f"({sent / took:,.0f} against {sent / floor:,.0f} messages/s)")


if __name__ == "__main__":
    main()
