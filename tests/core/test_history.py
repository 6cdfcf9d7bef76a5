"""The audit trail: a history page per record, and administrators restore deleted records."""

import pytest
from django.urls import reverse

from branches.models import Organization, OrgKind

pytestmark = pytest.mark.django_db


def test_history_shows_who_changed_what_and_from_where(client_for, orgs, league_secretary):
    client = client_for(league_secretary)
    client.post(
        reverse("branches:create"),
        {
            "parent": orgs.league.pk,
            "kind": OrgKind.LEAGUE_BRANCH,
            "name": "高二（5）班团支部",
            "grade": 2025,
            "class_number": 5,
            "sort_order": 0,
        },
        REMOTE_ADDR="10.1.2.3",
    )
    org = Organization.objects.get(name="高二（5）班团支部")
    client.post(
        reverse("branches:edit", args=[org.pk]),
        {
            "parent": orgs.league.pk,
            "kind": OrgKind.LEAGUE_BRANCH,
            "name": "高二（6）班团支部",
            "grade": 2025,
            "class_number": 6,
            "sort_order": 0,
            "record_version": org.version,
        },
    )
    response = client.get(reverse("core:history", args=["branches.organization", org.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "10.1.2.3" in body
    assert "高二（5）班团支部" in body and "高二（6）班团支部" in body
    assert org.history.first().history_user == league_secretary


def test_outsider_cannot_read_another_branchs_history(client_for, orgs, outsider):
    orgs.branch1.name = "改名"
    orgs.branch1.save()
    url = reverse("core:history", args=["branches.organization", orgs.branch1.pk])
    assert client_for(outsider).get(url).status_code == 404


def test_unknown_model_label_is_404(client_for, admin_user):
    assert client_for(admin_user).get(reverse("core:history", args=["nope.nothing", 1])).status_code == 404


def test_admin_restores_a_deleted_record(client_for, orgs, admin_user):
    group = Organization.objects.create(name="临时团小组", kind=OrgKind.LEAGUE_GROUP, parent=orgs.class1)
    pk = group.pk
    group.delete()
    client = client_for(admin_user)
    listing = client.get(reverse("core:deleted") + "?model=branches.organization").content.decode()
    assert "临时团小组" in listing
    record = Organization.history.get(id=pk, history_type="-")
    response = client.post(reverse("core:restore", args=["branches.organization", record.history_id]))
    assert response.status_code == 302
    assert Organization.objects.get(pk=pk).name == "临时团小组"


def test_only_admins_restore(client_for, orgs, party_secretary):
    group = Organization.objects.create(name="临时党小组", kind=OrgKind.PARTY_GROUP, parent=orgs.branch1)
    pk = group.pk
    group.delete()
    record = Organization.history.get(id=pk, history_type="-")
    client = client_for(party_secretary)
    assert client.post(reverse("core:restore", args=["branches.organization", record.history_id])).status_code == 403
    assert client.get(reverse("core:deleted")).status_code == 403
    assert not Organization.objects.filter(pk=pk).exists()


def test_every_audited_model_says_which_organization_owns_it():
    """core.history asks the model (`history_organization()`); only records of no organization go without."""
    from simple_history.models import registered_models

    ownerless = {m._meta.label_lower for m in registered_models.values() if not hasattr(m, "history_organization")}
    assert ownerless == {"branches.academicyear", "branches.semester", "members.recommendationtarget"}


def test_a_deleted_organizations_history_is_for_administrators(client_for, orgs, admin_user, league_secretary):
    group = Organization.objects.create(name="临时团小组", kind=OrgKind.LEAGUE_GROUP, parent=orgs.class1)
    pk = group.pk
    group.delete()
    url = reverse("core:history", args=["branches.organization", pk])
    assert client_for(league_secretary).get(url).status_code == 404
    assert client_for(admin_user).get(url).status_code == 200
