"""The one settings module: embedded defaults with no environment, hardening under production.

Settings are read once per process, so each case runs Django in a subprocess with an
environment built from scratch: nothing the test runner (or CI) has exported leaks in.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# A key shaped like a real one: 60 characters, many distinct ones (check --deploy wants
# at least 50 characters and 5 unique ones). It protects nothing: it lives only in this test.
PRODUCTION_SECRET = "t3st-only-9fQ2vX8kLm4pRz7wYc1NbH6sJd0GaUe5TiO_oKqVlWnMxCyBfPgEhAjSr"

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
    "DJANGO_ALLOWED_HOSTS": "vagval.example.se,www.vagval.example.se",
    # check --deploy does not connect: the URLs only have to be well formed.
    "DATABASE_URL": "postgres://vagval:vagval@127.0.0.1:5432/vagval",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}

# What the subprocess prints: the settings the embedded default and production differ on.
DUMP_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "DB_ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "BROKER": settings.CELERY_BROKER_URL,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "STORAGE": settings.STORAGES["default"]["BACKEND"],
    "STATIC_STORAGE": settings.STORAGES["staticfiles"]["BACKEND"],
    "DATA_DIR": str(settings.VAGVAL_DATA_DIR),
    "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "HSTS": settings.SECURE_HSTS_SECONDS,
    "REQUIRE_MFA": settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES,
}))
"""


def _run(args: list[str], extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "DJANGO_SETTINGS_MODULE": "vagval.config.settings",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(extra_env: dict[str, str]) -> dict[str, object]:
    result = _run(["-c", DUMP_SETTINGS], extra_env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_environment_gives_the_embedded_default() -> None:
    s = _settings({})
    assert s["DEBUG"] is True
    assert s["DB_ENGINE"] == "django.db.backends.sqlite3"
    assert s["DB_NAME"] == str(ROOT / "var" / "vagval.sqlite3")
    assert s["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["EAGER"] is True
    assert s["BROKER"] == "memory://"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["STORAGE"] == "django.core.files.storage.FileSystemStorage"
    assert s["MEDIA_ROOT"] == str(ROOT / "var" / "media")
    assert s["DATA_DIR"] == str(ROOT.parent / "shared" / "data")
    assert s["REQUIRE_MFA"] is False


def test_production_variables_switch_to_postgres_redis_and_real_workers() -> None:
    s = _settings(PRODUCTION_ENV)
    assert s["DEBUG"] is False
    assert s["DB_ENGINE"] == "django.db.backends.postgresql"
    assert s["DB_NAME"] == "vagval"
    assert s["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert s["EAGER"] is False
    assert s["BROKER"] == "redis://127.0.0.1:6379/0"
    assert s["STATIC_STORAGE"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert s["SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["HSTS"] >= 31536000
    assert s["REQUIRE_MFA"] is True


def test_the_site_enqueues_on_vagvals_celery_app_with_its_broker() -> None:
    """The web site's tasks go to the Redis broker of the settings, not to Celery's default
    app (which would try AMQP on localhost): Django's start loads the app."""
    probe = (
        "import django; django.setup()\n"
        "from celery import current_app\n"
        "from vagval.jobs.tasks import ads_expire\n"
        "print(current_app.main, ads_expire.app.main, ads_expire.app.conf.broker_url)\n"
    )
    result = _run(["-c", probe], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["vagval", "vagval", "redis://127.0.0.1:6379/0"]


def test_check_deploy_passes_under_production_variables() -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_a_weak_secret_key() -> None:
    # The same command must be able to fail, or the test above proves nothing.
    weak = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], weak)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_redirects_to_https_except_the_health_check() -> None:
    # SQLite and no Redis: this needs no services, and /healthz only runs SELECT 1.
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='vagval.example.se')\n"
        "h = c.get('/healthz'); p = c.get('/konto/login/')\n"
        "print(h.status_code, p.status_code, p.headers.get('Location'))\n"
    )
    result = _run(["-c", script], env)
    assert result.returncode == 0, result.stderr
    health, page, location = result.stdout.strip().splitlines()[-1].split()
    assert health == "200"
    assert page == "301"
    assert location == "https://vagval.example.se/konto/login/"


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/konto/login/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


# --- The deploy files agree with the settings ---------------------------------------------------

SETTINGS_SOURCE = (ROOT / "platform" / "vagval" / "config" / "settings.py").read_text()
# Every variable the settings read: env.str("NAME", ...), env.db_url(\n "NAME"), ...
SETTINGS_VARIABLES = set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS_SOURCE))
APP_SERVICES = ("web", "worker", "beat", "migrate")


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_settings_variables_are_found() -> None:
    # Guards the regex above: if it stopped matching, the two tests below would prove nothing.
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= SETTINGS_VARIABLES


def test_compose_runs_every_service_with_health_checks() -> None:
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "beat", "migrate", "postgres", "redis", "mailpit"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    for name in ("web", "worker", "mailpit"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    assert "migrate --noinput" in " ".join(services["migrate"]["command"])
    assert "load_taxonomy" in " ".join(services["migrate"]["command"])


def test_compose_environment_uses_only_variables_the_settings_read() -> None:
    # A misspelt variable in compose would be ignored silently and the default used instead.
    services = _compose()["services"]
    read_elsewhere = {"VAGVAL_LOAD_DEMO"}  # read by the migrate service's own command
    for name in APP_SERVICES:
        env = services[name]["environment"]
        unknown = set(env) - SETTINGS_VARIABLES - read_elsewhere
        assert not unknown, f"{name}: {sorted(unknown)}"
        assert env["DJANGO_DEBUG"] == "false"
        assert env["VAGVAL_DATA_DIR"] == "/data"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert any(v.endswith(":/data:ro") for v in services[name]["volumes"]), name


def test_readme_lists_every_environment_variable() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = sorted(v for v in SETTINGS_VARIABLES if f"`{v}`" not in readme)
    assert not missing, f"README.md does not document: {missing}"
