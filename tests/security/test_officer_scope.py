"""The officer-post form offers only the school's own accounts (a post gives its account reach over the
organization), a forged account id is a form error, and a post held in another school than the account's
person record gives no reach. Two schools share the database, as in a county."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Officer
from branches.permissions import Access, Role, can_edit, can_view
from tests.conftest import build_school
from tests.factories import OfficerFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(orgs):
    """A second school beside `orgs`."""
    return build_school("城北中学")


@pytest.fixture
def accounts(orgs, county):
    """Accounts of every kind: this school's (by person record, by post only), the other school's (by person,
    by post), unlinked ones, and a superuser of no school."""

    def account(username, *, person_in=None, post_in=None, superuser=False):
        user = UserFactory(username=username)
        if person_in is not None:
            PersonFactory(organization=person_in, user=user, name=f"{username}本人")
        if post_in is not None:
            OfficerFactory(organization=post_in, user=user)
        if superuser:
            user.is_superuser = user.is_staff = True
            user.save()
        return user

    return {
        "south_person": account("south-person", person_in=orgs.group2),
        "south_post": account("south-post", post_in=orgs.class2),
        "north_person": account("north-person", person_in=county.group1),
        "north_post": account("north-post", post_in=county.branch1),
        "unlinked": account("new-account"),
        "root": account("county-root", superuser=True),
        "south_root": account("south-root", person_in=orgs.group1, superuser=True),
    }


def _offered(response) -> set[str]:
    return {str(user) for user in response.context["form"].fields["user"].queryset}


def _school_admin(orgs):
    """The school's administrator (not a superuser): the administrator role, linked by a person record."""
    user = UserFactory(username="south-admin", roles=[Role.ADMINISTRATOR])
    PersonFactory(organization=orgs.group1, user=user, name="管理员本人")
    return user


def _post(client, org, user_pk):
    return client.post(
        reverse("branches:officer_create", args=[org.pk]),
        {"user": user_pk, "post": "organization", "started_on": "2026-09-01"},
    )


def test_officer_form_offers_only_the_schools_accounts(client_for, orgs, accounts, branch_secretary):
    response = client_for(branch_secretary).get(reverse("branches:officer_create", args=[orgs.branch1.pk]))
    assert response.status_code == 200
    offered = _offered(response)
    assert {"south-person", "south-post", "south-root", "branch1"} <= offered
    assert not offered & {"north-person", "north-post", "new-account", "county-root"}
    page = response.content.decode()
    assert "north-person" not in page and "north-post" not in page and "county-root" not in page


def test_the_administrator_is_also_offered_accounts_of_no_school_but_no_superuser(client_for, orgs, accounts):
    response = client_for(_school_admin(orgs)).get(reverse("branches:officer_create", args=[orgs.branch1.pk]))
    offered = _offered(response)
    assert {"south-person", "south-post", "south-root", "new-account"} <= offered
    assert not offered & {"north-person", "north-post", "county-root"}


def test_an_account_whose_only_post_ended_in_another_school_is_not_offered_as_unlinked(client_for, orgs, county):
    from datetime import date

    former = UserFactory(username="north-former")
    OfficerFactory(organization=county.branch2, user=former, started_on=date(2020, 9, 1), ended_on=date(2023, 7, 1))
    response = client_for(_school_admin(orgs)).get(reverse("branches:officer_create", args=[orgs.branch1.pk]))
    assert "north-former" not in _offered(response)


@pytest.mark.parametrize("who", ["north_person", "north_post", "root"])
def test_a_forged_account_of_another_school_is_a_form_error(client_for, orgs, accounts, who):
    response = _post(client_for(_school_admin(orgs)), orgs.branch1, accounts[who].pk)
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert not Officer.objects.filter(organization=orgs.branch1, user=accounts[who]).exists()


def test_a_secretary_links_the_schools_accounts_but_not_one_of_no_school(client_for, orgs, accounts, branch_secretary):
    client = client_for(branch_secretary)
    response = _post(client, orgs.branch1, accounts["unlinked"].pk)
    assert response.status_code == 200 and "user" in response.context["form"].errors
    assert not Officer.objects.filter(user=accounts["unlinked"]).exists()
    assert _post(client, orgs.branch1, accounts["south_person"].pk).status_code == 302
    assert Officer.objects.filter(organization=orgs.branch1, user=accounts["south_person"]).exists()


def test_a_post_in_another_school_than_the_persons_gives_no_reach(orgs, county):
    """A post recorded before the form was narrowed: the other school's administrator, given a group post in
    this school, must not become this school's administrator (nor reach the group). An account without a
    person record (a county official) still belongs to the schools of its posts."""
    north_admin = UserFactory(username="north-admin", roles=[Role.ADMINISTRATOR])
    PersonFactory(organization=county.group1, user=north_admin, name="北中管理员")
    Officer.objects.create(organization=orgs.group1, user=north_admin, post="group_leader", started_on="2024-09-01")
    for org in (orgs.school, orgs.branch1, orgs.group1):
        assert not can_view(north_admin, org) and not can_edit(north_admin, org)
    assert can_edit(north_admin, county.branch1)

    official = UserFactory(username="county-official", roles=[Role.VIEWER])
    OfficerFactory(organization=orgs.league, user=official)
    OfficerFactory(organization=county.league, user=official)
    assert can_view(official, orgs.branch1) and can_view(official, county.branch1)
    assert can_edit(official, orgs.class1) and can_edit(official, county.class1)


def test_access_and_the_form_agree_on_an_accounts_schools(orgs, county, accounts):
    from branches.permissions import school_accounts

    stray = UserFactory(username="stray")  # a person here, a post in the other school (ignored)
    PersonFactory(organization=orgs.group2, user=stray, name="游离")
    OfficerFactory(organization=county.branch2, user=stray)
    for user in [*accounts.values(), stray]:
        own = Access(user).own_school_paths
        for school in (orgs.school, county.school):
            listed = school_accounts(school.path).filter(pk=user.pk).exists()
            assert listed == (school.path in own), (user.username, school.name)


def test_officer_form_costs_the_same_queries_for_more_accounts(client_for, orgs, county, branch_secretary):
    client = client_for(branch_secretary)
    url = reverse("branches:officer_create", args=[orgs.branch1.pk])

    def grow(n, start):
        for i in range(start, start + n):
            PersonFactory(organization=orgs.group1, user=UserFactory(username=f"south-{i}"), name=f"教师{i}")
            OfficerFactory(organization=county.branch1, user=UserFactory(username=f"north-{i}"))

    grow(3, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(30, 3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(_offered(response)) == 34  # 33 teachers and the secretary
    assert len(large) == len(small)
