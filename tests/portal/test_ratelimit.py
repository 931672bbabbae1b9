"""The one rate-limit mechanism (`portal.ratelimit.Limit`): counted per combination of parts, in
a window that starts at the first use."""

import time
import types
from unittest import mock

import pytest

from portal.ratelimit import Limit

# Their windows pass by moving the local-memory cache's clock.
pytestmark = pytest.mark.usefixtures("locmem_cache")

LIMIT = Limit("test", 3, 60)


def after(seconds: float):
    """The local-memory cache as it will be `seconds` from now."""
    later = time.time() + seconds
    return mock.patch(
        "django.core.cache.backends.locmem.time", types.SimpleNamespace(time=lambda: later)
    )


def test_hits_are_allowed_up_to_the_limit_per_combination_of_parts():
    assert [LIMIT.hit("a", "x") for _ in range(4)] == [True, True, True, False]
    assert LIMIT.hit("a", "y")
    assert Limit("other", 3, 60).hit("a", "x")  # another scope counts apart


def test_exceeded_reads_without_counting_and_reset_starts_again():
    for _n in range(3):
        assert not LIMIT.exceeded("a")
        LIMIT.hit("a")
    assert LIMIT.exceeded("a") and LIMIT.count("a") == 3
    LIMIT.reset("a")
    assert LIMIT.count("a") == 0 and LIMIT.hit("a")


def test_the_window_ends_and_the_count_starts_again():
    for _n in range(3):
        LIMIT.hit("a")
    assert not LIMIT.hit("a")
    with after(61):
        assert LIMIT.count("a") == 0
        assert LIMIT.hit("a")


def test_the_parts_are_not_stored_in_clear():
    assert "203.0.113.7" not in LIMIT.key("203.0.113.7")
