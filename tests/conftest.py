import pytest
from django.core.cache import cache

from portal import sms
from tests import factories

collect_ignore = []


def pytest_addoption(parser):
    parser.addoption("--e2e", action="store_true", help="run the browser tests in tests/e2e")


def pytest_sessionstart(session):
    """With REDIS_URL (CI's PostgreSQL run), a Redis that does not answer stops the run at once
    with one clear error, not a connection error in every test."""
    from django.conf import settings

    location = settings.CACHES["default"].get("LOCATION", "")
    if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
        return
    import redis

    try:
        redis.Redis.from_url(location, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.exit(f"REDIS_URL is set but Redis at {location} does not answer: {error}", 2)


def pytest_ignore_collect(collection_path, config):
    # Browser tests run by `make e2e`, not `make test`: they need Debian's chromium.
    if "e2e" in collection_path.parts and not config.getoption("--e2e"):
        return True
    return None


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def locmem_cache(settings):
    """The local-memory cache, for tests that move its clock (`django.core.cache.backends.locmem
    .time` patched): the suite runs on Redis when REDIS_URL is set (CI's PostgreSQL run)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # local memory outlives the test that used it: the suite cleared the other
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _clear_text_outbox():
    """Text messages sent by the tests (portal.sms.LocmemBackend), like mail.outbox."""
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def site_tree(db) -> factories.SiteTree:
    """Home → 工作动态 channel; Home → 社区导航 → 麒麟区 → 麒麟社区 / 方城社区.
    Replaces Wagtail's welcome page as the default site's root."""
    return factories.build_site_tree()


# --- Roles ----------------------------------------------------------------------------------
# The people most tests need, once. A module that needs one of them set up otherwise overrides
# the fixture, with a comment saying how it differs (e.g. tests/volunteering/signups/
# test_checkin.py: a member already signed up).


@pytest.fixture
def community(site_tree):
    """麒麟社区, in 麒麟区."""
    return site_tree.community


@pytest.fixture
def other_community(site_tree):
    """方城社区, the other community of 麒麟区."""
    return site_tree.other_community


@pytest.fixture
def staff(community):
    """Staff of 麒麟社区 on the public site and in the services (no admin access: the admin's
    tests use `factories.community_staff`)."""
    return factories.make_staff(community, username="qilin-staff", first_name="王小明")


@pytest.fixture
def other_staff(other_community):
    """Staff of 方城社区: staff, but not of `community`."""
    return factories.make_staff(other_community, username="fangcheng-staff")


@pytest.fixture
def member(db):
    """A member (在职党员) with an account, who has reported nowhere yet."""
    return factories.MemberFactory(real_name="杨建国")


@pytest.fixture
def other_member(db):
    """Another member, of another organisation."""
    return factories.MemberFactory(real_name="李四")


@pytest.fixture
def org_admin(member):
    """An admin (单位管理员) of `member`'s organisation, with admin access."""
    return factories.organisation_admin(member.organisation, "org-admin")


@pytest.fixture
def city(db):
    """The city (市级), who manages every community, with admin access."""
    return factories.city_user()
