"""Benchmark of answer ingestion over HTTP: the production server under concurrent clients.

Run from the project root: ``.venv/bin/python bench/ingest.py [--clients 20] [--requests 5000]
[--postgres [URL]]``. For SQLite (and PostgreSQL with ``--postgres``) it:

1. points Phare at a throw-away PHARE_HOME (and, for PostgreSQL, a database it creates and
   drops), migrates, and makes an open survey (open link, four questions);
2. counts, in this process, the ORM queries of one new submission and of one replay; starts
   the production server (``phare serve``: gunicorn, ``--workers``) on a free port, with
   the open-link rate limit lifted (``PHARE_OPEN_SURVEY_RATE``), and warms every worker up
   with GET requests (answered 405);
3. runs ``--clients`` threads, each a keep-alive HTTP client posting its share of
   ``--requests`` submissions to ``/s/open/<token>/response.json``, each with a new
   ``submission_id`` — and about 5 % deliberate replays of an id already acknowledged, which
   must answer 200 ``{"created": false}``. A failed request (connection error, 5xx) is retried
   with the same id, as a real client would;
4. counts the rows: lost = ids acknowledged − rows, duplicated = rows − distinct ids; both
   must be 0, and every answer must have the status the contract says;
5. measures, in the same run, the ceiling: the same rows written by ``Response.objects.create``
   in a loop in one process (one transaction each, as each HTTP request has), and prints the
   ratio of the HTTP rate to it. A ``bulk_create`` rate is printed for scale;
6. times, in this process, the CPU of one new submission through Django's WSGI handler without
   gunicorn or the network (the median of ``--in-process-batches`` batches of 300): what
   Phare's code costs, a figure the machine's load moves less than rates.

It prints responses/s, latency p50/p99, the CPU used per request (read from ``/proc``,
sampled during the run) by the gunicorn workers, the master, this process's clients and, on a
local PostgreSQL, the backends serving the database — figures that hold on a busy machine
where rates do not — and on PostgreSQL the transactions per request its statistics counted;
the checks and the ratios, then whether the goals are
met (HTTP / ceiling >= 0.30, p99 <= 100 ms: issue 11, at 20 clients); it exits with status 1
when anything was lost, duplicated or answered wrongly (a goal missed is reported, not failed:
the figures depend on the machine).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/phare_bench_ingest"
REPLAY_SHARE = 0.05
#: The goals of issue 11, at 20 clients: HTTP at least this share of the ceiling, p99 at most.
GOAL_RATIO = 0.30
GOAL_P99_MS = 100.0
RETRIES = 5
ROOT = Path(__file__).resolve().parents[1]


def serve_workers() -> int:
    """``phare serve``'s default worker count here (settings.PHARE_WEB_WORKERS, without Django)."""
    sys.path.insert(0, str(ROOT / "src"))
    from phare import env

    return env.web_workers(os.environ)


# --- the clients -------------------------------------------------------------------------------


@dataclass
class Client:
    """One keep-alive connection posting submissions; what it saw."""

    port: int
    path: str
    count: int
    seed: int
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)  # new ids answered 201
    wrong: list[str] = field(default_factory=list)  # answers the contract does not allow
    retries: int = 0
    replays: int = 0

    def run(self) -> None:
        rng = random.Random(self.seed)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            for _ in range(self.count):
                if self.acknowledged and rng.random() < REPLAY_SHARE:
                    self.replays += 1
                    self.post(connection, rng.choice(self.acknowledged), rng, replay=True)
                else:
                    self.post(connection, str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                              rng, replay=False)
        finally:
            connection.close()

    def post(self, connection: http.client.HTTPConnection, submission_id: str,
             rng: random.Random, *, replay: bool) -> None:
        score = rng.randint(0, 10)
        body = json.dumps({
            "submission_id": submission_id, "language": rng.choice(["fr", "en"]),
            "answers": {"nps": score, "csat": rng.randint(1, 5),
                        "topics": rng.sample(["vpn", "laptop", "password", "printer"],
                                             rng.randint(0, 2)),
                        "comment": "Le VPN coupe souvent." if score <= 6 else ""},
        }).encode()
        for attempt in range(RETRIES + 1):
            started = time.perf_counter()
            try:
                connection.request("POST", self.path, body=body,
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()  # it reconnects on the next request
                self.retries += 1
                continue
            if response.status >= 500 and attempt < RETRIES:
                self.retries += 1
                continue
            self.latencies.append(time.perf_counter() - started)
            self.check(response.status, payload, submission_id, replay=replay, retried=attempt > 0)
            return
        self.wrong.append(f"no answer after {RETRIES} retries")

    def check(self, status: int, payload: bytes, submission_id: str, *, replay: bool,
              retried: bool) -> None:
        """201 for a new id (or 200 when a retried first attempt had been recorded), 200
        ``created: false`` for a replay; anything else breaks the contract."""
        created = json.loads(payload).get("created") if status in (200, 201) else None
        if replay:
            if status != 200 or created is not False:
                self.wrong.append(f"replay answered {status} {payload[:200]!r}")
        elif status == 201 and created is True or (retried and status == 200):
            self.acknowledged.append(submission_id)
        else:
            self.wrong.append(f"new submission answered {status} {payload[:200]!r}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def share_static_files() -> None:
    """Point the throw-away PHARE_HOME's static files at one folder kept between runs: `phare
    serve` collects (hashes and compresses) them only when the sources changed, which costs
    20 s of CPU or minutes on a busy machine."""
    static = Path(os.environ["PHARE_HOME"]) / "static"
    kept = ROOT / ".cache" / "bench-ingest-static"
    kept.mkdir(parents=True, exist_ok=True)
    static.rmdir()  # made empty by common.setup_django
    static.symlink_to(kept, target_is_directory=True)


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    share_static_files()
    env = {**os.environ, "PHARE_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "PHARE_OPEN_SURVEY_RATE": "1000000000/1", "PYTHONPATH": str(ROOT / "src")}
    log = open(Path(os.environ["PHARE_HOME"]) / "server.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "phare", "serve", "--no-migrate", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads)],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (see {log.name})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer /healthz within 300 s")


def warm_up(port: int, path: str, clients: int, each: int = 5) -> None:
    """GET requests to the submission's address (answered 405, nothing written) from
    ``clients`` threads at once, so that every worker has served requests before the
    measurement: what a worker does once (imports, connecting to the database) is not counted
    per request."""
    statuses: list[int] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(each):
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if set(statuses) != {405} or len(statuses) != clients * each:
        raise SystemExit(f"warm-up: GET {path} answered {sorted(set(statuses))}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


# --- CPU per request, read from /proc ----------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU a process has used so far, or None when it is gone (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15)


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


class CpuMeter:
    """The CPU used during a run by groups of processes, each group a function listing its
    pids. A thread samples every ``interval`` seconds so that a process ending during the run
    (a database connection replaced) keeps what it used up to its last sample; a process first
    seen during the run counts from zero."""

    def __init__(self, groups: dict[str, Any], interval: float = 0.5) -> None:
        self.groups = groups
        self.interval = interval
        self.start: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.sample_until_stopped, daemon=True)

    def sample(self) -> None:
        for name, pids in self.groups.items():
            for pid in pids():
                used = cpu_seconds(pid)
                if used is not None:
                    self.last[(name, pid)] = used

    def sample_until_stopped(self) -> None:
        while not self.stopping.wait(self.interval):
            self.sample()

    def __enter__(self) -> CpuMeter:
        self.sample()
        self.start = dict(self.last)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()
        self.sample()

    def used(self) -> dict[str, float]:
        """CPU seconds per group during the run."""
        totals = dict.fromkeys(self.groups, 0.0)
        for (name, pid), used in self.last.items():
            totals[name] += used - self.start.get((name, pid), 0.0)
        return totals


def postgres_backends(database: str, own: int | None) -> Any:
    """The pids of the PostgreSQL backends serving ``database`` (but this process's own
    connection), when the server runs on this machine."""
    postmaster = parent(own) if own is not None else None

    def pids() -> list[int]:
        if postmaster is None:
            return []
        found = []
        for pid in children(postmaster):
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if pid != own and f" {database} " in f"{title} ":
                found.append(pid)
        return found

    return pids


def postgres_transactions() -> int:
    """Transactions committed or rolled back in this database (each autocommit statement is
    one), as PostgreSQL's statistics say once its backends have reported."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                       "WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def queries_per_request(path: str) -> tuple[int, int]:
    """The queries of one new submission and of one replay, in this process (Django's test
    client; BEGIN and COMMIT counted, not the connection's health check), after a first
    submission (which also reads the version's questions, kept by the process). The rows
    written are deleted again."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from phare.listening.models import Response

    client = TestClient()
    keys = [str(uuid.uuid4()), str(uuid.uuid4())]
    counts = []
    for key, expected in zip([*keys, keys[1]], (201, 201, 200), strict=True):
        body = json.dumps({"submission_id": key, "answers": {"nps": 9, "topics": ["vpn"]}})
        with CaptureQueriesContext(connection) as queries:
            answer = client.post(path, body, content_type="application/json")
        if answer.status_code != expected:
            raise SystemExit(f"in-process submission answered {answer.status_code}: "
                             f"{answer.content[:200]!r}")
        counts.append(len(queries))
    Response.objects.filter(submission_id__in=keys).delete()
    return counts[1], counts[2]


# --- one database ------------------------------------------------------------------------------


def make_survey():  # -> Survey
    from phare.listening import services
    from phare.listening.models import Survey

    survey = services.survey_create(slug="bench-ingest", kind=Survey.Kind.PULSE,
                                    title_fr="Banc d'essai", title_en="Bench",
                                    anonymity=Survey.Anonymity.ANONYMOUS, open_link=True)
    add = services.question_add
    add(survey, code="nps", type="nps", required=True, text_fr="Recommanderiez-vous ?")
    add(survey, code="csat", type="csat", text_fr="Satisfait ?")
    add(survey, code="topics", type="multiple", text_fr="Sujets",
        options=[{"code": c, "label_fr": c} for c in ("vpn", "laptop", "password", "printer")])
    add(survey, code="comment", type="text", text_fr="Commentaire")
    services.survey_set_status(survey, Survey.Status.OPEN)
    return survey


def ceiling(survey, count: int) -> tuple[float, float]:
    """Responses/s written in one process: ``objects.create`` each, then ``bulk_create``."""
    import datetime as dt

    from phare.listening.models import Response

    version = survey.current_version()
    rng = random.Random(1)

    def row() -> Response:
        return Response(survey=survey, version=version, channel=Response.Channel.OPEN_LINK,
                        submission_id=uuid.uuid4(), language="fr",
                        submitted_on=dt.date.today(),
                        answers={"nps": rng.randint(0, 10), "csat": rng.randint(1, 5),
                                 "topics": ["vpn"], "comment": "Le VPN coupe souvent."})

    rows = [row() for _ in range(count)]
    started = time.perf_counter()
    made = [Response.objects.create(
        survey=r.survey, version=r.version, channel=r.channel, submission_id=r.submission_id,
        language=r.language, submitted_on=r.submitted_on, answers=r.answers) for r in rows]
    one_by_one = count / (time.perf_counter() - started)
    started = time.perf_counter()
    made += Response.objects.bulk_create([row() for _ in range(count)], batch_size=2000)
    bulk = count / (time.perf_counter() - started)
    Response.objects.filter(pk__in=[r.pk for r in made]).delete()
    return one_by_one, bulk


def in_process_cpu(path: str, batches: int, size: int = 300) -> list[float]:
    """CPU (ms) per new submission through Django's WSGI handler in this process, per batch of
    ``size`` (after 50 to warm up); the rows written are deleted again."""
    import io

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    from phare.listening.models import Response

    settings.PHARE_OPEN_SURVEY_RATE = "1000000000/1"  # as the server's: no rate limit
    handler = WSGIHandler()
    keys: list[str] = []

    def submit() -> None:
        keys.append(str(uuid.uuid4()))
        body = json.dumps({"submission_id": keys[-1], "answers": {
            "nps": 9, "topics": ["vpn"], "comment": "Le VPN coupe souvent."}}).encode()
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "",
                   "QUERY_STRING": "", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
                   "HTTP_HOST": "localhost", "CONTENT_TYPE": "application/json",
                   "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
                   "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
                   "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
                   "wsgi.version": (1, 0), "wsgi.multithread": False,
                   "wsgi.multiprocess": True, "wsgi.run_once": False}
        statuses: list[str] = []
        answer = handler(environ, lambda status, headers, *_: statuses.append(status))
        content = b"".join(answer)
        answer.close()
        if not statuses[0].startswith("201"):
            raise SystemExit(f"in-process submission answered {statuses[0]}: {content[:200]!r}")

    for _ in range(50):
        submit()
    times = []
    for _ in range(batches):
        started = time.process_time()
        for _ in range(size):
            submit()
        times.append((time.process_time() - started) / size * 1000)
    Response.objects.filter(submission_id__in=keys).delete()
    return times


def run_one(args: argparse.Namespace) -> int:
    """The whole measurement on the database of this process (``--only``)."""
    from common import setup_django

    setup_django(args.database_url)
    from django.db import connection

    from phare.listening.models import Response

    survey = make_survey()
    engine = connection.vendor
    path = f"/s/open/{survey.open_token}/response.json"
    new_queries, replay_queries = queries_per_request(path)
    postgres = engine == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            own_backend = int(cursor.fetchone()[0])
        backends = postgres_backends(connection.settings_dict["NAME"], own_backend)
    port = free_port()
    server = start_server(port, args.workers, args.threads)
    meter = CpuMeter({"workers": lambda: children(server.pid), "master": lambda: [server.pid],
                      "clients": lambda: [os.getpid()],
                      **({"postgres": backends} if postgres else {})})
    per_client = [args.requests // args.clients + (i < args.requests % args.clients)
                  for i in range(args.clients)]
    clients = [Client(port=port, path=path, count=n, seed=i) for i, n in enumerate(per_client)]
    threads = [threading.Thread(target=c.run) for c in clients]
    warm_up(port, path, args.clients)
    if postgres:
        time.sleep(1.5)  # the warm-up's statistics reported (at most once a second)
        transactions = postgres_transactions()
    try:
        with meter:
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
    finally:
        stop_server(server)
    if postgres:
        # A backend reports its statistics when it ends: wait for the workers' to end.
        deadline = time.monotonic() + 10
        while backends() and time.monotonic() < deadline:
            time.sleep(0.1)
        transactions = postgres_transactions() - transactions - 1  # less the reading itself

    latencies = sorted(t for c in clients for t in c.latencies)
    acknowledged = {i for c in clients for i in c.acknowledged}
    wrong = [w for c in clients for w in c.wrong]
    rows = Response.objects.filter(survey=survey)
    count = rows.count()
    distinct = rows.values("submission_id").distinct().count()
    unknown = rows.exclude(submission_id__in=list(acknowledged)).count() if count < 200_000 \
        else "not checked"
    lost, duplicated = len(acknowledged) - count, count - distinct
    http_rate = count / elapsed
    one_by_one, bulk = ceiling(survey, min(args.requests, args.ceiling_rows))
    cpu = in_process_cpu(path, args.in_process_batches) if args.in_process_batches else []

    p50 = statistics.median(latencies) * 1000
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000
    ratio = http_rate / one_by_one
    print(f"\n{engine}: {args.clients} clients, {args.requests} requests "
          f"({sum(c.replays for c in clients)} replays, {sum(c.retries for c in clients)} "
          f"retries), gunicorn with {args.workers} workers × {args.threads} threads")
    print(f"  HTTP      {http_rate:8.0f} responses/s  ({count} new in {elapsed:.1f} s; "
          f"{len(latencies) / elapsed:.0f} requests/s)")
    print(f"  latency   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")
    requests = len(latencies) + sum(c.retries for c in clients)
    used = meter.used()
    measured = cpu_seconds(os.getpid()) is not None
    print("  CPU per request " + ("   ".join(
        f"{name} {seconds / requests * 1000:.2f} ms" for name, seconds in used.items())
        if measured else "not measured (no /proc)")
        + f"   (workers: {used['workers'] / elapsed * 100:.0f} % of a core)" * measured)
    print(f"  queries   {new_queries} per new submission, {replay_queries} per replay "
          "(in-process, health check not counted)"
          + (f"; {transactions / requests:.2f} PostgreSQL transactions per request "
             "(server)" if postgres else ""))
    print(f"  ceiling   {one_by_one:8.0f} responses/s  (Response.objects.create, one process)")
    print(f"  bulk      {bulk:8.0f} responses/s  (bulk_create, for scale)")
    if cpu:
        print(f"  in-process {statistics.median(cpu):.2f} ms of CPU per submission (median of "
              f"{len(cpu)} batches of 300, {min(cpu):.2f}–{max(cpu):.2f}; Django's WSGI "
              "handler, no gunicorn, no network)")
    print(f"  HTTP / ceiling = {ratio:.2f} (goal >= {GOAL_RATIO:.2f}: "
          f"{'met' if ratio >= GOAL_RATIO else 'not met'})   p99 = {p99:.1f} ms (goal <= "
          f"{GOAL_P99_MS:.0f} ms at 20 clients: {'met' if p99 <= GOAL_P99_MS else 'not met'})")
    print(f"  lost {lost}, duplicated {duplicated}, rows with an id never acknowledged "
          f"{unknown}, wrong answers {len(wrong)}")
    for line in wrong[:5]:
        print(f"    {line}")
    failed = lost or duplicated or wrong or (unknown not in (0, "not checked"))
    print("  " + ("FAILED" if failed else "OK: nothing lost, nothing duplicated"))
    return 1 if failed else 0


# --- PostgreSQL: a database made and dropped for the run ----------------------------------------


def admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def postgres_database(url: str, *, create: bool) -> None:
    import psycopg

    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20,
                        help="concurrent clients (20, as the goal's p99 is measured)")
    parser.add_argument("--requests", type=int, default=5000,
                        help="submissions in all, replays included (5000)")
    parser.add_argument("--workers", type=int, default=serve_workers(),
                        help="gunicorn workers (as phare serve: PHARE_WEB_WORKERS, else one "
                             "per usable processor, from 2 to 12)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("PHARE_WEB_THREADS",
                                                                          "1")),
                        help="threads per gunicorn worker (PHARE_WEB_THREADS or 1, as phare "
                             "serve; 1 is gunicorn's sync worker)")
    parser.add_argument("--ceiling-rows", type=int, default=2000,
                        help="rows written for the in-process ceiling (2000)")
    parser.add_argument("--in-process-batches", type=int, default=5,
                        help="batches of 300 submissions timed in-process, without gunicorn "
                             "(5; 0 skips)")
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_POSTGRES, default=None,
                        metavar="URL", help="also run on PostgreSQL (a database created and "
                                            f"dropped; default {DEFAULT_POSTGRES})")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clients < 1 or args.requests < args.clients:
        parser.error("expected at least one client and one request per client")
    if args.only:
        return run_one(args)
    # Each database in its own process: Django is set up once per process.
    status = 0
    runs = [["--only", "sqlite"]]
    if args.postgres:
        runs.append(["--only", "postgres", "--database-url", args.postgres])
    passed = ["--clients", str(args.clients), "--requests", str(args.requests), "--workers",
              str(args.workers), "--threads", str(args.threads),
              "--ceiling-rows", str(args.ceiling_rows),
              "--in-process-batches", str(args.in_process_batches)]
    for run in runs:
        if args.postgres and run[1] == "postgres":
            postgres_database(args.postgres, create=True)
        try:
            status |= subprocess.call([sys.executable, __file__, *passed, *run])
        finally:
            if args.postgres and run[1] == "postgres":
                postgres_database(args.postgres, create=False)
    return status


if __name__ == "__main__":
    sys.exit(main())
