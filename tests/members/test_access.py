"""Who sees what: the member list's scope, 404 for people outside it, 403 for edits, and the ONE masking
rule for ID number and phone, per role."""

from datetime import date

import pytest

from members.access import can_export, can_see_sensitive, people_for
from members.models import Category

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_member(orgs):
    return f.person(orgs.group1, name="张伟", id_number=f.id_number(date(1985, 5, 20)), phone="13800001234")


@pytest.fixture
def pupil(orgs):
    return f.student(orgs.class1, name="李娜", id_number=f.id_number(date(2009, 3, 1)), phone="13900005678")


@pytest.mark.parametrize(
    ("role", "sees_staff", "sees_student"),
    [
        ("admin_user", True, True),
        ("party_secretary", True, False),  # officer of the Party general branch: not of the class
        ("league_secretary", False, True),
        ("branch_secretary", True, False),
        ("class_secretary", False, True),
        ("viewer", False, False),
    ],
)
def test_sensitive_fields_by_role(request, role, sees_staff, sees_student, staff_member, pupil):
    user = request.getfixturevalue(role)
    assert can_see_sensitive(user, staff_member) is sees_staff
    assert can_see_sensitive(user, pupil) is sees_student


def test_detail_page_masks_for_the_viewer_and_shows_for_the_secretary(
    client_for, viewer, branch_secretary, staff_member
):
    page = client_for(viewer).get(staff_member.get_absolute_url()).content.decode()
    assert "138********" in page and "13800001234" not in page
    assert staff_member.id_number not in page and staff_member.id_number[:6] + "*" * 12 in page
    page = client_for(branch_secretary).get(staff_member.get_absolute_url()).content.decode()
    assert "13800001234" in page and staff_member.id_number in page


def test_list_masks_per_row(client_for, party_secretary, staff_member, pupil):
    page = client_for(party_secretary).get("/members/").content.decode()
    assert "13800001234" in page
    assert "13900005678" not in page and "139********" in page


def test_scope_outsider_sees_only_their_branch(orgs, outsider, branch_secretary, staff_member, pupil):
    assert list(people_for(outsider)) == []
    assert list(people_for(branch_secretary)) == [staff_member]


def test_party_branch_sees_the_students_it_develops(orgs, branch_secretary, pupil):
    from members import services

    pupil.birth_date = date(2007, 1, 1)
    pupil.save()
    services.application_record(person=pupil, on=date(2025, 3, 1), organization=orgs.branch1)
    assert pupil in people_for(branch_secretary)


def test_outsider_gets_404_on_detail_and_edit(client_for, outsider, staff_member):
    c = client_for(outsider)
    assert c.get(staff_member.get_absolute_url()).status_code == 404
    assert c.get(f"/members/{staff_member.pk}/edit/").status_code == 404
    assert c.get(f"/members/{staff_member.pk}/step/application/").status_code == 404


def test_viewer_reads_but_cannot_edit_or_record(client_for, viewer, staff_member):
    c = client_for(viewer)
    assert c.get(staff_member.get_absolute_url()).status_code == 200
    assert c.get(f"/members/{staff_member.pk}/edit/").status_code == 403
    assert c.get(f"/members/{staff_member.pk}/step/application/").status_code == 403
    assert c.get("/members/export/").status_code == 403


def test_class_secretary_cannot_record_party_steps_but_league_ones(client_for, class_secretary, pupil):
    c = client_for(class_secretary)
    assert c.get(f"/members/{pupil.pk}/step/application/").status_code == 403
    assert c.get(f"/members/{pupil.pk}/step/league-leave/").status_code == 200


def test_no_role_user_sees_nothing(client_for, norole_user, staff_member):
    c = client_for(norole_user)
    assert c.get("/members/").status_code == 403
    assert c.get(staff_member.get_absolute_url()).status_code in (403, 404)
    assert c.get("/members/pipeline/").status_code == 403


def test_export_allowed_for_officers_only(viewer, branch_secretary, admin_user):
    assert not can_export(viewer)
    assert can_export(branch_secretary) and can_export(admin_user)


def test_edit_form_hides_sensitive_fields_from_those_who_may_not_see_them(client_for, orgs, staff_member):
    from branches.permissions import Role
    from tests.factories import UserFactory

    # Party secretary role without an officer post: may edit Party organizations, may not read ID numbers.
    deputy = UserFactory(username="deputy", roles=[Role.PARTY_SECRETARY])
    assert not can_see_sensitive(deputy, staff_member)
    c = client_for(deputy)
    page = c.get(f"/members/{staff_member.pk}/edit/").content.decode()
    assert 'name="id_number"' not in page and 'name="phone"' not in page
    response = c.post(
        f"/members/{staff_member.pk}/edit/",
        {
            "name": "张伟",
            "gender": "male",
            "birth_date": "1985-05-20",
            "ethnicity": "汉族",
            "category": Category.TEACHER,
            "organization": orgs.group1.pk,
            "record_version": staff_member.version,
            "notes": "已核对",
        },
    )
    assert response.status_code == 302
    staff_member.refresh_from_db()
    assert staff_member.phone == "13800001234" and staff_member.notes == "已核对"
