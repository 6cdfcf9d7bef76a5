import pytest
from django.apps import apps
from django.urls import reverse

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"branches", "members", "meetings", "activities", "finance", "reports"}
NOT_AUDITED = {
    "members.ExportLog": "is itself the audit log of personal-data exports",
    "members.RosterImport": "a staging upload; the import writes audited Person rows",
    "meetings.CalendarToken": "a credential, not a domain record",
}


def test_every_domain_model_is_audited():
    """Every change to domain records is audited: each concrete model of the domain apps has history."""
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in DOMAIN_APPS
        and not m.__name__.startswith("Historical")
        and not hasattr(m, "history")
        and m._meta.label not in NOT_AUDITED
    ]
    assert missing == []


def test_user_without_role_is_told_to_ask_for_one(client_for, norole_user, orgs):
    client = client_for(norole_user)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("password_change")).status_code == 200
    for url in (
        reverse("branches:tree"),
        reverse("members:list"),
        reverse("meetings:list"),
        reverse("branches:detail", args=[orgs.school.pk]),
    ):
        assert client.get(url).status_code == 403, url
