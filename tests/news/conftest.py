import pytest

from news.models import NewsByline
from tests import factories
from tests.news.helpers import at


@pytest.fixture
def report(site_tree):
    """The report this model was taken from: date and time to the second, source, two
    correspondents, a responsible editor and tags."""
    page = factories.NewsPageFactory.build(
        title="麒麟区在职党员进社区报到服务",
        date=at(2014, 7, 17, 1, 58, 29),
        source="国际神州网",
        responsible_editor="王编辑",
        lead="在职党员到社区报到，认领服务岗位。",
        body=[("paragraph", "<p>全区在职党员陆续到居住地社区报到。</p>")],
        bylines=[NewsByline(name="张三"), NewsByline(name="李四")],
        related_communities=[site_tree.community],
    )
    page.tags.add("党员报到", "社区服务")
    site_tree.news.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
