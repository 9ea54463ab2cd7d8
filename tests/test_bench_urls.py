"""The load benchmark's yardstick pages exist only under ``bench.settings``."""

import pytest
from django.urls import Resolver404, resolve


@pytest.mark.parametrize("path", ["/__bench__/trivial/", "/__bench__/base/"])
def test_yardsticks_are_not_in_the_site(path):
    with pytest.raises(Resolver404):
        resolve(path, urlconf="config.urls")
    assert resolve(path, urlconf="bench.urls").url_name.startswith("bench_")
