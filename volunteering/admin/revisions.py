"""Wagtail's revision views for the portal's snippets, where bad input made them 500s
(tests/portal/test_admin_fuzz.py): a revert that validates a draft as a published object, and
an unschedule that sends back to any `next` text."""

from django.urls import reverse
from wagtail.admin.views.generic.mixins import RevisionsRevertMixin
from wagtail.snippets.views.snippets import RevisionsUnscheduleView

from volunteering.admin.views import safe_next


class DraftRevertMixin(RevisionsRevertMixin):
    """A revert saves a draft as the edit view does, without the full validation its form
    deferred: Wagtail's re-validated required fields, a 500 on one left empty."""

    def save_instance(self):
        instance = self.form.save(commit=not self.object.live)
        self.has_content_changes = self.form.has_changed()
        self.new_revision = instance.save_revision(
            user=self.request.user,
            log_action=True,
            previous_revision=self.revision,
            clean=not self.saving_as_draft,
        )
        return instance


class SafeNextUnscheduleView(RevisionsUnscheduleView):
    """Wagtail's, sending back only to a `next` that is a path on this site: its own check lets
    any relative text through, which `redirect` then tried to reverse as a view name (a `next`
    of `1e400` was a 500 after the schedule had been removed)."""

    def get_next_url(self):
        return safe_next(self.request) or reverse(self.history_url_name, args=[self.object.pk])
