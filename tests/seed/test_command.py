"""``manage.py seed_demo``: only fills an empty database, all or nothing, steps in order."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation

from projects.demo import DemoStep, _steps, load_demo_modules
from projects.demo.registry import build_district
from projects.models import Household, SubDistrict
from tests import factories as f

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    """Run seed_demo in the site's default language, as ``dev.py serve`` does: the test client
    leaves the last request's language active in this thread, so a test that browsed in English
    earlier on the same worker would otherwise change what the command prints."""
    out = io.StringIO()
    with translation.override(settings.LANGUAGE_CODE):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def small_district(ctx):
    build_district(ctx, households_target=300, communities=2, compounds=2, buildings=6)


def test_if_empty_seeds_once_and_then_leaves_the_database_alone():
    first = seed("--if-empty")
    assert "[10] registry" in first
    count = Household.objects.count()
    assert count > 3000

    second = seed("--if-empty")
    assert "未加载演示数据" in second
    assert f"{count:,} 住户" in second
    assert "[10]" not in second
    assert Household.objects.count() == count
    assert SubDistrict.objects.count() == 5


def test_refuses_to_seed_a_database_that_has_data():
    f.household()
    with pytest.raises(CommandError, match="新的数据库"):
        seed()
    assert Household.objects.count() == 1
    assert not SubDistrict.objects.filter(name="旧宫镇").exists()


def test_a_database_with_only_a_user_account_counts_as_not_empty():
    """createsuperuser before the first ``dev.py serve``: the demo must not collide with it."""
    f.user(username="admin")
    assert "未加载演示数据" in seed("--if-empty")
    assert not SubDistrict.objects.exists()


def test_a_failing_step_leaves_the_database_empty(monkeypatch):
    def broken(ctx):
        assert Household.objects.exists()  # the registry step did write, inside the transaction
        raise RuntimeError("step failed")

    monkeypatch.setitem(_steps, "broken", DemoStep(99, "broken", broken))
    with pytest.raises(RuntimeError, match="step failed"):
        seed()
    assert not Household.objects.exists()
    assert not SubDistrict.objects.exists()
    # and the next start simply tries again
    monkeypatch.delitem(_steps, "broken")
    assert "[10] registry" in seed("--if-empty")


def test_later_steps_run_in_order_after_the_registry_and_see_its_data(monkeypatch):
    calls = []

    def probe(name):
        def step(ctx):
            calls.append((name, ctx.scale, ctx.data["counts"]["households"], Household.objects.count()))
            ctx.log(f"{name} saw the registry")

        return step

    monkeypatch.setitem(_steps, "late", DemoStep(60, "late", probe("late")))
    monkeypatch.setitem(_steps, "early", DemoStep(20, "early", probe("early")))
    out = seed()
    households = Household.objects.count()
    assert calls == [("early", "demo", households, households), ("late", "demo", households, households)]
    assert out.index("[10] registry") < out.index("[20] early") < out.index("[60] late")
    assert "early saw the registry" in out
    assert "演示数据加载完成" in out


def test_district_scale_runs_every_step_with_the_district_context(monkeypatch):
    seen = []
    load_demo_modules()  # so that loading the real steps cannot overwrite the stand-in below
    monkeypatch.setitem(_steps, "registry", DemoStep(10, "registry", small_district))
    monkeypatch.setitem(
        _steps, "probe", DemoStep(20, "probe", lambda ctx: seen.append((ctx.scale, ctx.data["counts"])))
    )
    out = seed("--scale", "district")
    assert seen[0][0] == "district"
    assert seen[0][1]["households"] == 300 == Household.objects.count()
    assert "[20] probe" in out


def test_the_same_seed_gives_the_same_demo_and_another_seed_another():
    def snapshot(*args):
        with transaction.atomic():
            seed(*args)
            rows = list(
                Household.objects.filter(unit__building__compound__name="北门东院")
                .order_by("unit__building__sort_key", "unit__sort_key", "room")
                .values_list("unit__building__name", "unit__name", "room", "area", "owner_names", "phone")
            )
            transaction.set_rollback(True)
        return rows

    first = snapshot("--seed", "7")
    assert first == snapshot("--seed", "7")
    assert first != snapshot("--seed", "8")
