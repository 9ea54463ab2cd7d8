import pytest
from django.conf import settings
from django.urls import reverse


def test_default_language_is_simplified_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert "员工登录" in response.content.decode()


def test_text_size_cookie_sets_large_class(client, db):
    response = client.post(reverse("projects:text_size"), {"size": "large", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["text_size"].value == "large"
    assert 'class="text-large"' in client.get("/").content.decode()


def test_text_size_refuses_open_redirect(client, db):
    response = client.post(reverse("projects:text_size"), {"size": "large", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_settings_refuse_to_start_without_secret_key_in_production():
    import subprocess
    import sys

    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "0"},
        cwd=str(settings.BASE_DIR),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_public_pages_render(client, db, url):
    assert client.get(url).status_code == 200


def test_an_english_browser_still_gets_chinese_until_it_switches(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.headers["Content-Language"] == "en"


@pytest.mark.parametrize("command,refused", [(["check"], False), (["migrate", "--plan"], True)])
def test_only_keyless_commands_run_without_a_secret_key(command, refused):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "0"},
        cwd=str(settings.BASE_DIR),
        capture_output=True,
        text=True,
    )
    assert (result.returncode != 0) is refused
    assert ("SECRET_KEY must be set" in result.stderr) is refused
