"""The first demo step: places, households, departments and staff accounts."""

from projects.demo import register_demo_step
from projects.demo.registry import seed_registry

register_demo_step(10, "registry", seed_registry)
