"""The demo content of residents' voice: items in several states, with their history, and good
deeds; loading it again adds nothing."""

from tests import factories
from volunteering.demo.voice import ITEMS, load_voice_demo
from volunteering.voice.models import Feedback, GoodDeed


def test_the_demo_has_items_in_several_states_and_loads_once(site_tree):
    factories.make_staff(site_tree.community, username="staff")
    factories.make_staff(site_tree.other_community, username="staff2")
    communities = {"qilin-community": site_tree.community, "fangcheng": site_tree.other_community}

    load_voice_demo(communities=communities)
    load_voice_demo(communities=communities)

    assert Feedback.objects.count() == len(ITEMS)
    assert set(Feedback.objects.values_list("state", flat=True)) >= {
        "submitted",
        "accepted",
        "closed",
        "rejected",
    }
    assert Feedback.objects.exclude(channel="online").filter(recorded_by__username="staff")
    closed = Feedback.objects.filter(state="closed").first()
    assert closed.history.count() >= 2 and closed.outcome_note
    assert GoodDeed.objects.count() == 3
