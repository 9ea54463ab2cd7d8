"""Forms speak for themselves: no browser pop-ups (novalidate), each error beside its field
and tied to it for screen readers, and a summary at the top that links to each field."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_consent_tick_is_reported_by_the_app(client, world):
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    html = client.get(url).content.decode()
    assert re.search(r"<form novalidate[^>]*method=\"post\"", html)

    response = client.post(url, {"title": "楼道灯不亮", "details": "三楼的灯坏了"})
    html = response.content.decode()
    assert response.status_code == 200
    summary = re.search(r'<div class="alert alert-danger error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary is not None
    assert 'href="#id_consent"' in summary.group(1)
    consent = re.search(r"<input[^>]*name=\"consent\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in consent
    assert 'aria-describedby="id_consent_error"' in consent
    assert 'id="id_consent_error"' in html
    assert "请勾选同意" in html  # the app's own message, in Chinese
