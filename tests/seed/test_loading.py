"""Demo code is loaded by ``seed_demo`` only: a process that starts Django (a web worker, a
management command) does not import the demo packages until the steps are asked for."""

import json
import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import json, sys
import django
django.setup()
def demo_modules():
    return sorted(m for m in sys.modules if m.startswith(("projects.demo.", "consult.demo.")))
at_start_up = demo_modules()
from projects.demo import demo_steps
steps = [s.name for s in demo_steps()]
print(json.dumps({"at_start_up": at_start_up, "steps": steps, "after": demo_modules()}))
"""


def test_demo_steps_are_imported_when_asked_for_not_at_start_up():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR, env=env
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["at_start_up"] == []
    core = ["registry", "projects", "meetings", "wishes", "household codes and ballots", "signoffs"]
    assert [step for step in loaded["steps"] if step in core] == core  # in order; features add their own between
    assert {"projects.demo.projects", "consult.demo.wishes", "consult.demo.ballots"} <= set(loaded["after"])
