"""The factories every other module builds on: users, pages added under a parent, and rows
of stateful models made directly in a state (`fixture_states()`)."""

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Page

from workflows.statemachine import fixture_states


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("pass1234")


class PageFactory(factory.Factory):
    """Builds the page in memory, then `add_child`s it under `parent` and publishes it."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent: Page, publish: bool = True, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if publish and page.live:
            page.save_revision().publish()
        return page


class StatefulFactory(factory.django.DjangoModelFactory):
    """For models whose state only workflow transitions write (`workflows.statemachine`): the
    row is created directly in the state asked for, inside the documented escape hatch
    `fixture_states()`, without the transition's history. Tests of a workflow itself go
    through its services instead."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with fixture_states():
            return super()._create(model_class, *args, **kwargs)
