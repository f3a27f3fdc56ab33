"""The speed budgets of DESIGN.md over HTTP, as a deployment serves the pages: requests
per second of each page against a one-query view served by the same server, in the same
run, at 1,000,000 cases.

    createdb -h 127.0.0.1 -U postgres liaison_http
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_http \
    REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python benchmarks/http_budget.py --cases 1000000
    dropdb -h 127.0.0.1 -U postgres liaison_http

Meant for an empty, throw-away database, seeded as benchmarks/page_budget.py seeds it
(``seed_demo``, then ``--cases`` open cases over the demo's visits, units and
categories; the demo's unit leads one case in 52, about 19,000 of a million, and
co-handles ``--co-handled`` (4,615) that other units lead);
``--reuse`` measures a database seeded by an earlier run again. Then:

- gunicorn with the production settings (``DJANGO_ENV=production``, DEBUG off, Redis
  cache, collected static files), 3 sync workers pinned to one core (``taskset -c 0``),
  and a URLconf that adds the yardstick (benchmarks/http_urls.py): one primary-key
  query rendered by a tiny template, behind the same middleware;
- wrk (16 connections, pinned to the other core) against each page between two runs of
  the yardstick, ``--rounds`` times over (3), each run ``--warmup`` seconds unmeasured
  then ``--seconds`` measured; a page's share is the median of its rounds' shares, each
  of the yardstick's runs on either side of it; staff pages with the session cookie of
  a login made in this process (the same session store);
- each page's queries, counted once in-process through the same settings;
- the escalation sweep over the open cases (1 % due) after a checkpoint, with the helper
  sweepers the beat's run asks for, timed inside transactions that are rolled back, so
  that the database can be measured again; and notice delivery
  (benchmarks/notice_delivery.py, one worker process).

Not a test: it prints a table for docs/benchmarks.md and exits 1 when a share falls
under the issue's acceptance (public pages 100 %, status lookup 50 %, staff pages, API
and the unit's pages 40 %), the sweep takes over 2 s or delivery is under 200/s.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SWEEP_BUDGET_SECONDS, DELIVERY_BUDGET_PER_SECOND = 2.0, 200


@dataclass
class Page:
    label: str
    who: str | None  # a demo login, or None for an anonymous visitor
    path: str
    needs: float  # the share of the yardstick's requests/s it must reach
    form: dict | None = None  # POSTed as a form when given
    figures: dict = field(default_factory=dict)  # wrk's: rps, p50_ms, bad (medians)
    shares: list[float] = field(default_factory=list)  # of the yardstick, per round
    status: int = 0  # of the in-process request that counted the queries
    queries: int = 0


def production_env(base: dict) -> dict:
    """The environment of the server and of this process: the product's production
    settings over plain HTTP on 127.0.0.1 (no TLS in front, hence no SSL redirect)."""
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "benchmarks.http_settings",
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": base.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        # The benchmark looks a case up far more often than one visitor may.
        "STATUS_LIMIT_PER_IP_10MIN": "1000000000",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="measure a seeded database again")
    parser.add_argument("--seconds", type=int, default=6, help="measured per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="of every page between yardsticks")
    parser.add_argument("--warmup", type=int, default=2, help="seconds unmeasured per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--client-cpu", default="1")
    parser.add_argument(
        "--co-handled", type=int, default=4615, help="cases the unit co-handles (a new seed)"
    )
    parser.add_argument(
        "--only", default="", help="measure the pages whose label has one of these, comma-separated"
    )
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--delivery", type=int, default=5000, help="notices; 0 skips it")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database (or a seeded one: --reuse).")
    if not os.environ.get("REDIS_URL"):
        sys.exit(
            "Set REDIS_URL: the production settings need Redis (e.g. redis://127.0.0.1:6379/5)."
        )
    if not shutil.which("wrk") or not shutil.which("taskset"):
        sys.exit("Needs wrk and taskset on PATH (apt-get install wrk util-linux).")
    if (os.cpu_count() or 1) < 2:
        sys.exit("Needs two CPUs: one for the server, one for wrk.")

    plain_env = dict(os.environ)
    env = production_env(plain_env)
    os.environ.update(env)
    # Seeding a million rows is one statement; the server keeps the product's timeout.
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"

    import django

    django.setup()
    from django.core.management import call_command

    total = seed(args.cases, reuse=args.reuse, co_handled=args.co_handled)
    call_command("collectstatic", interactive=False, verbosity=0)
    pages, yardstick = pages_to_measure()
    if args.only:
        wanted = [part.strip() for part in args.only.split(",") if part.strip()]
        pages = [page for page in pages if any(part in page.label for part in wanted)]
    count_queries([*pages, yardstick])
    cookies = log_in({page.who for page in pages if page.who})

    # Figures are per core: another job on the machine lowers them; say so in the table.
    print(f"load average before the pages: {os.getloadavg()[0]:.1f}")
    print(f"PostgreSQL: {server_settings()}")
    with Server(env, workers=args.workers, cpu=args.server_cpu) as server:
        load = Load(server.url, args.connections, args.client_cpu, args.seconds, args.warmup)
        measure_interleaved(load, pages, yardstick, cookies, rounds=args.rounds)
    print(f"load average after the pages: {os.getloadavg()[0]:.1f}")

    background = []
    if not args.no_sweep:
        background.append(sweep_once())
    if args.delivery:
        background.append(deliver(args.delivery, plain_env))

    ok = print_table(pages, yardstick, total, background)
    sys.exit(0 if ok else 1)


def seed(cases: int, *, reuse: bool, co_handled: int = 0) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from suggestions.models import Case

    call_command("migrate", verbosity=0)
    if reuse:
        if not Case.objects.exists():
            sys.exit("--reuse: the database holds no cases; run once without it.")
    else:
        if Case.objects.exists():
            sys.exit("The database already holds cases: use an empty one, or --reuse.")
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        from benchmarks.escalation_sweep import insert_cases

        insert_cases(cases, 0.01, timezone.localdate())
        from benchmarks.unit_page import add_co_handled

        add_co_handled(co_handled)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"seeded the demo and {cases:,} cases in {time.perf_counter() - started:.0f} s")
    return Case.objects.count()


def pages_to_measure() -> tuple[list[Page], Page]:
    from representatives.models import Representative
    from stations.models import Station, Visit
    from suggestions.models import Case

    representative = Representative.objects.filter(published=True).order_by("pk").first()
    station = Station.objects.order_by("pk").first()
    visit = Visit.objects.exclude(constituent_phone="").order_by("pk").first()
    looked_up = Case.objects.filter(visit=visit).order_by("pk").first()
    newest = Case.objects.order_by("-pk").first()
    status = {"code": looked_up.tracking_code, "check": visit.constituent_phone[-4:]}
    api = "/api/v1/cases/?page_size=25"
    pages = [
        Page("public: home", None, "/", 1.0),
        Page("public: representatives", None, "/representatives/", 1.0),
        Page("public: a profile", None, f"/representatives/{representative.pk}/", 1.0),
        Page("public: a station", None, f"/stations/{station.pk}/", 1.0),
        Page("public: status lookup (POST)", None, "/cases/status/", 0.5, form=status),
        Page("staff: cases", "committee", "/staff/cases/", 0.4),
        Page("API: cases, 25", "committee", api, 0.4),
        Page("staff: a case", "committee", f"/staff/cases/{newest.pk}/", 0.4),
        Page("staff: my unit", "unit", "/staff/unit/", 0.4),
        Page("API: my unit's cases, 25", "unit", api, 0.4),
    ]
    return pages, Page("one-query view", None, f"/__one_query__/{newest.pk}/", 1.0)


# What decides how fast PostgreSQL writes a sweep's scattered rows: docker-compose.yml's
# db sets them for a deployment; a server left at PostgreSQL's defaults (128 MB of shared
# buffers) reads and evicts index pages on every write of a million-case table.
SERVER_SETTINGS = (
    "server_version", "shared_buffers", "effective_cache_size", "wal_compression",
    "max_wal_size", "checkpoint_timeout", "work_mem",
)  # fmt: skip


def server_settings() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)",
            [list(SERVER_SETTINGS)],
        )
        found = dict(cursor.fetchall())
    return ", ".join(f"{name} {found[name]}" for name in SERVER_SETTINGS if name in found)


def count_queries(pages: list[Page]) -> None:
    """Each page's status and queries, in-process through the same settings and stores;
    the second request is counted, as wrk's requests meet warm caches."""
    from contextlib import ExitStack

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients: dict = {}
    for page in pages:
        if page.who not in clients:
            clients[page.who] = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
            if page.who:
                clients[page.who].force_login(get_user_model().objects.get(username=page.who))
        client = clients[page.who]
        send = (
            (lambda c=client, p=page: c.post(p.path, p.form))
            if page.form
            else (lambda c=client, p=page: c.get(p.path))
        )
        send()
        # On every database: with DATABASE_REPLICA_URL the public pages read the replica.
        with ExitStack() as stack:
            queries = [
                stack.enter_context(CaptureQueriesContext(connections[alias]))
                for alias in {"default", settings.DATABASE_REPLICA_ALIAS or "default"}
            ]
            response = send()
        page.queries, page.status = sum(len(q) for q in queries), response.status_code


def log_in(usernames: set[str]) -> dict[str, str]:
    """A session cookie per demo login, made through the same session store the server
    reads (the test client's login: the signals run, as at a real login)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    cookies = {}
    for username in sorted(usernames):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookies[username] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


class Server:
    """gunicorn with the production settings, its workers pinned to one CPU."""

    def __init__(self, env: dict, *, workers: int, cpu: str):
        self.env, self.workers, self.cpu = env, workers, cpu
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="http-budget-", suffix=".log", delete=False)  # noqa: SIM115

    def __enter__(self):
        command = [
            *["taskset", "-c", self.cpu, sys.executable, "-m", "gunicorn", "liaison.wsgi"],
            *["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
            *["--worker-class", "sync", "--timeout", "60", *self.control_socket()],
        ]
        self.process = subprocess.Popen(  # noqa: S603 (our interpreter, our arguments)
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        sys.exit(f"gunicorn did not answer /healthz in 60 s; see {self.log.name}")

    def control_socket(self) -> list[str]:
        """Recent gunicorns open a control socket, by default one path for all of them:
        ours goes beside the log, so that another gunicorn on the machine keeps its own."""
        usage = subprocess.run(
            [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True
        ).stdout
        if "--control-socket" not in usage:
            return []
        return ["--control-socket", f"{self.log.name}.ctl"]

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class Load:
    """wrk against one page at a time, pinned to the CPU the server does not use."""

    def __init__(self, url: str, connections: int, cpu: str, seconds: int, warmup: int):
        self.url, self.connections, self.cpu = url, connections, cpu
        self.seconds, self.warmup = seconds, warmup
        self.folder = Path(tempfile.mkdtemp(prefix="http-budget-"))

    def run(self, page: Page, cookies: dict[str, str]) -> dict:
        command = ["taskset", "-c", self.cpu, "wrk", "--threads", "1", "--connections",
                   str(self.connections), "--latency", "--timeout", "30s",
                   "--header", "Accept-Language: zh-hans"]  # fmt: skip
        cookie = cookies.get(page.who, "")
        if page.form:
            script = self.folder / f"post-{abs(hash(page.path))}.lua"
            script.write_text(post_script(page.form))
            command += ["--script", str(script)]
            cookie = "; ".join(filter(None, [cookie, f"csrftoken={CSRF_SECRET}"]))
        if cookie:
            command += ["--header", f"Cookie: {cookie}"]
        target = self.url + page.path
        if self.warmup:
            wrk([*command, "--duration", f"{self.warmup}s", target])
        figures = parse_wrk(wrk([*command, "--duration", f"{self.seconds}s", target]))
        print(f"  {page.label}: {figures['rps']:.1f} requests/s", flush=True)
        return figures


def measure_interleaved(load, pages: list[Page], yardstick: Page, cookies, *, rounds: int):
    """Every page between two runs of the yardstick, ``rounds`` times over: a page's share
    in a round is of the mean of the yardstick's runs on either side of it, so that a
    machine whose speed drifts within a run (as shared virtual machines' does, by a third
    or more) measures page and yardstick at the same speed. A page's figures and share are
    the medians of its rounds."""
    runs: dict[str, list[dict]] = {page.label: [] for page in pages}
    yardsticks = []
    for number in range(1, rounds + 1):
        print(f"round {number} of {rounds}", flush=True)
        before = load.run(yardstick, cookies)
        yardsticks.append(before)
        for page in pages:
            figures = load.run(page, cookies)
            after = load.run(yardstick, cookies)
            yardsticks.append(after)
            runs[page.label].append(figures)
            page.shares.append(figures["rps"] / statistics.mean([before["rps"], after["rps"]]))
            before = after
    for page in pages:
        page.figures = median_figures(runs[page.label])
    yardstick.figures = median_figures(yardsticks)
    yardstick.shares = [1.0]


def median_figures(runs: list[dict]) -> dict:
    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "low": min(run["rps"] for run in runs),
        "high": max(run["rps"] for run in runs),
        "bad": sum(run["bad"] for run in runs),
    }


def wrk(command: list[str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


# A CSRF secret of our own, sent as the cookie and as the form's token: Django accepts
# the unmasked 32-character secret, and checks no Referer over plain HTTP.
CSRF_SECRET = "benchmarkbenchmarkbenchmarkbench"  # noqa: S105 (not a secret)


def post_script(form: dict) -> str:
    """A wrk Lua script that POSTs ``form`` (with the CSRF token) on every request."""
    from urllib.parse import urlencode

    body = urlencode({**form, "csrfmiddlewaretoken": CSRF_SECRET})
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = {lua_string(body)}\n"
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    )


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def parse_wrk(output: str) -> dict:
    """requests/s, the median latency in ms and the count of non-2xx/3xx answers and
    socket errors, from ``wrk --latency``'s report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": rps,
        "p50_ms": float(p50.group(1)) * UNITS[p50.group(2)] if p50 else float("nan"),
        "bad": (int(bad.group(1)) if bad else 0)
        + (sum(int(n) for n in errors.groups()) if errors else 0),
    }


def sweep_once() -> dict:
    """The escalation sweep over the open cases as the beat's run makes it: with the helpers
    it asks for (``escalation_helpers``, ``SWEEP_PARALLEL_TASKS``), each sweeper a thread
    on a connection of its own, as each would be a worker process. Timed from the start to
    the last sweeper's end, then rolled back, so that the next run (``--reuse``) finds the
    same cases due: every sweeper holds its transaction until all are done, since a case
    one of them gave back would be claimed again by another."""
    import threading

    from django.db import connection, connections, transaction
    from django.utils import timezone

    from suggestions.cases import sweeps

    today = timezone.localdate()
    # Each earlier run's rolled-back rows are dead in these tables, the outbox's under the
    # very dedupe keys this run checks: a deployment's sweep meets tables autovacuum keeps.
    _vacuum()
    # And it meets them a while after a checkpoint, as a nightly sweep always does: the
    # first change of each page after one writes the whole page to the WAL (most of the
    # sweep's time). Without this the figure depends on when the last checkpoint was.
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    sweepers = 1 + sweeps.escalation_helpers(today=today)
    started, done = threading.Barrier(sweepers + 1), threading.Barrier(sweepers + 1)
    escalated, errors = [], []

    def sweep():
        try:
            with transaction.atomic():
                started.wait()
                try:
                    escalated.append(sweeps.cases_escalate(today=today))
                except Exception as error:  # reported below, after the others are done
                    errors.append(error)
                done.wait()
                transaction.set_rollback(True)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(sweepers)]
    for thread in threads:
        thread.start()
    started.wait()
    begun = time.perf_counter()
    done.wait()
    seconds = time.perf_counter() - begun
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    total = sum(escalated)
    # And again: the next run's pages would otherwise step over this run's dead rows (the
    # header's unread count over 10,000 dead in-app rows of the committee's members).
    _vacuum()
    print(f"  sweep: {total:,} cases escalated by {sweepers} in {seconds:.2f} s", flush=True)
    return {
        "label": f"escalation sweep ({total:,} due cases, {sweepers} sweepers, rolled back)",
        "figure": f"{seconds:.2f} s",
        "needs": f"≤ {SWEEP_BUDGET_SECONDS:g} s",
        "ok": seconds <= SWEEP_BUDGET_SECONDS,
    }


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("suggestions_case", "suggestions_caseevent", "liaison_notification"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def deliver(count: int, env: dict) -> dict:
    """benchmarks/notice_delivery.py with one worker process, its rate read from its line."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "benchmarks" / "notice_delivery.py"), "--count", str(count),
         "--concurrency", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = re.search(r"(\d+) notices/s", result.stdout)
    rate = int(found.group(1)) if found else 0
    print(f"  delivery: {result.stdout.strip() or result.stderr.strip()[-500:]}", flush=True)
    return {
        "label": f"notice delivery ({count:,} SMS, one worker process)",
        "figure": f"{rate} notices/s",
        "needs": f"≥ {DELIVERY_BUDGET_PER_SECOND}/s",
        "ok": rate >= DELIVERY_BUDGET_PER_SECOND,
    }


def print_table(pages, yardstick, total, background) -> bool:
    base = yardstick.figures
    print(
        f"\none-query view: {base['low']:.0f}–{base['high']:.0f} requests/s over the run "
        f"(median {base['rps']:.0f}); a share is the median of the rounds' shares, each "
        "of the yardstick's runs on either side of the page's"
    )
    print(f"\n| page ({total:,} cases) | as | requests/s (median) | p50 | share of the one-query "
          "view (median; rounds) | needs | queries | errors |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    ok = True
    for page in [yardstick, *pages]:
        figures = page.figures
        share = statistics.median(page.shares)
        good = page.status == 200 and figures["rps"] > 0 and not figures["bad"]
        good &= share >= page.needs
        ok &= good
        mark = "" if good else " **under**"
        each = " / ".join(f"{one:.0%}" for one in page.shares) if page is not yardstick else ""
        print(
            f"| {page.label} | {page.who or 'anonymous'} | {figures['rps']:.1f} "
            f"| {figures['p50_ms']:.1f} ms | {share:.0%}{mark}{f' ({each})' if each else ''} "
            f"| {page.needs:.0%} | {page.queries} "
            f"| {figures['bad'] or ''}{'' if page.status == 200 else f' (status {page.status})'} |"
        )
    for row in background:
        ok &= row["ok"]
        mark = "" if row["ok"] else " **over budget**"
        print(f"| {row['label']} | | {row['figure']}{mark} | | | {row['needs']} | | |")
    return ok


if __name__ == "__main__":
    main()
