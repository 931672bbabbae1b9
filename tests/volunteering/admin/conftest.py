import pytest

from tests.volunteering.admin.support import build_world


@pytest.fixture
def world(site_tree):
    """Two communities with their staff and work of every kind, two organisations, the city
    (`support.build_world`)."""
    return build_world(site_tree)
