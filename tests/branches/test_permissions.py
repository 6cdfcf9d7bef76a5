"""Who may view and edit which organization, role by role."""

import pytest
from django.urls import reverse

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


# --- A database holding several schools (a county hosting its schools) ------------------------------------


@pytest.fixture
def county(orgs):
    """A second school beside `orgs`, with its own Party branch, class and a person in it."""
    from tests.conftest import build_school

    other = build_school("城北中学")
    PersonFactory(name="北中教师", organization=other.group1)
    return other


def _user(username, role, *, person_in=None, post_in=None):
    from branches.permissions import Role
    from tests.factories import UserFactory

    user = UserFactory(username=username, roles=[getattr(Role, role)])
    if person_in is not None:
        PersonFactory(name=f"{username}本人", organization=person_in, user=user)
    if post_in is not None:
        OfficerFactory(organization=post_in, user=user)
    return user


def test_county_roles_reach_only_the_accounts_school(orgs, county):
    party = _user("a-party", "PARTY_SECRETARY", post_in=orgs.general)
    leader = _user("a-leader", "VIEWER", person_in=orgs.group1)
    for org in (orgs.school, orgs.branch2, orgs.class1):
        assert can_view(party, org) and can_view(leader, org)
    assert can_edit(party, orgs.branch2) and not can_edit(leader, orgs.branch2)
    for org in (county.school, county.branch1, county.class1):
        assert not can_view(party, org) and not can_view(leader, org) and not can_edit(party, org)
    assert set(viewable_organizations(leader)) == set(Organization.objects.filter(path__startswith=orgs.school.path))
    assert not editable_organizations(party).filter(path__startswith=county.school.path).exists()
    assert list(scope(leader, Person.objects.filter(name="北中教师"))) == []


def test_county_school_administrator_administers_their_school_only(orgs, county):
    from branches.permissions import access
    from members.access import can_see_sensitive

    admin = _user("b-admin", "ADMINISTRATOR", person_in=county.group2)
    assert can_edit(admin, county.school) and can_edit(admin, county.class2)
    assert not can_view(admin, orgs.school) and not can_edit(admin, orgs.branch1)
    assert set(editable_organizations(admin)) == set(Organization.objects.filter(path__startswith=county.school.path))
    a = access(admin)
    assert a.administers(county.branch1) and not a.administers(orgs.branch1)
    assert not a.is_admin  # deleted records and restores stay with the superuser (every school)
    assert can_see_sensitive(admin, Person.objects.get(name="北中教师"))
    assert not can_see_sensitive(admin, PersonFactory(organization=orgs.group1))


def test_county_account_linked_to_no_school_reaches_none_but_superuser_reaches_all(
    orgs, county, admin_user, client_for
):
    from branches.permissions import access

    unlinked = _user("c-viewer", "VIEWER")
    assert not access(unlinked).has_any_access
    assert not can_view(unlinked, orgs.school) and not viewable_organizations(unlinked).exists()
    dashboard = client_for(unlinked).get("/").content.decode()
    assert "belongs to none of them" in dashboard and "城南中学" not in dashboard
    assert all(can_edit(admin_user, o) for o in (orgs.school, county.school, county.class1))
    assert access(admin_user).is_admin


def test_county_pages_answer_404_for_the_other_school(orgs, county, client_for):
    party = _user("d-party", "PARTY_SECRETARY", post_in=orgs.general)
    client = client_for(party)
    assert client.get(reverse("branches:detail", args=[county.branch1.pk])).status_code == 404
    assert client.get(reverse("branches:detail", args=[orgs.branch2.pk])).status_code == 200
    listed = client.get(reverse("members:list")).content.decode()
    assert "北中教师" not in listed
    tree = client.get(reverse("branches:tree")).content.decode()
    assert "城北中学" not in tree and "城南中学" in tree


def test_access_costs_two_queries_in_a_county_database(orgs, county, django_assert_num_queries):
    from branches.permissions import Access

    party = _user("e-party", "PARTY_SECRETARY", post_in=orgs.general, person_in=orgs.group1)
    with django_assert_num_queries(2):
        a = Access(party)
    assert a.school_paths == (orgs.school.path,) and a.officer_paths == (orgs.general.path,)
