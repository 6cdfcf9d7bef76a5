"""Who may view and edit which organization, role by role."""

import pytest

from branches.models import Organization
from branches.permissions import can_edit, can_view, editable_organizations, scope, viewable_organizations
from members.models import Person
from tests.factories import OfficerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_administrator_sees_and_edits_everything(orgs, admin_user):
    for org in Organization.objects.all():
        assert can_view(admin_user, org) and can_edit(admin_user, org)


def test_party_secretary_edits_party_side_only(orgs, party_secretary):
    assert can_edit(party_secretary, orgs.branch2)
    assert can_edit(party_secretary, orgs.school)
    assert can_view(party_secretary, orgs.class1)
    assert not can_edit(party_secretary, orgs.class1)
    assert not can_edit(party_secretary, orgs.league)


def test_league_secretary_edits_league_side_only(orgs, league_secretary):
    assert can_edit(league_secretary, orgs.class2)
    assert can_edit(league_secretary, orgs.league)
    assert can_view(league_secretary, orgs.branch1)
    assert not can_edit(league_secretary, orgs.branch1)


def test_branch_secretary_sees_only_own_subtree(orgs, branch_secretary):
    assert can_edit(branch_secretary, orgs.branch1)
    assert can_edit(branch_secretary, orgs.group1)
    assert not can_view(branch_secretary, orgs.branch2)
    assert not can_view(branch_secretary, orgs.general)
    assert not can_view(branch_secretary, orgs.class1)
    assert set(viewable_organizations(branch_secretary)) == {orgs.branch1, orgs.group1}
    assert set(editable_organizations(branch_secretary)) == {orgs.branch1, orgs.group1}


def test_class_secretary_only_their_class(orgs, class_secretary):
    assert can_edit(class_secretary, orgs.class1)
    assert not can_view(class_secretary, orgs.class2)
    assert not can_edit(class_secretary, orgs.league)


def test_viewer_sees_all_edits_nothing(orgs, viewer):
    for org in Organization.objects.all():
        assert can_view(viewer, org)
        assert not can_edit(viewer, org)
    assert not editable_organizations(viewer).exists()


def test_user_without_role_sees_nothing(orgs, norole_user):
    assert not viewable_organizations(norole_user).exists()
    assert not can_view(norole_user, orgs.school)


def test_ended_post_gives_no_rights(orgs, norole_user):
    from datetime import date

    OfficerFactory(organization=orgs.branch2, user=norole_user, started_on=date(2020, 1, 1), ended_on=date(2021, 1, 1))
    assert not can_view(norole_user, orgs.branch2)


def test_scope_filters_related_rows(orgs, branch_secretary):
    mine = PersonFactory(organization=orgs.group1)
    PersonFactory(organization=orgs.group2)
    assert list(scope(branch_secretary, Person.objects.all())) == [mine]


def test_access_is_computed_once_per_user(orgs, branch_secretary, django_assert_num_queries):
    can_view(branch_secretary, orgs.branch1)
    with django_assert_num_queries(0):
        assert can_edit(branch_secretary, orgs.group1)
        assert not can_view(branch_secretary, orgs.branch2)
