"""Issue 17, deployment: check --deploy is clean with the README's production settings,
HTTPS=1 turns on HSTS, the SSL redirect, secure cookies and the proxy header; every
response carries a strict CSP and the templates need no inline script or style;
personal-data pages are not stored; /media/ is not served by Django in production."""

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://renovation:PASSWORD@127.0.0.1:5432/renovation",
    "ALLOWED_HOSTS": "yishi.example.gov.cn",
    "SITE_URL": "https://yishi.example.gov.cn",
    "HTTPS": "1",
    "PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "CLIENT_IP_HEADER": "X-Real-IP",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "WEB_CONCURRENCY": "3",
}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=str(settings.BASE_DIR), capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_readme_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https_and_fails_on_a_local_cache_with_workers():
    env = {k: v for k, v in PRODUCTION.items() if k not in {"HTTPS", "REDIS_URL"}}
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016", "projects.E001"):
        assert code in result.stderr


def test_https_settings():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_PRELOAD)"
    )
    result = run(["-c", code], PRODUCTION)
    assert result.stdout.split(" ", 4)[:4] == ["3600", "True", "True", "True"], result.stderr
    assert "('HTTP_X_FORWARDED_PROTO', 'https') False" in result.stdout
    raised = run(["-c", code], PRODUCTION | {"HSTS_SECONDS": "31536000"})
    assert raised.stdout.startswith("31536000") and raised.stdout.strip().endswith("True")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/h/", "/accounts/login/", "/no-such-page/"])
def test_every_response_carries_a_strict_csp(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=", re.I), 'style="" attribute'),
    (re.compile(r"\son[a-z]+=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_scripts_or_styles():
    """The CSP refuses them; a browser test would only catch the pages it visits."""
    found = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        found += [f"{path.relative_to(settings.BASE_DIR)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


@pytest.mark.django_db
def test_staff_pages_and_exports_are_not_stored_public_pages_are(client, world):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(world.admin)
    for url in (
        reverse("projects:members", args=[world.community.pk]),
        reverse("projects:household", args=[world.household.pk]),
        reverse("projects:roster_export", args=[world.community.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], url


def test_media_is_not_served_by_django_in_production():
    assert not settings.DEBUG
    with pytest.raises(Resolver404):
        resolve("/media/photos/anything.jpg")


@pytest.mark.django_db
def test_a_households_pages_are_not_stored(client, world):
    from projects.services.identity import issue_household_code

    issued = issue_household_code(household=world.household, by=world.staff)
    client.post(reverse("projects:household_enter"), {"code": issued.code, "confirm": "yes"})
    assert "no-store" in client.get(reverse("projects:household_home"))["Cache-Control"]
