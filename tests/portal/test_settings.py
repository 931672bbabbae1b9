import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "portal.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PORTAL_BASE_URL": "https://portal.example",
}


STATIC_AND_DEBUG = "settings.STORAGES['staticfiles']['BACKEND'], settings.DEBUG"


def _run_with(env: dict, show: str = STATIC_AND_DEBUG) -> subprocess.CompletedProcess:
    code = f"import django; django.setup(); from django.conf import settings; print({show})"
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "WAGTAILADMIN_", "PORTAL_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_its_secrets():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _run_with(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_requires_a_shared_cache():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = _run_with(env)
    assert result.returncode != 0
    assert "REDIS_URL must be set in production" in result.stderr


def test_production_requires_the_public_address_for_links_that_leave_the_site():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PORTAL_BASE_URL"}
    result = _run_with(env)
    assert result.returncode != 0
    assert "PORTAL_BASE_URL must be set in production" in result.stderr


def test_production_takes_the_public_address_as_scheme_and_host_only():
    wrong_ones = (
        "portal.example",
        "ftp://portal.example",
        "https://portal.example/portal/",
        "https://portal.example:8443",  # Wagtail's Site makes http:// of any port but 443
    )
    for wrong in wrong_ones:
        result = _run_with({**PRODUCTION_ENV, "PORTAL_BASE_URL": wrong})
        assert result.returncode != 0, wrong
        assert "PORTAL_BASE_URL must be like https://" in result.stderr, wrong


def test_the_admins_email_links_follow_the_public_address():
    env = {**PRODUCTION_ENV, "PORTAL_BASE_URL": "https://portal.example/"}
    result = _run_with(env, show="settings.PORTAL_BASE_URL, settings.WAGTAILADMIN_BASE_URL")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://portal.example"] * 2


def test_production_serves_compressed_fingerprinted_static_files():
    result = _run_with(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    backend, debug = result.stdout.split()
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert debug == "False"


def test_production_trusts_the_proxies_it_is_given_and_no_others():
    assert settings.TRUSTED_PROXIES == []  # the default: X-Forwarded-For is never believed
    env = {**PRODUCTION_ENV, "DJANGO_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,"}
    result = _run_with(env, show="settings.TRUSTED_PROXIES")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1', '10.0.0.0/8']"
    bad = _run_with({**PRODUCTION_ENV, "DJANGO_TRUSTED_PROXIES": "proxy.internal"})
    assert bad.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in bad.stderr


def test_whitenoise_is_in_front_of_everything_but_security():
    assert settings.MIDDLEWARE[:3] == [
        "portal.logs.RequestIdMiddleware",  # only gives the request its id
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_chinese_is_the_default_language_and_english_the_second():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_postgres_app_is_installed_exactly_when_the_database_is_postgres():
    from django.db import connection

    is_postgres = connection.vendor == "postgresql"
    assert ("django.contrib.postgres" in settings.INSTALLED_APPS) == is_postgres


def test_production_mail_comes_from_the_public_addresss_host_unless_set():
    show = "settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL"
    derived = _run_with({**PRODUCTION_ENV, "DEFAULT_FROM_EMAIL": "", "SERVER_EMAIL": ""}, show)
    assert derived.returncode == 0, derived.stderr
    assert derived.stdout.strip() == "noreply@portal.example noreply@portal.example"
    sender = "党员服务平台 <dangyuan@qj.gov.cn>"
    chosen = _run_with({**PRODUCTION_ENV, "DEFAULT_FROM_EMAIL": sender, "SERVER_EMAIL": ""}, show)
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.strip() == f"{sender} {sender}"
