"""What members contributes to officer posts. The tree (branches) knows no people, so the officer-post form
(`branches.forms.OfficerForm`) gets its person field from here, wired in by `members.apps`."""

from django import forms

from branches.models import PATH_STEP, Organization

from .models import Person
from .widgets import LookupFilters, use_person_picker


def officer_person_field(field: forms.ModelChoiceField, organization: Organization) -> None:
    """Who may hold a post in `organization`: the active people of its school, picked by searching (a large
    school has thousands), teachers and staff included."""
    use_person_picker(
        field,
        Person.objects.active().filter(organization__path__startswith=organization.path[:PATH_STEP]),
        LookupFilters(org=organization.pk, area="school", with_staff=True),
    )
