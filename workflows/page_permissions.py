"""Wagtail's page permission tester, without a query for what a page without children answers
itself.

Wagtail asks whether a user who may edit pages but not publish them may delete a page (and so
move it: `can_move` is `can_delete`) by looking for live pages among the page and its
descendants, one query each time. The page explorer asks it twice per row (its move and delete
buttons), so community staff's list of a community's activities cost two queries per activity
and grew with the community. For a page without children (activities, news items: most rows)
that set is the page itself: the answer is its own `live`, and ownership its `owner_id`.
Every page type gets this tester through `EditorialWorkflowMixin.permissions_for_user`."""

from wagtail.models import PagePermissionTester


class LeafAwarePagePermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        page = self.page
        if self.page_is_root or self.user.is_superuser or not self.user.is_active:
            return super().can_delete(ignore_bulk)
        if not page.numchild:
            return _may_delete_leaf(self.permissions, page, self.user)
        bulk_allowed = ignore_bulk or "bulk_delete" in self.permissions
        if bulk_allowed and "change" in self.permissions and "publish" not in self.permissions:
            return not _branch_has_live_page(page)
        return super().can_delete(ignore_bulk)


def _branch_has_live_page(page) -> bool:
    """Is the page or one below it live? Asked once per page object (a row's move and delete
    buttons, the header's, each make a tester of their own)."""
    if "_branch_has_live_page" not in page.__dict__:
        page._branch_has_live_page = page.get_descendants(inclusive=True).live().exists()
    return page._branch_has_live_page


def _may_delete_leaf(permissions: set[str], page, user) -> bool:
    """Wagtail's rule for the page and its descendants, for a page that has none."""
    if "change" in permissions:
        return "publish" in permissions or not page.live
    if "add" in permissions:
        owned = page.owner_id is not None and page.owner_id == user.pk
        return owned if "publish" in permissions else owned and not page.live
    return False
