#!/usr/bin/env python3
"""Load benchmark: the district data set on PostgreSQL, gunicorn with 2 sync workers, wrk at
20 connections, each page alternated with a trivial view and with a bare ``base.html`` page.

    .venv/bin/python bench/load.py                      # every page, 10 s each, table into README
    .venv/bin/python bench/load.py --duration 3 --pages noticeboard,triage --no-readme   # a quick look

The database (``--database-url``, default ``postgres://postgres@127.0.0.1:5432/renov_bench``)
is created, migrated and filled with ``seed_demo --scale district`` when it is missing or
empty, and reused otherwise (``--rebuild`` drops it first). Needs ``wrk`` (Debian: ``apt-get
install wrk``); nothing else in the project does.

Per page it prints requests/s, the ratio to the trivial view and to the bare page measured
just before and just after it (so a machine that gets busier mid-run skews both alike),
latency p50/p95/p99 and errors under load, and the query count and SQL time of one
instrumented request made in-process against the same database. The table goes into
``bench/README.md`` with the machine's load average at the start and the end.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/renov_bench"
CONNECTIONS = 20
WORKERS = 2
README = ROOT / "bench" / "README.md"
START, END = "<!-- load-benchmark:start -->", "<!-- load-benchmark:end -->"
DISTRICT_HOUSEHOLDS = 40_000  # fewer means the database holds something else: refuse it
PUBLIC_SHARE, STAFF_SHARE, STAFF_P95_MS = 0.80, 0.35, 300  # the targets of issue 11


@dataclass
class Page:
    key: str
    label: str
    url: str
    cookie: str
    public: bool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""), help="cache (default: local memory)"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per measurement")
    parser.add_argument("--pages", default="", help="comma-separated page keys (default: all)")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the database first")
    parser.add_argument("--no-readme", action="store_true", help="print only; leave bench/README.md alone")
    args = parser.parse_args()

    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk).")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The load benchmark runs on PostgreSQL: pass --database-url postgres://…")

    env = server_env(args.database_url, args.redis_url)
    os.environ.update(env)
    ensure_database(args.database_url, env, rebuild=args.rebuild)

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    pages = build_pages()
    if args.pages:
        wanted = [key.strip() for key in args.pages.split(",") if key.strip()]
        unknown = set(wanted) - {p.key for p in pages}
        if unknown:
            sys.exit(f"unknown page(s) {sorted(unknown)}; choose from {[p.key for p in pages]}")
        pages = [p for p in pages if p.key in wanted]
    instrumented = {page.key: instrument(page) for page in pages}

    load_before = os.getloadavg()
    port = free_port()
    server = start_gunicorn(env, port)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(base_url + "/__bench__/trivial/")
        rows = []
        for page in pages:
            trivial = run_wrk(wrk, base_url + "/__bench__/trivial/", page.cookie, args.duration)
            measured = run_wrk(wrk, base_url + page.url, page.cookie, args.duration)
            bare = run_wrk(wrk, base_url + "/__bench__/base/", page.cookie, args.duration)
            rows.append(row(page, measured, trivial, bare, instrumented[page.key]))
            print_row(rows[-1])
    finally:
        stop(server)
    load_after = os.getloadavg()

    table = markdown(rows, args, load_before, load_after)
    print("\n" + table)
    if not args.no_readme:
        write_readme(table)
        print(f"written to {README.relative_to(ROOT)}")


# --- the database -----------------------------------------------------------------------------


def server_env(database_url: str, redis_url: str) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # one per run: the sessions made here sign with it
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONPATH": str(ROOT),
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    return env


def ensure_database(url: str, env: dict, *, rebuild: bool) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    admin = {
        "dbname": "postgres",
        "user": cfg["USER"],
        "password": cfg["PASSWORD"] or None,
        "host": cfg["HOST"],
        "port": cfg["PORT"] or 5432,
    }
    with psycopg.connect(**admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone()
        name = sql.Identifier(cfg["NAME"])
        if exists and rebuild:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    manage(env, "migrate", "--no-input", "-v", "0")
    with psycopg.connect(**{**admin, "dbname": cfg["NAME"]}) as conn:
        households = conn.execute("SELECT count(*) FROM projects_household").fetchone()[0]
    if households == 0:
        print("== building the district data set (seed_demo --scale district)")
        started = time.perf_counter()
        manage(env, "seed_demo", "--scale", "district")
        print(f"   built in {time.perf_counter() - started:.0f} s")
    elif households < DISTRICT_HOUSEHOLDS:
        sys.exit(f"{cfg['NAME']} holds {households:,} households, not the district set: pass --rebuild.")
    else:
        print(f"== reusing {cfg['NAME']} ({households:,} households)")


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True)


# --- the pages ----------------------------------------------------------------------------------


def build_pages() -> list[Page]:
    """The pages of issue 11, on the busiest compound (most households) and its community."""
    from django.db.models import Count
    from django.urls import reverse

    from consult.models import Ballot, EligibleHousehold, Wish
    from projects.models import Compound, Household, Membership, Project, Role, SignoffCampaign, SignoffRecord

    compound = Compound.objects.annotate(n=Count("buildings__units__households")).order_by("-n", "pk").first()
    community = compound.community
    household = Household.objects.filter(unit__building__compound=compound).order_by("pk").first()
    staff = (
        Membership.objects.filter(community=community, role__in=[Role.ADMIN, Role.STAFF], user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    ballot_id = EligibleHousehold.objects.values("ballot").annotate(n=Count("pk")).order_by("-n")[0]["ballot"]
    ballot = Ballot.objects.get(pk=ballot_id)
    campaign_id = SignoffRecord.objects.values("campaign").annotate(n=Count("pk")).order_by("-n")[0]["campaign"]
    campaign = SignoffCampaign.objects.get(pk=campaign_id)
    project = Project.objects.filter(compounds=compound).order_by("pk").first()
    deep = min(100, max(1, -(-Wish.objects.filter(compound=compound).count() // 20)))

    anonymous, resident, office = "", household_cookie(household), staff_cookie(staff)
    wish_list = reverse("consult:wish_list", args=[compound.pk])
    return [
        Page(
            "noticeboard",
            f"noticeboard ({compound.name})",
            reverse("projects:noticeboard", args=[compound.pk]),
            anonymous,
            True,
        ),
        Page("wishes_p1", "public wish list, page 1", wish_list, anonymous, True),
        Page("wishes_deep", f"public wish list, page {deep}", f"{wish_list}?page={deep}", anonymous, True),
        Page("household", "household home", reverse("projects:household_home"), resident, True),
        Page(
            "project",
            "public project",
            reverse("projects:public_project", args=[compound.pk, project.pk]),
            anonymous,
            True,
        ),
        Page("ballot_public", "public ballot", reverse("consult:ballot_public", args=[ballot.pk]), anonymous, True),
        Page("community", "community overview", reverse("projects:community", args=[community.pk]), office, False),
        Page("signoffs", "sign-off board", reverse("projects:signoff_board", args=[campaign.pk]), office, False),
        Page("ballot_staff", "staff ballot page", reverse("consult:ballot", args=[ballot.pk]), office, False),
        Page("triage", "wish triage", reverse("consult:wish_queue", args=[community.pk]), office, False),
        Page(
            "search",
            "household search",
            reverse("projects:household_search", args=[community.pk]) + "?q=101",
            office,
            False,
        ),
    ]


def staff_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def household_cookie(household) -> str:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from projects.identity import SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = household.pk
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def instrument(page: Page) -> dict:
    """Queries and SQL time of one request, in-process, after one warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_COOKIE=page.cookie) if page.cookie else Client()
    client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(page.url)
        elapsed = time.perf_counter() - started
    return {
        "status": response.status_code,
        "queries": len(queries.captured_queries),
        "sql_ms": sum(float(q["time"]) for q in queries.captured_queries) * 1000,
        "wall_ms": elapsed * 1000,
        "bytes": len(response.content) if not response.streaming else 0,
    }


# --- the server and the load ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer {url} within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def run_wrk(wrk: str, url: str, cookie: str, duration: int) -> dict:
    command = [
        wrk,
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    drain(url)
    return json.loads(result.stdout.strip().splitlines()[-1])


def drain(url: str) -> None:
    """Wait out the requests wrk left queued when it stopped: with slow pages that backlog
    is many seconds of work, and the next measurement would start behind it."""
    for _ in range(WORKERS):
        with urllib.request.urlopen(urljoin(url, "/__bench__/trivial/"), timeout=300):
            pass


# --- the report -------------------------------------------------------------------------------------


def row(page: Page, measured: dict, trivial: dict, bare: dict, sql: dict) -> dict:
    share_bare = measured["rps"] / bare["rps"] if bare["rps"] else 0.0
    if page.public:
        verdict = "OK" if share_bare >= PUBLIC_SHARE else f"below {PUBLIC_SHARE:.0%}"
    else:
        misses = []
        if share_bare < STAFF_SHARE:
            misses.append(f"below {STAFF_SHARE:.0%}")
        if measured["p95"] > STAFF_P95_MS:
            misses.append(f"p95 over {STAFF_P95_MS} ms")
        verdict = "OK" if not misses else ", ".join(misses)
    return {
        "label": page.label + ("" if page.public else " (staff)"),
        "rps": measured["rps"],
        "trivial": measured["rps"] / trivial["rps"] if trivial["rps"] else 0.0,
        "bare": share_bare,
        "p50": measured["p50"],
        "p95": measured["p95"],
        "p99": measured["p99"],
        "errors": measured["errors"],
        "queries": sql["queries"],
        "sql_ms": sql["sql_ms"],
        "status": sql["status"],
        "verdict": verdict,
        "trivial_rps": trivial["rps"],
        "bare_rps": bare["rps"],
    }


def print_row(r: dict) -> None:
    print(
        f"{r['label']:<40} {r['rps']:7.1f} req/s  {r['trivial']:6.1%} of trivial  {r['bare']:6.1%} of bare  "
        f"p50 {r['p50']:6.0f}  p95 {r['p95']:6.0f}  p99 {r['p99']:6.0f} ms  errors {r['errors']}  "
        f"{r['queries']} queries {r['sql_ms']:.1f} ms SQL  [{r['status']}]  {r['verdict']}",
        flush=True,
    )


def markdown(rows: list[dict], args, load_before, load_after) -> str:
    def load(avg) -> str:
        return " / ".join(f"{x:.2f}" for x in avg)

    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `bench/load.py --duration {args.duration}`: "
        f"gunicorn, {WORKERS} sync workers, wrk at {CONNECTIONS} connections, {os.cpu_count()} cores, "
        f"cache {'Redis' if args.redis_url else 'local memory'}. Load average (1/5/15 min) "
        f"{load(load_before)} at the start, {load(load_after)} at the end.",
        "",
        "| page | req/s | share of trivial | share of bare page | p50 ms | p95 ms | p99 ms | errors "
        "| queries | SQL ms | HTTP | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['rps']:.1f} | {r['trivial']:.1%} | {r['bare']:.1%} | {r['p50']:.0f} | {r['p95']:.0f} "
            f"| {r['p99']:.0f} | {r['errors']} | {r['queries']} | {r['sql_ms']:.1f} | {r['status']} | {r['verdict']} |"
        )
    trivial = sum(r["trivial_rps"] for r in rows) / len(rows) if rows else 0
    bare = sum(r["bare_rps"] for r in rows) / len(rows) if rows else 0
    lines += ["", f"Mean of the yardsticks: trivial view {trivial:.0f} req/s, bare `base.html` page {bare:.0f} req/s."]
    return "\n".join(lines)


def write_readme(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    block = f"{START}\n{table}\n{END}"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n## Load benchmark results\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
