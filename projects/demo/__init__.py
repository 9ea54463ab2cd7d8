"""Demo data, built by ``manage.py seed_demo`` as a sequence of steps.

Each feature registers one step (from a module of its app's ``demo`` package) that adds its
own data on top of the registry: ``register_demo_step(order, name, func)``. A step receives a
``DemoContext`` and must use bulk inserts at ``scale == "district"``.

The ``demo`` packages are imported by ``demo_steps()`` only, i.e. when ``seed_demo`` (or a
test or benchmark) asks for the steps, never at app start-up: a web worker carries none of the
2,600 lines of demo code.

Orders in use: 10 registry, 20 projects, 30 meetings, 40 wishes, 50 household codes and
ballots, 60 sign-offs, 70 outbox.
"""

import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class DemoContext:
    scale: str  # "demo" or "district"
    rng: random.Random
    now: datetime
    log: Callable[[str], None] = print
    data: dict = field(default_factory=dict)  # steps may leave things here for later steps


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    func: Callable[[DemoContext], None]


_steps: dict[str, DemoStep] = {}


def register_demo_step(order: int, name: str, func: Callable[[DemoContext], None]) -> None:
    _steps[name] = DemoStep(order, name, func)


def load_demo_modules() -> None:
    """Import every module of each installed app's ``demo`` package, so their steps register."""
    from django.apps import apps

    from ..autodiscover import import_submodules

    for config in apps.get_app_configs():
        is_package = hasattr(config.module, "__path__")
        if is_package and importlib.util.find_spec(f"{config.name}.demo") is not None:
            import_submodules(f"{config.name}.demo")


def demo_steps() -> list[DemoStep]:
    load_demo_modules()
    return sorted(_steps.values(), key=lambda s: (s.order, s.name))
