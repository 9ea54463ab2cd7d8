"""The site's URLs and the benchmark's two yardsticks, through the same middleware:

- ``__bench__/trivial/``: a view that answers "ok" (what the stack costs with no page);
- ``__bench__/base/``: ``base.html`` rendered with nothing in it (what the layout costs).

Only ``bench.settings`` points here; production uses ``config.urls``."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def bare_page(request):
    return render(request, "base.html")


urlpatterns = [
    path("__bench__/trivial/", trivial, name="bench_trivial"),
    path("__bench__/base/", bare_page, name="bench_base"),
    *site,
]
