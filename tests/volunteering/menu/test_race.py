"""The service menu at once, on PostgreSQL's row locks: confirmations never exceed a need's
places; pressing claim, join or pledge many times makes one of each."""

import threading

import pytest
from django.db import close_old_connections, connection, connections

from tests import factories
from tests.volunteering.menu.support import pledge_kwargs
from volunteering import errors
from volunteering.menu import services as menu
from volunteering.menu.models import NeedClaim, PostPledge
from volunteering.teams.models import TeamMembership
from volunteering.teams.services import team_join_request

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real row-lock race needs PostgreSQL (SQLite runs write transactions one by one)",
)


def all_at_once(calls) -> tuple[int, list[str]]:
    """Run each call in its own thread and connection, all released together; returns how
    many succeeded and the messages of the refusals."""
    barrier = threading.Barrier(len(calls))
    lock = threading.Lock()
    done, refusals = [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
            with lock:
                done.append(1)
        except errors.ServiceError as exc:
            with lock:
                refusals.append(str(exc.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return len(done), refusals


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_confirmations_at_once_never_exceed_a_needs_places(site_tree):
    community = site_tree.community
    staff = factories.make_staff(community, username="qilin-staff")
    need = factories.NeedFactory(community=community, places=2)
    claims = [menu.claim_create(need=need, member=factories.MemberFactory()) for _ in range(8)]
    confirmed, refusals = all_at_once(
        [lambda claim=claim: menu.claim_confirm(claim=claim, by=staff) for claim in claims]
    )
    assert confirmed == 2
    assert refusals == [str(errors.NEED_FULL % {"places": 2})] * 6
    assert need.claims.filter(state=NeedClaim.State.CONFIRMED).count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pressing_claim_join_and_pledge_many_times_at_once_makes_one_each(site_tree):
    community = site_tree.community
    member = factories.MemberFactory()
    need = factories.NeedFactory(community=community)
    team = factories.TeamFactory(community=community)
    post = factories.PostFactory(community=community)
    for call in (
        lambda: menu.claim_create(need=need, member=member),
        lambda: team_join_request(team=team, member=member),
        lambda: menu.pledge_create(post=post, member=member, **pledge_kwargs()),
    ):
        made, refusals = all_at_once([call] * 6)
        assert (made, len(refusals)) == (1, 5)
    assert NeedClaim.objects.filter(member=member).count() == 1
    assert TeamMembership.objects.filter(member=member).count() == 1
    assert PostPledge.objects.filter(member=member).count() == 1
