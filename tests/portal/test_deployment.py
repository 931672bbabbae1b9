"""Production as deployed (docs/deployment.md): `check --deploy` clean, Redis for the cache and
sessions, the security headers on every page."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

from tests.portal.test_settings import PRODUCTION_ENV, _run_with

# A key like a real one: check --deploy rejects short or repetitive keys.
DEPLOY_ENV = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}


def test_check_deploy_is_clean_under_production_settings():
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "WAGTAILADMIN_", "PORTAL_"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **DEPLOY_ENV},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_keeps_cache_and_sessions_in_redis():
    show = (
        "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'], "
        "settings.SESSION_ENGINE"
    )
    result = _run_with(DEPLOY_ENV, show=show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "portal.redis_cache.RedisCache",
        PRODUCTION_ENV["REDIS_URL"],
        "django.contrib.sessions.backends.cached_db",
    ]


def test_production_is_https_only_except_the_health_check():
    show = (
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_REDIRECT_EXEMPT"
    )
    result = _run_with(DEPLOY_ENV, show=show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True 31536000 True ['^health/$']"


def test_every_page_says_referrer_and_permissions_policy(client, site_tree):
    for url in ("/", "/admin/login/", "/health/"):
        response = client.get(url)
        assert response["Referrer-Policy"] == "same-origin", url
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy, url
        assert "microphone=()" in policy, url


def test_production_sends_the_content_security_policy_the_browser_tests_check():
    """Production keeps base.py's policy, the one tests/e2e/test_content_security_policy.py
    loads the pages and the admin under."""
    show = (
        "'portal.middleware.ContentSecurityPolicyMiddleware' in settings.MIDDLEWARE, "
        "settings.CONTENT_SECURITY_POLICY == __import__('portal.settings.base').settings.base"
        ".CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']"
        "[0], settings.CSP_ADMIN_PATH_PREFIXES"
    )
    result = _run_with(DEPLOY_ENV, show=show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True 'self' ('/admin/', '/django-admin/')"
