"""Every model choice field refuses an id no column can hold with its "not a valid choice" error,
in any form (portal.id_choices): the admin's as well as the members'."""

import pytest
from django import forms

from volunteering.people.models import Organisation, Skill

BEYOND_ANY_COLUMN = str(2**70)


class ChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    skills = forms.ModelMultipleChoiceField(queryset=Skill.objects.all(), required=False)
    by_name = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), to_field_name="name", required=False
    )


@pytest.mark.django_db
def test_an_id_beyond_any_column_is_a_form_error_in_any_form():
    organisation = Organisation.objects.create(name="曲靖市司法局")
    form = ChoiceForm(data={"organisation": BEYOND_ANY_COLUMN, "skills": [BEYOND_ANY_COLUMN]})
    assert not form.is_valid()  # on SQLite, an OverflowError (a 500) without portal.id_choices
    errors = form.errors.as_data()
    assert [e.code for e in errors["organisation"]] == ["invalid_choice"]
    assert [e.code for e in errors["skills"]] == ["invalid_pk_value"]
    assert ChoiceForm(data={"organisation": str(organisation.pk)}).is_valid()


@pytest.mark.django_db
def test_a_choice_by_a_text_column_keeps_any_value():
    """`to_field_name` naming a text column: a long number is a name like any other."""
    Organisation.objects.create(name=BEYOND_ANY_COLUMN)
    organisation = Organisation.objects.create(name="麒麟区政务服务中心")
    form = ChoiceForm(data={"organisation": str(organisation.pk), "by_name": BEYOND_ANY_COLUMN})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["by_name"].name == BEYOND_ANY_COLUMN
