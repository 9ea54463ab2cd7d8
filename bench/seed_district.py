#!/usr/bin/env python3
"""Benchmark: ``seed_demo --scale district`` (50,000 households) on a fresh database.

    .venv/bin/python bench/seed_district.py                       # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_bench \\
        .venv/bin/python bench/seed_district.py --recreate        # SQLite, then PostgreSQL

Each engine gets a brand-new database: migrate, then the seed (timed on its own, as a
separate process, exactly as a user would run it), then the row counts. The target is
under two minutes per engine. A PostgreSQL database that already exists is only dropped
with ``--recreate``, so the script cannot wipe a database by accident.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COUNT_ROWS = """
import json
from django.apps import apps
print(json.dumps({
    m._meta.label: m._default_manager.count()
    for c in apps.get_app_configs() if c.label in ("auth", "projects", "consult")
    for m in c.get_models() if m._meta.label != "auth.Permission"
}))
"""


def manage(url: str, *args: str, capture: bool = False) -> tuple[float, str]:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=capture, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr or ''}")
    return elapsed, result.stdout or ""


def fresh_postgres(url: str, recreate: bool) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    with psycopg.connect(
        dbname="postgres",
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone()
        if exists and not recreate:
            sys.exit(f"Database {cfg['NAME']} exists. Pass --recreate to drop it, or name a new one in DATABASE_URL.")
        name = sql.Identifier(cfg["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


class ServerCpu:
    """CPU seconds the PostgreSQL server spent for the seed: its backends for our database,
    sampled from /proc while they live. Wall time on a shared machine says more about the
    neighbours than about the code; client + server CPU says what the seed costs."""

    def __init__(self, url: str):
        import threading

        import dj_database_url

        self.name = dj_database_url.parse(url)["NAME"]
        self.url = url
        self.seen: dict[int, float] = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()

    def watch(self) -> None:
        import psycopg

        tick = os.sysconf("SC_CLK_TCK")
        cfg = psycopg.conninfo.conninfo_to_dict(self.url.replace("postgres://", "postgresql://", 1))
        with psycopg.connect(**{**cfg, "dbname": "postgres"}, autocommit=True) as conn:
            mine = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            while not self.stopped.wait(0.5):
                rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]).fetchall()
                for (pid,) in rows:
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    except OSError:
                        continue
                    if pid != mine:
                        self.seen[pid] = (int(fields[11]) + int(fields[12])) / tick

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench(engine: str, url: str) -> dict:
    print(f"\n== {engine}: {url}")
    migrate_s, _ = manage(url, "migrate", "--no-input", "-v", "0")
    print(f"   migrate: {migrate_s:.1f} s")
    print(f"   load average before the seed: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cpu_before = client_cpu()
    if engine == "PostgreSQL":
        with ServerCpu(url) as server:
            seed_s, _ = manage(url, "seed_demo", "--scale", "district")
        print(f"   CPU: client {client_cpu() - cpu_before:.1f} s, PostgreSQL server {server.seconds:.1f} s")
    else:
        seed_s, _ = manage(url, "seed_demo", "--scale", "district")
        print(f"   CPU: client {client_cpu() - cpu_before:.1f} s")
    _, counts_json = manage(url, "shell", "-c", COUNT_ROWS, capture=True)
    counts = {label: n for label, n in json.loads(counts_json.strip().splitlines()[-1]).items() if n}
    print(f"   seed_demo --scale district: {seed_s:.1f} s wall time (including Django start-up)")
    for label, n in sorted(counts.items(), key=lambda item: -item[1]):
        print(f"   {label:<36} {n:>9,}")
    return {"engine": engine, "migrate_s": round(migrate_s, 1), "seed_s": round(seed_s, 1), "rows": counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recreate", action="store_true", help="drop the PostgreSQL database first if it exists")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file and print its path")
    parser.add_argument("--postgres-only", action="store_true", help="skip the SQLite run")
    args = parser.parse_args()

    results = []
    tmp = Path(tempfile.mkdtemp(prefix="seed-bench-"))
    sqlite_path = tmp / "district.sqlite3"
    try:
        if not args.postgres_only:
            results.append(bench("SQLite", f"sqlite:///{sqlite_path}"))
            size = sqlite_path.stat().st_size / 1e6
            print(f"   database file: {size:.1f} MB" + (f" ({sqlite_path})" if args.keep else ""))
    finally:
        if not args.keep:
            shutil.rmtree(tmp)

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        fresh_postgres(url, args.recreate)
        results.append(bench("PostgreSQL", url))
    else:
        print("\n(PostgreSQL skipped: set DATABASE_URL=postgres://… to benchmark it too)")

    print("\n== summary")
    for r in results:
        verdict = "OK" if r["seed_s"] < 120 else "TOO SLOW (target: under 2 minutes)"
        print(f"   {r['engine']:<11} seed {r['seed_s']:6.1f} s   migrate {r['migrate_s']:5.1f} s   {verdict}")


if __name__ == "__main__":
    main()
