"""The tree knows no people: the officer-post form's person field is set up by members (the picker over the
school's active people), which branches.forms lets it do through `set_officer_person_field`."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from branches import forms as branch_forms
from branches.forms import OfficerForm
from members.widgets import LookupFilters, PersonPicker
from tests.conftest import build_school
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_members_gives_the_officer_form_its_person_picker(orgs):
    """The school's active people, searched by the picker; nobody of another school, nobody who has left."""
    here = PersonFactory(organization=orgs.group2, name="本校教师")
    gone = PersonFactory(organization=orgs.group1, name="已调离", is_active=False)
    elsewhere = PersonFactory(organization=build_school("城北中学").group1, name="外校教师")
    field = OfficerForm(organization=orgs.branch1).fields["person"]
    assert isinstance(field.widget, PersonPicker)
    assert field.widget.filters == LookupFilters(org=orgs.branch1.pk, area="school", with_staff=True)
    offered = set(field.queryset)
    assert here in offered and gone not in offered and elsewhere not in offered


def test_without_an_app_owning_people_the_form_refuses_to_list_everyone(orgs, monkeypatch):
    monkeypatch.setattr(branch_forms, "_officer_person_field", None)
    with pytest.raises(ImproperlyConfigured):
        OfficerForm(organization=orgs.branch1)
