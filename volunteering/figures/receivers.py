"""Keeps the cached figures (`volunteering.figures.selectors`) fresh: any change to a row they
count marks them stale at once and, after the commit, queues the one recompute task (coalesced:
a burst of saves queues one; see `volunteering.figures.freshness`). Not a business rule, so it
may live in a signal receiver."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from volunteering.activities.models import ActivityPage
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.figures.freshness import mark_changed, request_recompute
from volunteering.people.models import Member, Organisation
from volunteering.reporting.models import Report
from volunteering.voice.models import Feedback, GoodDeed
from workflows.statemachine import transitioned

COUNTED_MODELS = (Report, Feedback, GoodDeed, Member, Organisation)
COUNTED_PAGES = (ActivityPage, CommunityPage, CountyPage)


def _forget(**kwargs):
    mark_changed()
    transaction.on_commit(request_recompute)


def connect() -> None:
    for model in COUNTED_MODELS + COUNTED_PAGES:
        uid = f"figures:{model._meta.label}"
        post_save.connect(_forget, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_forget, sender=model, dispatch_uid=uid + ":delete")
        transitioned.connect(_forget, sender=model, dispatch_uid=uid + ":transitioned")
    for model in COUNTED_PAGES:
        uid = f"figures:{model._meta.label}"
        page_published.connect(_forget, sender=model, dispatch_uid=uid + ":published")
        page_unpublished.connect(_forget, sender=model, dispatch_uid=uid + ":unpublished")
    post_page_move.connect(_forget, dispatch_uid="figures:page-moved")
