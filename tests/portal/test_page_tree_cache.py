"""The cached reads of the page tree (portal.page_tree_cache) are read again after any change of
the tree — a saved draft, a publish, an unpublish, a move, a deletion, a view restriction — and
only then: other writes (a resident's request, a member's sign-up) leave them in the cache."""

from wagtail.models import PageViewRestriction

from portal import page_tree_cache
from tests import factories


def computed_again(change) -> bool:
    """Whether the cached read is computed again after `change()` (committed, as in a request)."""
    calls = []

    def compute():
        calls.append(1)
        return "menu"

    page_tree_cache.tree_cached("probe", compute)  # cached now (or already)
    calls.clear()
    change()
    page_tree_cache.tree_cached("probe", compute)
    return len(calls) == 1


def test_a_saved_draft_changes_the_tree(site_tree, django_capture_on_commit_callbacks):
    def save_draft():
        with django_capture_on_commit_callbacks(execute=True):
            page = site_tree.community.specific
            page.title = "新名字"
            page.save_revision()

    assert computed_again(save_draft)


def test_publish_unpublish_move_and_delete_change_the_tree(site_tree):
    page = factories.NewsPageFactory(parent=site_tree.news)
    assert computed_again(lambda: page.save_revision().publish())
    page.refresh_from_db()  # live now
    assert computed_again(lambda: page.unpublish())
    assert computed_again(lambda: page.move(site_tree.home, pos="last-child"))
    assert computed_again(lambda: page.delete())


def test_a_view_restriction_changes_the_tree(site_tree):
    assert computed_again(
        lambda: PageViewRestriction.objects.create(
            page=site_tree.other_community, restriction_type=PageViewRestriction.LOGIN
        )
    )


def test_other_writes_leave_the_tree_cached(site_tree):
    assert not computed_again(
        lambda: factories.FeedbackFactory(community=site_tree.community.specific)
    )
