"""`portal.history_manager`: django-simple-history's manager class is built once per model, not
on every read of `.history`, and the history it reads is the same."""

from django.db.models import Manager

from tests import factories
from volunteering.signups.models import SignUp


def test_the_history_manager_class_is_built_once_per_model(db, monkeypatch):
    built = []
    original = Manager.from_queryset.__func__

    def counting(cls, queryset_class, class_name=None):
        built.append(queryset_class)
        return original(cls, queryset_class, class_name)

    first = SignUp.history  # built (or already built by an earlier read)
    monkeypatch.setattr(Manager, "from_queryset", classmethod(counting))
    second = SignUp.history
    assert type(second) is type(first)
    assert built == []


def test_each_read_is_still_bound_to_its_own_instance(db):
    one, other = factories.OrganisationFactory(), factories.OrganisationFactory()
    assert one.history.instance == one and other.history.instance == other
    assert list(one.history.values_list("id", flat=True)) == [one.pk]
    assert one.history.model.objects.filter(id=other.pk).count() == 1
