"""Demo data, built by ``manage.py seed_demo`` as a sequence of steps.

Each feature registers one step (from its ``hooks`` module) that adds its own data on top
of the registry: ``register_demo_step(order, name, func)``. A step receives a
``DemoContext`` and must use bulk inserts at ``scale == "district"``.

Orders in use: 10 registry, 20 projects, 30 meetings, 40 wishes, 50 household codes and
ballots, 60 sign-offs.
"""

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


def demo_steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda s: (s.order, s.name))
