#!/usr/bin/env python3
"""The two commands a new user needs, with nothing installed but Python 3.11+.

    python3 dev.py serve   # environment, install, migrate, demo data if empty, run on :8000
                           # with a background worker beside it (manage.py db_worker)
    python3 dev.py test    # every test, on every core (browser tests skip without /usr/bin/chromium)
                           # pytest options pass through: dev.py test tests/wishes -n 0

Both create ``.venv`` and install ``requirements.txt`` when it changed since the last run.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"

DEMO_LOGIN = ("demo_staff", "demo12345")


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("Python 3.11 or newer is needed.")
    if not PY.exists():
        print("· creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print("· installing requirements (first run takes a minute)")
        run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([str(PY), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)])
        STAMP.write_text(digest)


def run(args, env=None) -> None:
    result = subprocess.run(args, cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def serve(argv) -> None:
    ensure_environment()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    manage = [str(PY), "manage.py"]
    run([*manage, "migrate", "--no-input", "-v", "0"], env)
    run([*manage, "seed_demo", "--if-empty"], env)
    port = argv[0] if argv else "8000"
    print()
    print(f"  Open http://127.0.0.1:{port}/")
    print(f"  Demo staff login: {DEMO_LOGIN[0]} / {DEMO_LOGIN[1]}   (more accounts: README.md)")
    print("  A background worker runs beside the server (reminders, notices to print).")
    print()
    # The worker takes jobs from the queue table in the same database; it stops with the server.
    worker = subprocess.Popen(
        [*manage, "db_worker", "--queue-name", "*", "--interval", "2", "-v", "0"], cwd=ROOT, env=env
    )
    try:
        subprocess.run([*manage, "runserver", f"127.0.0.1:{port}"], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        pass
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def parallel(argv) -> list[str]:
    """``-n auto`` (pytest-xdist, one worker per core, whole files to a worker so module
    fixtures such as the seeded demo run once) unless the caller chose the number of
    workers, turned xdist off, or is not running tests at all."""
    chosen = {"-n", "--numprocesses", "--collect-only", "--co", "--version", "-h", "--help"}
    if any(arg in chosen or arg.startswith(("-n", "--numprocesses=")) or arg == "no:xdist" for arg in argv):
        return []
    return ["-n", "auto", "--dist", "loadfile"]


def test(argv) -> None:
    ensure_environment()
    run([str(PY), "-m", "pytest", *parallel(argv), *argv])


COMMANDS = {"serve": serve, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
